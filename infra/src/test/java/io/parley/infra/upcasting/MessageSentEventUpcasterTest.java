package io.parley.infra.upcasting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

class MessageSentEventUpcasterTest {

  final JacksonSerializer serializer =
      JacksonSerializer.builder()
          .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule()))
          .build();

  @Test
  void upcast_readsARevision1MessageAsUnscored_withItsToxicityAsTheGeneralScore() {
    UUID conversation = UUID.randomUUID();
    UUID message = UUID.randomUUID();
    String revision1 =
        """
        {"conversationId":"%s","messageId":"%s","position":7,"senderId":"alice",
         "text":"hi","verdict":"ALLOWED","toxicity":0,"sentAt":"2026-11-01T10:00:00Z"}
        """
            .formatted(conversation, message);

    List<IntermediateEventRepresentation> upcast =
        new MessageSentEventUpcaster().upcast(Stream.of(stored(revision1, "1"))).toList();

    assertThat(upcast).hasSize(1);
    assertThat(upcast.get(0).getType().getRevision()).isEqualTo("2");
    MessageSentEvent event =
        serializer.deserialize(
            new SimpleSerializedObject<>(
                upcast.get(0).getData(String.class).getData(),
                String.class,
                upcast.get(0).getType()));
    assertThat(event.position()).isEqualTo(7);
    assertThat(event.verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(event.sentAt()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
    assertThat(event.scorer()).isEqualTo(MessageSentEvent.UNSCORED);
    assertThat(event.scores().toxicity()).isZero();
    assertThat(event.scores().highest()).isZero();
  }

  @Test
  void upcast_leavesRevision2Alone() {
    IntermediateEventRepresentation current = stored("{}", "2");
    List<IntermediateEventRepresentation> upcast =
        new MessageSentEventUpcaster().upcast(Stream.of(current)).toList();
    assertThat(upcast).containsExactly(current);
  }

  private IntermediateEventRepresentation stored(String payload, String revision) {
    GenericDomainEventEntry<byte[]> entry =
        new GenericDomainEventEntry<>(
            "ConversationAggregate",
            UUID.randomUUID().toString(),
            0,
            UUID.randomUUID().toString(),
            Instant.now(),
            MessageSentEvent.class.getName(),
            revision,
            payload.getBytes(StandardCharsets.UTF_8),
            "{}".getBytes(StandardCharsets.UTF_8));
    return new InitialEventRepresentation(entry, serializer);
  }
}
