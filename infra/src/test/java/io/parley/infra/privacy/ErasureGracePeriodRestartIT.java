package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The grace period runs on a persistent deadline: the application can be down when it ends, and the
 * erasure happens when it is back. Cancel works while it runs; after it, cancel answers 409.
 */
class ErasureGracePeriodRestartIT {

  static final Duration GRACE = Duration.ofSeconds(6);

  @TempDir Path dataDir;

  @Test
  void gracePeriodSurvivesARestart_cancelWorks_andCancelAfterTheDeadlineIs409() throws Exception {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    String ginaToken;
    String hankToken;
    Instant effectiveAt;
    try (ConfigurableApplicationContext first = start(db)) {
      ApiClient api = client(first);
      JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
      ParleyIntegrationTest.awaitSagaProcessorReady(jdbc);
      ginaToken = api.token("gina", "USER");
      hankToken = api.token("hank", "USER");
      String room =
          api.postJson(
                  "/api/v1/conversations",
                  ginaToken,
                  Map.of("title", "gina's", "participants", List.of("hank")))
              .json()
              .get("conversationId")
              .asText();
      api.postJson(
          "/api/v1/conversations/" + room + "/messages",
          ginaToken,
          Map.of("text", "gina was here"));
      api.postJson(
          "/api/v1/conversations/" + room + "/messages", hankToken, Map.of("text", "hank too"));

      ApiClient.Response requested =
          api.send("POST", "/api/v1/me/erasure", ginaToken, null, null, Map.of());
      assertThat(requested.status()).isEqualTo(202);
      effectiveAt = Instant.parse(requested.json().get("effectiveAt").asText());

      assertThat(api.send("POST", "/api/v1/me/erasure", hankToken, null, null, Map.of()).status())
          .isEqualTo(202);
      assertThat(api.send("DELETE", "/api/v1/me/erasure", hankToken, null, null, Map.of()).status())
          .isEqualTo(204);

      // The saga has put Gina's deadline in PostgreSQL before we stop.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  jdbc.queryForObject(
                      "select count(*) from scheduled_tasks where task_name like 'AxonDeadline%' and not picked",
                      Integer.class),
              count -> count == 1);
      assertThat(Instant.now()).isBefore(effectiveAt); // stopped inside the grace period
    }

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), effectiveAt).toMillis()) + 1_000);

    try (ConfigurableApplicationContext second = start(db)) {
      ApiClient api = client(second);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> api.get("/api/v1/me/export", ginaToken).status(), status -> status == 410);
      assertThat(api.send("DELETE", "/api/v1/me/erasure", ginaToken, null, null, Map.of()).status())
          .isEqualTo(409);
      assertThat(api.get("/api/v1/me/export", hankToken).status()).isEqualTo(200);
      // The conversations projection may still be catching up after the restart.
      String room =
          Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> api.get("/api/v1/conversations", hankToken),
                  r -> r.status() == 200 && r.json().get("items").size() == 1)
              .json()
              .get("items")
              .get(0)
              .get("conversationId")
              .asText();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  api.get("/api/v1/conversations/" + room + "/messages", hankToken)
                      .json()
                      .get("items"),
              items ->
                  items.size() == 2
                      && items.get(1).get("erased").asBoolean()
                      && items.get(0).get("text").asText().equals("hank too"));
    }
  }

  @Test
  void cancelAfterTheDeadlineWhileNotYetErasedIs409() throws Exception {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    try (ConfigurableApplicationContext app = start(db, "--db-scheduler.enabled=false")) {
      ApiClient api = client(app);
      String token = api.token("ivy", "USER");
      Instant effectiveAt =
          Instant.parse(
              api.send("POST", "/api/v1/me/erasure", token, null, null, Map.of())
                  .json()
                  .get("effectiveAt")
                  .asText());
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), effectiveAt).toMillis()) + 200);
      assertThat(api.send("DELETE", "/api/v1/me/erasure", token, null, null, Map.of()).status())
          .isEqualTo(409);
    }
  }

  ConfigurableApplicationContext start(TestDatabase.Connection db, String... extra) {
    String[] args = java.util.Arrays.copyOf(extra, extra.length + 1);
    args[extra.length] = "--parley.erasure.grace-period=" + GRACE;
    return ParleyNode.start(dataDir, db, args);
  }

  static ApiClient client(ConfigurableApplicationContext context) {
    return ParleyNode.client(context);
  }
}
