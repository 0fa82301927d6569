package io.parley.infra.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The send rate limit (default 30 a minute per sender per conversation) holds across two
 * application nodes on one database: the budget is shared, not per node.
 *
 * <p>The nodes run with API.md's burst of 30 but over ten minutes rather than one. The limit is a
 * rate (GCRA: one slot back every {@code period / messages}), so at 30 a minute a slot comes back
 * every 2 s, and on a loaded machine whose 30 sends take longer than that the 31st is rightly let
 * through. At 30 per ten minutes a slot comes back every 20 s, which the sends never take.
 */
class RateLimitIT {

  static final int LIMIT = 30; // API.md's default burst
  static final String PERIOD = "PT10M";

  @TempDir Path dataDir;

  @Test
  void theLimitIsSharedByTwoNodes_andAnswers429WithRetryAfter() {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    String[] limit = {
      "--parley.rate-limit.messages=" + LIMIT, "--parley.rate-limit.period=" + PERIOD
    };
    try (ConfigurableApplicationContext first = ParleyNode.start(dataDir, db, limit);
        ConfigurableApplicationContext second = ParleyNode.start(dataDir, db, limit)) {
      List<ApiClient> nodes = List.of(ParleyNode.client(first), ParleyNode.client(second));
      String alice = nodes.get(0).token("alice", "USER");
      String bob = nodes.get(0).token("bob", "USER");
      String room = conversation(nodes.get(0), alice, "bob");
      String otherRoom = conversation(nodes.get(1), alice, "bob");
      String path = "/api/v1/conversations/" + room + "/messages";

      for (int i = 0; i < LIMIT; i++) {
        ApiClient node = nodes.get(i % 2); // alternate: each node alone sees only half
        assertThat(
                node.postJson(path, alice, Map.of("text", "m" + i, "clientMessageId", "k" + i))
                    .status())
            .as("message %d of %d", i + 1, LIMIT)
            .isEqualTo(201);
      }

      for (ApiClient node : nodes) {
        ApiClient.Response limited = node.postJson(path, alice, Map.of("text", "one too many"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(limited.json().get("status").asInt()).isEqualTo(429);
        assertThat(limited.body()).doesNotContain("one too many");
        long retryAfter = Long.parseLong(limited.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 20L); // one emission interval at most
      }

      // A retry of an accepted message is not a new send: it answers its first outcome.
      assertThat(
              nodes
                  .get(1)
                  .postJson(path, alice, Map.of("text", "m0", "clientMessageId", "k0"))
                  .status())
          .isEqualTo(201);
      // The limit is per sender and per conversation.
      assertThat(nodes.get(1).postJson(path, bob, Map.of("text", "bob may")).status())
          .isEqualTo(201);
      assertThat(
              nodes
                  .get(0)
                  .postJson(
                      "/api/v1/conversations/" + otherRoom + "/messages",
                      alice,
                      Map.of("text", "elsewhere"))
                  .status())
          .isEqualTo(201);
    }
  }

  static String conversation(ApiClient api, String token, String participant) {
    return api.postJson(
            "/api/v1/conversations",
            token,
            Map.of("title", "limited", "participants", List.of(participant)))
        .json()
        .get("conversationId")
        .asText();
  }
}
