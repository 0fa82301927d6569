package io.parley.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.infra.support.SignedTokens;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Dev mode checks a token's claims as prod does (issue 9, item 8): tokens here are signed with the
 * dev key itself, so only the claims are wrong. {@code ProdModeIT} checks prod's issuer and
 * audience.
 */
class TokenClaimsIT extends ParleyIntegrationTest {

  @Autowired RSAKey devSigningKey;

  @Test
  void aWellFormedToken_isAccepted() throws Exception {
    assertThat(api.get("/api/v1/conversations", sign(c -> c)).status()).isEqualTo(200);
  }

  @Test
  void aTokenWithoutExpiry_orFromAnotherIssuer_isRefused() throws Exception {
    assertUnauthorized(sign(c -> c.expirationTime(null)), "no exp");
    assertUnauthorized(sign(c -> c.issuer(null)), "no iss");
    assertUnauthorized(sign(c -> c.issuer("https://elsewhere.example")), "another iss");
    assertUnauthorized(
        sign(c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600)))), "expired");
  }

  @Test
  void rolesMustBeAnArrayOfStrings() throws Exception {
    Map<String, Object> wrong = new LinkedHashMap<>();
    wrong.put("one string of two roles", "USER MODERATOR");
    wrong.put("one string", "USER");
    wrong.put("numbers", List.of(1, 2));
    wrong.put("an array in the array", List.of(List.of("USER")));
    wrong.put("a boolean in the array", List.of(true));
    wrong.put("an object", Map.of("role", "USER"));
    wrong.put("a number", 7);
    for (var entry : wrong.entrySet()) {
      String token = sign(c -> c.claim(SecurityConfig.ROLES_CLAIM, entry.getValue()));
      assertUnauthorized(token, entry.getKey());
      assertThat(api.get("/api/v1/flags", token).status()).as(entry.getKey()).isEqualTo(401);
    }
    List<Object> withNull = new java.util.ArrayList<>();
    withNull.add(null);
    assertUnauthorized(sign(c -> c.claim(SecurityConfig.ROLES_CLAIM, withNull)), "[null]");
    assertUnauthorized(sign(c -> c.claim(SecurityConfig.ROLES_CLAIM, null)), "no roles claim");
    // An empty array is an array of strings: a caller with no role.
    assertThat(
            api.get(
                    "/api/v1/conversations",
                    sign(c -> c.claim(SecurityConfig.ROLES_CLAIM, List.of())))
                .status())
        .isEqualTo(403);
  }

  void assertUnauthorized(String token, String what) {
    Response response = api.get("/api/v1/conversations", token);
    assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(401);
    assertThat(response.header("Content-Type")).as(what).startsWith("application/problem+json");
    assertThat(response.header("WWW-Authenticate")).as(what).startsWith("Bearer");
  }

  /** A token signed with the dev key: what the token endpoint issues, then {@code change}. */
  String sign(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    return SignedTokens.sign(
        devSigningKey,
        change.apply(SignedTokens.validClaims(DevTokenController.ISSUER, "claims-user")).build());
  }
}
