package io.parley.infra.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import io.parley.infra.ParleyModes;
import io.parley.infra.ParleyProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Dev mode (every profile but {@code prod}, whatever the database): tokens are signed and checked
 * with a local key, and {@code POST /api/dev/tokens} hands them out. Loudly not for production.
 */
@Configuration(proxyBeanMethods = false)
@Profile("!" + ParleyModes.PROD)
public class DevSecurityConfig {

  private static final Logger log = LoggerFactory.getLogger(DevSecurityConfig.class);

  @Bean
  public RSAKey devSigningKey(ParleyProperties properties) {
    log.warn(
        "\n***************************************************************************\n"
            + "*  DEV MODE: POST /api/dev/tokens issues tokens to anyone who asks.       *\n"
            + "*  NOT FOR PRODUCTION. Run with --spring.profiles.active=prod and an      *\n"
            + "*  issuer (JWK set URI or public key) for a real deployment.              *\n"
            + "***************************************************************************");
    return DevSigningKey.loadOrCreate(properties.dataDir());
  }

  @Bean
  public JwtDecoder jwtDecoder(RSAKey devSigningKey) throws JOSEException {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withPublicKey(devSigningKey.toRSAPublicKey()).build();
    // The same checks as prod; tokens from POST /api/dev/tokens always carry exp and this issuer.
    var validator = SecurityConfig.tokenValidator(DevTokenController.ISSUER, List.of());
    decoder.setJwtValidator(validator);
    return new CachingJwtDecoder(decoder, validator);
  }

  @Bean
  public JwtEncoder jwtEncoder(RSAKey devSigningKey) {
    return new NimbusJwtEncoder(new ImmutableJWKSet<SecurityContext>(new JWKSet(devSigningKey)));
  }
}
