package io.parley.infra.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Verifies each distinct token's signature once, then answers from memory for a few minutes — still
 * running the claim validators (expiry, not-before, subject) on every use. RS256 verification was
 * 8% of the message path's CPU (docs/benchmarks.md). A per-node cache of already-verified tokens:
 * nothing another node needs.
 */
final class CachingJwtDecoder implements JwtDecoder {

  private final JwtDecoder delegate;
  private final OAuth2TokenValidator<Jwt> validator;
  private final Cache<String, Jwt> verified;

  CachingJwtDecoder(JwtDecoder delegate, OAuth2TokenValidator<Jwt> validator) {
    this.delegate = delegate;
    this.validator = validator;
    this.verified =
        Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofMinutes(5)).build();
  }

  @Override
  public Jwt decode(String token) throws JwtException {
    Jwt cached = verified.getIfPresent(token);
    if (cached == null) {
      Jwt jwt = delegate.decode(token); // signature and claims
      verified.put(token, jwt);
      return jwt;
    }
    OAuth2TokenValidatorResult result = validator.validate(cached);
    if (result.hasErrors()) {
      verified.invalidate(token);
      throw new JwtValidationException("The token is no longer valid", result.getErrors());
    }
    return cached;
  }
}
