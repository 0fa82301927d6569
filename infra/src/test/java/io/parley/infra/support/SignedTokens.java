package io.parley.infra.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Tokens signed by a test's own key, for tests of what Parley does with their claims. */
public final class SignedTokens {

  private SignedTokens() {}

  /** The claims of a valid token: issuer, subject, role USER, issued now, valid for an hour. */
  public static JWTClaimsSet.Builder validClaims(String issuer, String subject) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(subject)
        .claim("roles", List.of("USER"))
        .issueTime(new Date())
        .expirationTime(Date.from(Instant.now().plusSeconds(3600)));
  }

  /** {@code claims} signed with {@code key} (RS256, the key's id in the header), serialized. */
  public static String sign(RSAKey key, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
