package io.parley.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class CachingJwtDecoderTest {

  static Jwt jwt() {
    return Jwt.withTokenValue("t")
        .header("alg", "RS256")
        .subject("alice")
        .issuedAt(Instant.now())
        .expiresAt(Instant.now().plusSeconds(60))
        .build();
  }

  @Test
  void verifiesEachTokenOnce_butValidatesClaimsOnEveryUse() {
    AtomicInteger verifications = new AtomicInteger();
    AtomicReference<OAuth2TokenValidatorResult> claims =
        new AtomicReference<>(OAuth2TokenValidatorResult.success());
    CachingJwtDecoder decoder =
        new CachingJwtDecoder(
            token -> {
              verifications.incrementAndGet();
              return jwt();
            },
            jwt -> claims.get());
    assertThat(decoder.decode("t").getSubject()).isEqualTo("alice");
    assertThat(decoder.decode("t").getSubject()).isEqualTo("alice");
    assertThat(verifications).hasValue(1);

    claims.set(
        OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "expired", null)));
    assertThatThrownBy(() -> decoder.decode("t")).isInstanceOf(JwtValidationException.class);
  }
}
