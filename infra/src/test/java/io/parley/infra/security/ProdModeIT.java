package io.parley.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.parley.infra.ParleyApplication;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.SignedTokens;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The prod profile: no token endpoint, no start without an issuer (key and identifier) and an
 * external database, and tokens checked for expiry, issuer, audience and the roles claim.
 */
class ProdModeIT {

  @TempDir Path dataDir;

  @Test
  void refusesToStartWithoutAnExternalDatabase() {
    assertThatThrownBy(() -> start("--parley.db.url=").close())
        .rootCause()
        .hasMessageContaining("PARLEY_DB_URL");
  }

  @Test
  void refusesToStartWithoutAnIssuer() {
    TestDatabase.Connection db = TestDatabase.get();
    assertThatThrownBy(() -> start(concat(dbArgs(db), masterKeyArgs())).close())
        .rootCause()
        .hasMessageContaining("jwk-set-uri")
        .hasMessageContaining("public-key-location");
  }

  @Test
  void refusesToStartWithoutTheIssuersIdentifier() throws Exception {
    RSAKey issuer = new RSAKeyGenerator(2048).generate();
    String[] args =
        concat(
            concat(dbArgs(TestDatabase.get()), masterKeyArgs()),
            "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:"
                + publicKeyFile(issuer, "no-issuer-uri.pem"));
    assertThatThrownBy(() -> start(args).close()).rootCause().hasMessageContaining("issuer-uri");
  }

  @Test
  void refusesToStartWithoutMasterKeys() throws Exception {
    RSAKey issuer = new RSAKeyGenerator(2048).generate();
    String[] args =
        concat(
            dbArgs(TestDatabase.get()),
            "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:"
                + publicKeyFile(issuer, "issuer-only.pem"),
            "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER);
    assertThatThrownBy(() -> start(args).close())
        .rootCause()
        .hasMessageContaining("parley.crypto.master-keys");
  }

  @Test
  void withIssuerKey_acceptsItsTokens_rejectsOthersAndBadClaims_andServesNoTokenEndpoint()
      throws Exception {
    RSAKey issuer = new RSAKeyGenerator(2048).keyID("issuer").generate();
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
    TestDatabase.Connection db = TestDatabase.get();
    String[] args =
        concat(
            concat(dbArgs(db), masterKeyArgs()),
            "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:"
                + publicKeyFile(issuer, "issuer.pem"),
            "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER,
            "--spring.security.oauth2.resourceserver.jwt.audiences=parley,parley-staging");
    try (ConfigurableApplicationContext app = start(args)) {
      ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
      ApiClient.Response tokenEndpoint =
          api.postJson("/api/dev/tokens", null, Map.of("sub", "alice", "roles", List.of("USER")));
      assertThat(tokenEndpoint.status()).isEqualTo(404);
      assertThat(api.get("/api/v1/conversations", sign(issuer, "alice")).status()).isEqualTo(200);
      assertThat(
              api.get(
                      "/api/v1/conversations",
                      sign(issuer, "alice", c -> c.audience(List.of("other", "parley-staging"))))
                  .status())
          .isEqualTo(200);

      Map<String, String> refused = new java.util.LinkedHashMap<>();
      refused.put("another key", sign(stranger, "alice"));
      refused.put("no exp", sign(issuer, "alice", c -> c.expirationTime(null)));
      refused.put("no iss", sign(issuer, "alice", c -> c.issuer(null)));
      refused.put("another iss", sign(issuer, "alice", c -> c.issuer("https://other.example")));
      refused.put("no aud", sign(issuer, "alice", c -> c.audience((String) null)));
      refused.put("another aud", sign(issuer, "alice", c -> c.audience("billing")));
      refused.put("roles as a string", sign(issuer, "alice", c -> c.claim("roles", "USER OPS")));
      refused.put("roles of numbers", sign(issuer, "alice", c -> c.claim("roles", List.of(1, 2))));
      refused.forEach(
          (what, token) -> {
            ApiClient.Response response = api.get("/api/v1/conversations", token);
            assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(401);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
          });
    }
  }

  static final String ISSUER = "https://idp.example/realms/parley";

  static String sign(RSAKey key, String subject) throws Exception {
    return sign(key, subject, c -> c);
  }

  /** A token as the issuer makes it (iss, aud, exp, roles), then {@code change}d. */
  static String sign(
      RSAKey key, String subject, java.util.function.UnaryOperator<JWTClaimsSet.Builder> change)
      throws Exception {
    return SignedTokens.sign(
        key, change.apply(SignedTokens.validClaims(ISSUER, subject).audience("parley")).build());
  }

  Path publicKeyFile(RSAKey key, String name) throws Exception {
    Path file = dataDir.resolve(name);
    Files.writeString(
        file,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  ConfigurableApplicationContext start(String... args) {
    String[] all =
        concat(
            args,
            "--spring.profiles.active=prod",
            "--server.port=0",
            "--parley.data-dir=" + dataDir);
    return new SpringApplicationBuilder(ParleyApplication.class).run(all);
  }

  static String[] masterKeyArgs() {
    return new String[] {
      "--parley.crypto.master-keys.k1=" + Base64.getEncoder().encodeToString(new byte[32]),
      "--parley.crypto.active-master-key=k1"
    };
  }

  static String[] dbArgs(TestDatabase.Connection db) {
    return new String[] {
      "--parley.db.url=" + db.url(),
      "--parley.db.user=" + db.user(),
      "--parley.db.password=" + db.password()
    };
  }

  static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
