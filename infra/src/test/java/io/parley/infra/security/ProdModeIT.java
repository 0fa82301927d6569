package io.parley.infra.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.parley.infra.ParleyApplication;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The prod profile: no token endpoint, and no start without an issuer and an external database. */
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
  void refusesToStartWithoutMasterKeys() throws Exception {
    RSAKey issuer = new RSAKeyGenerator(2048).generate();
    Path publicKey = dataDir.resolve("issuer-only.pem");
    Files.writeString(
        publicKey,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(issuer.toRSAPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    String[] args =
        concat(
            dbArgs(TestDatabase.get()),
            "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey);
    assertThatThrownBy(() -> start(args).close())
        .rootCause()
        .hasMessageContaining("parley.crypto.master-keys");
  }

  @Test
  void withIssuerKey_acceptsItsTokens_rejectsOthers_andServesNoTokenEndpoint() throws Exception {
    RSAKey issuer = new RSAKeyGenerator(2048).keyID("issuer").generate();
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
    Path publicKey = dataDir.resolve("issuer.pem");
    Files.writeString(
        publicKey,
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(issuer.toRSAPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    TestDatabase.Connection db = TestDatabase.get();
    String[] args =
        concat(
            concat(dbArgs(db), masterKeyArgs()),
            "--spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey);
    try (ConfigurableApplicationContext app = start(args)) {
      ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
      ApiClient.Response tokenEndpoint =
          api.postJson("/api/dev/tokens", null, Map.of("sub", "alice", "roles", List.of("USER")));
      assertThat(tokenEndpoint.status()).isEqualTo(404);
      assertThat(api.get("/api/v1/conversations", sign(issuer, "alice")).status()).isEqualTo(200);
      assertThat(api.get("/api/v1/conversations", sign(stranger, "alice")).status()).isEqualTo(401);
    }
  }

  static String sign(RSAKey key, String subject) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("roles", List.of("USER"))
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
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
