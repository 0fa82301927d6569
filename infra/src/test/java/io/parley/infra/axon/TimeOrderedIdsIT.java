package io.parley.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ParleyIntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ids Parley mints on the message path are time-ordered (UUID version 7): the conversation's,
 * the message's, and every stored event's identifier, so their indexes grow at one end.
 */
class TimeOrderedIdsIT extends ParleyIntegrationTest {

  @Autowired JdbcTemplate jdbc;

  @Test
  void conversationMessageAndEventIdsAreVersion7() {
    String owner = api.token("v7-" + UUID.randomUUID().toString().substring(0, 8), "USER");
    UUID conversation =
        UUID.fromString(
            api.postJson("/api/v1/conversations", owner, Map.of("title", "ids"))
                .json()
                .get("conversationId")
                .asText());
    UUID message =
        UUID.fromString(
            api.postJson(
                    "/api/v1/conversations/" + conversation + "/messages",
                    owner,
                    Map.of("text", "hello"))
                .json()
                .get("messageId")
                .asText());

    assertThat(conversation.version()).isEqualTo(7);
    assertThat(message.version()).isEqualTo(7);
    List<String> eventIds =
        jdbc.queryForList(
            "SELECT event_identifier FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " ORDER BY sequence_number",
            String.class,
            conversation.toString());
    assertThat(eventIds).hasSize(2);
    assertThat(eventIds).allSatisfy(id -> assertThat(UUID.fromString(id).version()).isEqualTo(7));
  }
}
