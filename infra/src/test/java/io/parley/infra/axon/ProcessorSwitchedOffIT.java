package io.parley.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.query.audit.AuditChainProjection;
import io.parley.query.audit.AuditSubjectIndexProjection;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A processor switched off on a node with Axon's own properties and the {@code noEvents} source
 * (what the benchmark does to measure a processor's cost): it handles nothing while the others go
 * on, and a node started without the switch resumes it from where it was and catches up. For the
 * audit chain that is also what an upgrade to a version with the audit does: the chain starts on a
 * store that already has events, covers them as live events (not as a replay, which it would skip)
 * and verifies.
 */
class ProcessorSwitchedOffIT {

  static final String CHAIN = AuditChainProjection.PROCESSING_GROUP;
  static final String SUBJECTS = AuditSubjectIndexProjection.PROCESSING_GROUP;

  @TempDir Path dataDir;

  @Test
  void aSwitchedOffProcessorHandlesNothing_andResumesWhenSwitchedOnAgain() {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    String room;
    try (ConfigurableApplicationContext node =
        ParleyNode.start(
            dataDir,
            db,
            "--axon.eventhandling.processors." + CHAIN + ".mode=subscribing",
            "--axon.eventhandling.processors." + CHAIN + ".source=noEvents",
            // One with a dead-letter queue too.
            "--axon.eventhandling.processors." + SUBJECTS + ".mode=subscribing",
            "--axon.eventhandling.processors." + SUBJECTS + ".source=noEvents")) {
      assertThat(
              node.getBean(EventProcessingConfiguration.class)
                  .eventProcessor(CHAIN, SubscribingEventProcessor.class))
          .isPresent();
      ApiClient api = ParleyNode.client(node);
      String alice = api.token("alice", "USER");
      room = conversationWithMessages(api, alice, 3);
      // The other processors go on: the messages reach the timeline.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                ApiClient.Response page =
                    api.get("/api/v1/conversations/" + room + "/messages", alice);
                return page.status() == 200 && page.json().get("items").size() == 3;
              });
      JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
      assertThat(count(jdbc, "select count(*) from audit_chain")).isZero();
      assertThat(count(jdbc, "select count(*) from audit_subject_event")).isZero();
      assertThat(count(jdbc, "select count(*) from token_entry where processor_name = ?", CHAIN))
          .isZero();
    }

    try (ConfigurableApplicationContext node = ParleyNode.start(dataDir, db)) {
      JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(count(jdbc, "select count(*) from audit_chain"))
                      .isEqualTo(count(jdbc, "select count(*) from domain_event_entry"))
                      .isGreaterThanOrEqualTo(4));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count(jdbc, "select count(*) from audit_subject_event") > 0);
      ApiClient api = ParleyNode.client(node);
      ApiClient.Response integrity =
          api.get(
              "/api/v1/audit/integrity",
              api.token("officer", "COMPLIANCE"),
              Map.of("X-Audit-Reason", "processor switched off test"));
      assertThat(integrity.status()).as(integrity.body()).isEqualTo(200);
      assertThat(integrity.json().get("verified").asBoolean()).as(integrity.body()).isTrue();
    }
  }

  static String conversationWithMessages(ApiClient api, String token, int messages) {
    String room =
        api.postJson(
                "/api/v1/conversations",
                token,
                Map.of("title", "switched off", "participants", List.of("bob")))
            .json()
            .get("conversationId")
            .asText();
    for (int i = 0; i < messages; i++) {
      assertThat(
              api.postJson(
                      "/api/v1/conversations/" + room + "/messages", token, Map.of("text", "m" + i))
                  .status())
          .isEqualTo(201);
    }
    return room;
  }

  static long count(JdbcTemplate jdbc, String sql, Object... arguments) {
    return jdbc.queryForObject(sql, Long.class, arguments);
  }
}
