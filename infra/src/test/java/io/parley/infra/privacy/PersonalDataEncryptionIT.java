package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.infra.support.ParleyIntegrationTest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Every event type with personal fields is stored encrypted (the stored bytes do not contain the
 * clear text) and reads back equal — through Axon's serializer and through the real store.
 */
class PersonalDataEncryptionIT extends ParleyIntegrationTest {

  @Autowired Serializer serializer;
  @Autowired JdbcTemplate jdbc;

  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @Test
  void everyEventWithPersonalFields_roundTripsEncrypted() {
    String secret = "secret-" + UUID.randomUUID();
    List<Object> events =
        List.of(
            new MessageSentEvent(
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                "alice",
                secret,
                Verdict.ALLOWED,
                BigDecimal.ZERO,
                ToxicityScores.NONE,
                "test",
                NOW),
            new ConversationStartedEvent(
                UUID.randomUUID(),
                "alice",
                secret,
                Set.of("alice", "bob"),
                new BigDecimal("0.6"),
                new BigDecimal("0.8"),
                NOW),
            new ErasureRequestedEvent(
                "bob", UUID.randomUUID(), "officer", secret, NOW, NOW.plusSeconds(60)),
            new MessageBlockedEvent(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "carol",
                secret,
                ToxicityScores.of(0.9, 0.5, 0.2, 0.1),
                "test",
                NOW),
            new FlagRaisedEvent(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "bob",
                "carol",
                secret,
                secret + " note",
                BigDecimal.ZERO,
                NOW));
    for (Object event : events) {
      SerializedObject<byte[]> stored = serializer.serialize(event, byte[].class);
      String bytes = new String(stored.getData(), StandardCharsets.UTF_8);
      assertThat(bytes)
          .as(event.getClass().getSimpleName())
          .doesNotContain(secret)
          .contains("pd1:");
      Object back = serializer.deserialize(stored);
      assertThat(back).isEqualTo(event);
    }
  }

  @Test
  void storedEventRows_holdNoClearText_andTheApiReadsItBack() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String token = api.token("enc-" + run, "USER");
    String title = "title-" + run;
    String text = "text-" + run;
    String id =
        api.postJson("/api/v1/conversations", token, Map.of("title", title))
            .json()
            .get("conversationId")
            .asText();
    api.postJson("/api/v1/conversations/" + id + "/messages", token, Map.of("text", text));

    List<byte[]> payloads =
        jdbc.queryForList(
            "select payload from domain_event_entry where aggregate_identifier = ?",
            byte[].class,
            id);
    assertThat(payloads).hasSize(2);
    for (byte[] payload : payloads) {
      String json = new String(payload, StandardCharsets.UTF_8);
      assertThat(json).doesNotContain(title).doesNotContain(text).contains("pd1:enc-" + run);
    }
    var page =
        eventually(
            () -> api.get("/api/v1/conversations/" + id + "/messages", token),
            r -> r.status() == 200 && r.json().get("items").size() == 1);
    assertThat(page.json().get("items").get(0).get("text").asText()).isEqualTo(text);
    assertThat(api.get("/api/v1/conversations/" + id, token).json().get("title").asText())
        .isEqualTo(title);
  }
}
