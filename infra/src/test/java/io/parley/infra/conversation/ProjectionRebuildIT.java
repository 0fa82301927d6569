package io.parley.infra.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.query.card.CardProjection;
import io.parley.query.conversation.ConversationProjection;
import io.parley.query.moderation.ModerationProjection;
import io.parley.query.timeline.TimelineProjection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

  /** Each read model table, as a query with a stable order. */
  static final Map<String, String> TABLES =
      Map.of(
          "conversation_summary", "select * from conversation_summary order by conversation_id",
          "conversation_participant",
              "select * from conversation_participant order by conversation_id, user_id",
          "timeline_message", "select * from timeline_message order by message_id",
          // The queue's order must survive; its position values are an identity (gaps allowed).
          "moderation_flag",
              "select flag_id, message_id, conversation_id, message_sender_id, source, flagger_id,"
                  + " reason, note, toxicity, status, outcome, reviewer_id, raised_at,"
                  + " review_started_at, resolved_at from moderation_flag order by queue_position",
          "blocked_message", "select * from blocked_message order by message_id",
          "card", "select * from card order by card_id",
          "card_contributor", "select * from card_contributor order by card_id, subject_id",
          "card_provider_call", "select * from card_provider_call order by call_id, card_id");

  static final List<String> GROUPS =
      List.of(
          ConversationProjection.PROCESSING_GROUP,
          TimelineProjection.PROCESSING_GROUP,
          ModerationProjection.PROCESSING_GROUP,
          CardProjection.PROCESSING_GROUP);

  @Test
  void resetAndReplay_rebuildsIdenticalTables() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String alice = api.token("alice-" + run, "USER");
    String bob = api.token("bob-" + run, "USER");
    String moderator = api.token("mod-" + run, "USER", "MODERATOR");
    api.putJson(
        "/api/v1/me/consents/CARD_GENERATION",
        alice,
        Map.of("granted", true, "policyVersion", "v1"));
    List<String> cards = new java.util.ArrayList<>();
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
          Map.of("warnThreshold", 0.4, "blockThreshold", 0.8));
      for (int m = 0; m < 20; m++) {
        api.postJson("/api/v1/conversations/" + id + "/messages", alice, Map.of("text", "m" + m));
      }
      // Moderation: a warned message (automatic flag), a blocked one, a user flag upheld.
      api.postJson(
          "/api/v1/conversations/" + id + "/messages", alice, Map.of("text", "you are an idiot"));
      api.postJson(
          "/api/v1/conversations/" + id + "/messages",
          alice,
          Map.of("text", "I will kill you, you worthless piece of shit"));
      String flagged =
          api.postJson("/api/v1/conversations/" + id + "/messages", alice, Map.of("text", "spam"))
              .json()
              .get("messageId")
              .asText();
      String flagId =
          eventually(
                  () ->
                      api.postJson(
                          "/api/v1/messages/" + flagged + "/flags", bob, Map.of("reason", "spam")),
                  r -> r.status() == 201)
              .json()
              .get("flagId")
              .asText();
      api.postJson("/api/v1/flags/" + flagId + "/review", moderator, Map.of());
      api.postJson("/api/v1/flags/" + flagId + "/resolve", moderator, Map.of("outcome", "UPHELD"));
      cards.add(
          api.postJson("/api/v1/conversations/" + id + "/cards", alice, null)
              .json()
              .get("cardId")
              .asText());
    }
    for (String card : cards) {
      eventually(
          () -> api.get("/api/v1/cards/" + card, alice),
          r -> r.status() == 200 && !r.json().get("status").asText().equals("PENDING"));
    }
    GROUPS.forEach(this::awaitCaughtUp);
    Map<String, List<Map<String, Object>>> before = snapshot();
    assertThat(before.get("timeline_message")).hasSizeGreaterThanOrEqualTo(60);
    assertThat(before.get("moderation_flag")).hasSizeGreaterThanOrEqualTo(6);
    assertThat(before.get("blocked_message")).hasSizeGreaterThanOrEqualTo(3);
    assertThat(before.get("card_contributor")).hasSizeGreaterThanOrEqualTo(3);

    for (String group : GROUPS) {
      StreamingEventProcessor processor = processor(group);
      processor.shutDown();
      processor.resetTokens();
      processor.start();
    }
    // The reset handlers truncated the tables; the replay refills them.
    GROUPS.forEach(this::awaitCaughtUp);
    for (String group : GROUPS) {
      eventually(() -> !processor(group).isReplaying(), done -> done);
    }

    Map<String, List<Map<String, Object>>> after = snapshot();
    before.forEach(
        (table, rows) -> {
          // The rows that differ, not two lists of thousands of rows.
          List<Map<String, Object>> lost = new java.util.ArrayList<>(rows);
          lost.removeAll(after.get(table));
          List<Map<String, Object>> gained = new java.util.ArrayList<>(after.get(table));
          gained.removeAll(rows);
          assertThat(lost).as(table + ": rows before the replay, not after").isEmpty();
          assertThat(gained).as(table + ": rows after the replay, not before").isEmpty();
          assertThat(after.get(table)).as(table).isEqualTo(rows);
        });
  }

  Map<String, List<Map<String, Object>>> snapshot() {
    Map<String, List<Map<String, Object>>> tables = new java.util.TreeMap<>();
    TABLES.forEach((table, query) -> tables.put(table, jdbc.queryForList(query)));
    return tables;
  }
}
