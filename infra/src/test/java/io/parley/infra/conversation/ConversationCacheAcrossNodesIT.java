package io.parley.infra.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes on one database, each with its own conversation cache: a node whose cached copy is
 * behind decides on what the other node appended, including decisions that append nothing.
 */
class ConversationCacheAcrossNodesIT {

  @TempDir Path dataDir;

  @Test
  void aNodeSeesWhatTheOtherNodeChangedBeforeDeciding() {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    try (ConfigurableApplicationContext first = ParleyNode.start(dataDir, db);
        ConfigurableApplicationContext second = ParleyNode.start(dataDir, db)) {
      ApiClient a = ParleyNode.client(first);
      ApiClient b = ParleyNode.client(second);
      String alice = a.token("alice", "USER");
      String carol = a.token("carol", "USER");
      String moderator = a.token("mia", "MODERATOR");
      String room =
          a.postJson(
                  "/api/v1/conversations",
                  alice,
                  Map.of("title", "two nodes", "participants", List.of("bob")))
              .json()
              .get("conversationId")
              .asText();
      String messages = "/api/v1/conversations/" + room + "/messages";

      // Node A caches the conversation; carol is not in it; a mild insult is allowed.
      ApiClient.Response mild = a.postJson(messages, alice, Map.of("text", "this stupid printer"));
      assertThat(mild.json().get("verdict").asText()).isEqualTo("ALLOWED");
      assertThat(a.postJson(messages, carol, Map.of("text", "let me in")).status()).isEqualTo(403);
      assertThat(a.postJson(messages, alice, Map.of("text", "still here")).status()).isEqualTo(201);

      // Node B adds carol, sends, and lowers the thresholds far below that insult's score.
      assertThat(
              b.postJson(
                      "/api/v1/conversations/" + room + "/participants",
                      alice,
                      Map.of("userId", "carol"))
                  .status())
          .isEqualTo(204);
      assertThat(b.postJson(messages, alice, Map.of("text", "via b")).status()).isEqualTo(201);
      assertThat(
              b.putJson(
                      "/api/v1/conversations/" + room + "/moderation",
                      moderator,
                      Map.of(
                          "warnThreshold", new BigDecimal("0.100"),
                          "blockThreshold", new BigDecimal("0.200")))
                  .status())
          .isEqualTo(204);

      // Node A, at once: carol is a participant now (a stale copy would answer 403) ...
      ApiClient.Response fromCarol =
          a.postJson(messages, carol, Map.of("text", "this stupid printer"));
      assertThat(fromCarol.status()).isEqualTo(201);
      // ... and the new thresholds apply (a stale copy would deliver it as ALLOWED).
      assertThat(fromCarol.json().get("verdict").asText()).isEqualTo("BLOCKED");
    }
  }
}
