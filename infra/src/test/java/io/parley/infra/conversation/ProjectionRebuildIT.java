package io.parley.infra.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.query.conversation.ConversationProjection;
import io.parley.query.timeline.TimelineProjection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Projections against real PostgreSQL: a reset truncates only the projection's own tables, and
 * replaying the event store rebuilds them identically.
 */
class ProjectionRebuildIT extends ParleyIntegrationTest {

  @Autowired JdbcTemplate jdbc;
  @Autowired EventProcessingConfiguration processing;

  static final Map<String, String> TABLES =
      Map.of(
          "conversation_summary", "conversation_id",
          "conversation_participant", "conversation_id, user_id",
          "timeline_message", "message_id");

  @Test
  void resetAndReplay_rebuildsIdenticalTables() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String alice = api.token("alice-" + run, "USER");
    for (int c = 0; c < 3; c++) {
      String id =
          api.postJson(
                  "/api/v1/conversations",
                  alice,
                  Map.of("title", "rebuild " + c, "participants", List.of("bob-" + run)))
              .json()
              .get("conversationId")
              .asText();
      api.postJson(
          "/api/v1/conversations/" + id + "/participants", alice, Map.of("userId", "dave-" + run));
      api.putJson(
          "/api/v1/conversations/" + id + "/moderation",
          alice,
          Map.of("warnThreshold", 0.4, "blockThreshold", 0.9));
      for (int m = 0; m < 20; m++) {
        api.postJson("/api/v1/conversations/" + id + "/messages", alice, Map.of("text", "m" + m));
      }
    }
    awaitCaughtUp(ConversationProjection.PROCESSING_GROUP);
    awaitCaughtUp(TimelineProjection.PROCESSING_GROUP);
    Map<String, List<Map<String, Object>>> before = snapshot();
    assertThat(before.get("timeline_message")).hasSizeGreaterThanOrEqualTo(60);

    for (String group :
        List.of(ConversationProjection.PROCESSING_GROUP, TimelineProjection.PROCESSING_GROUP)) {
      StreamingEventProcessor processor = processor(group);
      processor.shutDown();
      processor.resetTokens();
      processor.start();
    }
    // The reset handlers truncated the tables; the replay refills them.
    awaitCaughtUp(ConversationProjection.PROCESSING_GROUP);
    awaitCaughtUp(TimelineProjection.PROCESSING_GROUP);
    eventually(() -> !processor(TimelineProjection.PROCESSING_GROUP).isReplaying(), done -> done);
    eventually(
        () -> !processor(ConversationProjection.PROCESSING_GROUP).isReplaying(), done -> done);

    assertThat(snapshot()).isEqualTo(before);
  }

  StreamingEventProcessor processor(String group) {
    return processing
        .eventProcessorByProcessingGroup(group, StreamingEventProcessor.class)
        .orElseThrow();
  }

  void awaitCaughtUp(String group) {
    eventually(
        () -> {
          long head =
              jdbc.queryForObject(
                  "select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
          var statuses = processor(group).processingStatus();
          Integer segments =
              jdbc.queryForObject(
                  "select count(*) from token_entry where processor_name = ?",
                  Integer.class,
                  group);
          // All segments claimed here (another node in another test may have held some).
          return statuses.size() == segments
              && statuses.values().stream()
                  .allMatch(
                      status ->
                          status.isCaughtUp() && status.getCurrentPosition().orElse(-1) >= head);
        },
        caughtUp -> caughtUp);
  }

  Map<String, List<Map<String, Object>>> snapshot() {
    Map<String, List<Map<String, Object>>> tables = new java.util.TreeMap<>();
    TABLES.forEach(
        (table, key) ->
            tables.put(table, jdbc.queryForList("select * from " + table + " order by " + key)));
    return tables;
  }
}
