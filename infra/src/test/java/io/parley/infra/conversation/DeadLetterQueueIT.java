package io.parley.infra.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.query.timeline.TimelineProjection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection that cannot apply an event parks it (and the rest of that aggregate's sequence) in
 * the JDBC dead-letter queue instead of stopping; once the cause is fixed, a retry applies it.
 */
class DeadLetterQueueIT extends ParleyIntegrationTest {

  @Autowired JdbcTemplate jdbc;
  @Autowired EventProcessingConfiguration processing;

  @Test
  void failingEventIsDeadLettered_andRetryAppliesItOnceFixed() {
    String token = api.token("dlq-" + UUID.randomUUID().toString().substring(0, 8), "USER");
    String id =
        api.postJson(
                "/api/v1/conversations", token, Map.of("title", "dlq", "participants", List.of()))
            .json()
            .get("conversationId")
            .asText();
    // Corrupt the read model: position 1 is taken by a row no event produced.
    UUID squatter = UUID.randomUUID();
    jdbc.update(
        "insert into timeline_message (message_id, conversation_id, position, sender_id, text, sent_at, verdict, toxicity)"
            + " values (?, ?::uuid, 1, 'nobody', 'x', now(), 'ALLOWED', 0)",
        squatter,
        id);

    String messageId =
        api.postJson("/api/v1/conversations/" + id + "/messages", token, Map.of("text", "parked"))
            .json()
            .get("messageId")
            .asText();
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from dead_letter_entry where processing_group = ? and sequence_identifier is not null"
                    + " and aggregate_identifier = ?",
                Integer.class,
                TimelineProjection.PROCESSING_GROUP,
                id),
        count -> count == 1);
    // The failure rolled back its batch once; the batch was processed again with that event in a
    // savepoint and the processor goes on: another sender's message is applied.
    String otherToken = api.token("fine-" + UUID.randomUUID().toString().substring(0, 8), "USER");
    String other =
        api.postJson(
                "/api/v1/conversations",
                otherToken,
                Map.of("title", "fine", "participants", List.of()))
            .json()
            .get("conversationId")
            .asText();
    api.postJson(
        "/api/v1/conversations/" + other + "/messages", otherToken, Map.of("text", "fine"));
    eventually(
        () ->
            api.get("/api/v1/conversations/" + other + "/messages", otherToken)
                .json()
                .path("items")
                .size(),
        size -> size == 1);
    String cause =
        jdbc.queryForObject(
            "select cause_type from dead_letter_entry where aggregate_identifier = ?",
            String.class,
            id);
    assertThat(cause).isNotBlank();

    jdbc.update("delete from timeline_message where message_id = ?", squatter);
    SequencedDeadLetterProcessor<?> deadLetters =
        processing.sequencedDeadLetterProcessor(TimelineProjection.PROCESSING_GROUP).orElseThrow();
    assertThat(deadLetters.processAny()).isTrue();

    assertThat(
            jdbc.queryForObject(
                "select count(*) from dead_letter_entry where aggregate_identifier = ?",
                Integer.class,
                id))
        .isZero();
    // The retry wrote the row synchronously; the read also needs the conversations projection's
    // participant rows for this conversation (another segment than the one waited for above).
    var page =
        eventually(
                () -> api.get("/api/v1/conversations/" + id + "/messages", token),
                r -> r.status() == 200 && r.json().get("items").size() == 1)
            .json()
            .get("items");
    assertThat(page).hasSize(1);
    assertThat(page.get(0).get("messageId").asText()).isEqualTo(messageId);
  }
}
