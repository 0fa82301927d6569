package io.parley.infra.security;

import io.parley.infra.ParleyModes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Prod mode: tokens come from a configured issuer, given as a JWK set URI ({@code
 * spring.security.oauth2.resourceserver.jwt.jwk-set-uri}) or an RSA public key ({@code
 * …jwt.public-key-location}), and name it in {@code iss} ({@code …jwt.issuer-uri}, required); with
 * {@code …jwt.audiences} set, their {@code aud} must name one of them. Without a key or an issuer,
 * startup fails saying so.
 */
@Configuration(proxyBeanMethods = false)
@Profile(ParleyModes.PROD)
public class ProdSecurityConfig {

  static final String MISSING_ISSUER =
      "Parley prod mode needs a token issuer: set spring.security.oauth2.resourceserver.jwt.jwk-set-uri"
          + " (env SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWK_SET_URI) or"
          + " spring.security.oauth2.resourceserver.jwt.public-key-location";

  static final String MISSING_ISSUER_URI =
      "Parley prod mode checks the iss claim of every token: set"
          + " spring.security.oauth2.resourceserver.jwt.issuer-uri"
          + " (env SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI) to the issuer's identifier";

  @Bean
  public JwtDecoder jwtDecoder(OAuth2ResourceServerProperties properties) throws Exception {
    OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
    NimbusJwtDecoder decoder;
    if (jwt.getJwkSetUri() != null && !jwt.getJwkSetUri().isBlank()) {
      decoder = NimbusJwtDecoder.withJwkSetUri(jwt.getJwkSetUri()).build();
    } else if (jwt.getPublicKeyLocation() != null) {
      decoder = NimbusJwtDecoder.withPublicKey(readPublicKey(jwt.getPublicKeyLocation())).build();
    } else {
      throw new IllegalStateException(MISSING_ISSUER);
    }
    if (jwt.getIssuerUri() == null || jwt.getIssuerUri().isBlank()) {
      throw new IllegalStateException(MISSING_ISSUER_URI);
    }
    var validator = SecurityConfig.tokenValidator(jwt.getIssuerUri(), jwt.getAudiences());
    decoder.setJwtValidator(validator);
    return new CachingJwtDecoder(decoder, validator);
  }

  private static RSAPublicKey readPublicKey(Resource location) throws Exception {
    if (!location.exists()) {
      throw new IllegalStateException("The public key location " + location + " does not exist");
    }
    try (InputStream in = location.getInputStream()) {
      String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
      return (RSAPublicKey)
          KeyFactory.getInstance("RSA")
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read the public key at " + location, e);
    }
  }
}
