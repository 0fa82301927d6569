package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.ParleyApplication;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The default run: embedded PostgreSQL in the data directory, with durable settings. Stop the
 * application, start it again on the same directory: every message is still there (read through a
 * cold aggregate, loaded from its snapshot) and new ones are accepted with the next position.
 */
class EmbeddedDurabilityIT {

  static final int MESSAGES = 150; // many times the snapshot threshold (10)

  @TempDir Path dataDir;

  @Test
  void messagesSurviveARestart_andNewOnesAreAccepted() {
    String conversationId;
    String token;
    try (ConfigurableApplicationContext first = start()) {
      // The run mode's database is as durable as any PostgreSQL (not zonky's test settings).
      JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        assertThat(jdbc.queryForObject("show " + setting, String.class))
            .as(setting)
            .isEqualTo("on");
      }
      ApiClient api = client(first);
      token = api.token("alice", "USER");
      conversationId =
          api.postJson(
                  "/api/v1/conversations",
                  token,
                  Map.of("title", "durable", "participants", List.of("bob")))
              .json()
              .get("conversationId")
              .asText();
      for (int i = 1; i <= MESSAGES; i++) {
        assertThat(
                api.postJson(
                        "/api/v1/conversations/" + conversationId + "/messages",
                        token,
                        Map.of("text", "m" + i))
                    .status())
            .isEqualTo(201);
      }
      awaitMessageCount(api, token, conversationId, MESSAGES);
    }
    assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION"))).isTrue();

    try (ConfigurableApplicationContext second = start()) {
      ApiClient api = client(second);
      // The dev signing key lives in the data directory too: the old token still works.
      JsonNode page =
          api.get("/api/v1/conversations/" + conversationId + "/messages?limit=200", token).json();
      assertThat(page.get("items")).hasSize(MESSAGES);
      assertThat(page.get("items").get(0).get("text").asText()).isEqualTo("m" + MESSAGES);

      assertThat(
              api.postJson(
                      "/api/v1/conversations/" + conversationId + "/messages",
                      token,
                      Map.of("text", "after restart"))
                  .status())
          .isEqualTo(201);
      awaitMessageCount(api, token, conversationId, MESSAGES + 1);
      // The timeline is its own projection: wait for it too, not only for the summary's count.
      JsonNode newest =
          Awaitility.await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      api.get(
                              "/api/v1/conversations/" + conversationId + "/messages?limit=1",
                              token)
                          .json(),
                  latest ->
                      latest.get("items").get(0).get("text").asText().equals("after restart"));
      assertThat(newest.get("items").get(0).get("text").asText()).isEqualTo("after restart");
    }
  }

  ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(ParleyApplication.class)
        .run(
            "--server.port=0",
            "--parley.data-dir=" + dataDir,
            "--parley.db.url=",
            "--parley.rate-limit.messages=1000", // it sends 150 messages in a few seconds
            "--spring.profiles.active=");
  }

  static ApiClient client(ConfigurableApplicationContext context) {
    return ParleyNode.client(context);
  }

  static void awaitMessageCount(ApiClient api, String token, String id, long count) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> api.get("/api/v1/conversations/" + id, token),
            r -> r.status() == 200 && r.json().get("messageCount").asLong() == count);
    // The timeline is a separate projection with its own pace.
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> api.get("/api/v1/conversations/" + id + "/messages?limit=200", token),
            r -> r.status() == 200 && r.json().get("items").size() == count);
  }
}
