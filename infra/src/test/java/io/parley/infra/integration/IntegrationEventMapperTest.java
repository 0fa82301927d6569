package io.parley.infra.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.audit.AuditAccessedEvent;
import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardProviderCalledEvent;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.card.CardTrigger;
import io.parley.api.card.Rarity;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.integration.CardFailedV1;
import io.parley.api.integration.CardGeneratedV1;
import io.parley.api.integration.CardRequestedV1;
import io.parley.api.integration.IntegrationTopics;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.ErasureCancelledEvent;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The mapping from domain events to integration records, without Kafka: each published type goes to
 * its topic under its key, and no personal field of any of them reaches a record's JSON. (The Kafka
 * ITs prove the same on the wire, from the HTTP API.)
 */
class IntegrationEventMapperTest {

  static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
  static final UUID CONVERSATION = UUID.randomUUID();
  static final UUID MESSAGE = UUID.randomUUID();
  static final UUID FLAG = UUID.randomUUID();
  static final UUID ERASURE = UUID.randomUUID();
  static final UUID CARD = UUID.randomUUID();
  static final BigDecimal WARN = new BigDecimal("0.6");
  static final BigDecimal BLOCK = new BigDecimal("0.8");

  /** Personal data and user ids in the events below; none may be in a record outside subjects. */
  static final Set<String> PERSONAL =
      Set.of(
          "OWNER-ID",
          "TITLE-TEXT",
          "PARTICIPANT-ID",
          "SENDER-ID",
          "MESSAGE-TEXT",
          "ADDED-BY-ID",
          "CHANGED-BY-ID",
          "FLAGGER-ID",
          "FLAG-REASON",
          "FLAG-NOTE",
          "MODERATOR-ID",
          "REQUESTED-BY-ID",
          "ERASURE-REASON",
          "CARD-REQUESTER-ID",
          "CARD-TITLE",
          "CARD-CAPTION",
          "CONTRIBUTOR-ID",
          "WINDOW-HASH",
          "ARTWORK-SVG");

  final IntegrationEventMapper mapper = new IntegrationEventMapper();

  /**
   * The subject's consents as of the event (the publisher reads them from the subject's stream).
   */
  static final java.util.function.Supplier<Map<String, Boolean>> CONSENTS =
      () -> Map.of("ANALYTICS", true);

  static final ToxicityScores SCORES = ToxicityScores.of(0.1, 0.2, 0.9, 0.3);

  static final CardRequestedEvent CARD_REQUESTED =
      new CardRequestedEvent(
          CARD, CONVERSATION, 3, CardTrigger.REQUESTED, "CARD-REQUESTER-ID", 40, 52, AT);

  static final CardGeneratedEvent CARD_GENERATED =
      new CardGeneratedEvent(
          CARD,
          CONVERSATION,
          Rarity.EPIC,
          0.6444,
          0.8125,
          "CARD-TITLE",
          "CARD-CAPTION",
          List.of("CONTRIBUTOR-ID-1", "CONTRIBUTOR-ID-2"),
          12,
          "WINDOW-HASH",
          "<svg>ARTWORK-SVG</svg>",
          "acme-ai",
          "acme-model-2",
          "TIMEOUT",
          null,
          AT);

  static final CardFailedEvent CARD_FAILED =
      new CardFailedEvent(CARD, CONVERSATION, CardFailureReason.NO_CONSENTED_MESSAGES, AT);

  /** One event of each published type, every field filled, with its topic and key. */
  static final Map<Object, List<String>> PUBLISHED =
      Map.ofEntries(
          Map.entry(
              new ConversationStartedEvent(
                  CONVERSATION,
                  "OWNER-ID",
                  "TITLE-TEXT",
                  Set.of("OWNER-ID", "PARTICIPANT-ID"),
                  WARN,
                  BLOCK,
                  AT),
              List.of(IntegrationTopics.CONVERSATIONS, CONVERSATION.toString())),
          Map.entry(
              new ParticipantAddedEvent(CONVERSATION, "PARTICIPANT-ID", "ADDED-BY-ID", AT),
              List.of(IntegrationTopics.CONVERSATIONS, CONVERSATION.toString())),
          Map.entry(
              new MessageSentEvent(
                  CONVERSATION,
                  MESSAGE,
                  7,
                  "SENDER-ID",
                  "MESSAGE-TEXT",
                  Verdict.WARNED,
                  SCORES.highest(),
                  SCORES,
                  "builtin",
                  AT),
              List.of(IntegrationTopics.CONVERSATIONS, CONVERSATION.toString())),
          Map.entry(
              new ModerationThresholdsChangedEvent(CONVERSATION, WARN, BLOCK, "CHANGED-BY-ID", AT),
              List.of(IntegrationTopics.CONVERSATIONS, CONVERSATION.toString())),
          Map.entry(
              new MessageBlockedEvent(
                  CONVERSATION, MESSAGE, "SENDER-ID", "MESSAGE-TEXT", SCORES, "builtin", AT),
              List.of(IntegrationTopics.MODERATION, MESSAGE.toString())),
          Map.entry(
              new FlagRaisedEvent(
                  FLAG,
                  MESSAGE,
                  CONVERSATION,
                  "SENDER-ID",
                  "FLAGGER-ID",
                  "FLAG-REASON",
                  "FLAG-NOTE",
                  WARN,
                  AT),
              List.of(IntegrationTopics.MODERATION, MESSAGE.toString())),
          Map.entry(
              new FlagRaisedAutomaticallyEvent(
                  FLAG, MESSAGE, CONVERSATION, "SENDER-ID", WARN, "builtin", AT),
              List.of(IntegrationTopics.MODERATION, MESSAGE.toString())),
          Map.entry(
              new FlagReviewStartedEvent(FLAG, MESSAGE, "MODERATOR-ID", AT),
              List.of(IntegrationTopics.MODERATION, MESSAGE.toString())),
          Map.entry(
              new FlagResolvedEvent(
                  FLAG, MESSAGE, CONVERSATION, FlagOutcome.UPHELD, "MODERATOR-ID", AT, AT),
              List.of(IntegrationTopics.MODERATION, MESSAGE.toString())),
          Map.entry(
              new MessageRemovedEvent(CONVERSATION, MESSAGE, "SENDER-ID", FLAG, "MODERATOR-ID", AT),
              List.of(IntegrationTopics.MODERATION, MESSAGE.toString())),
          Map.entry(CARD_REQUESTED, List.of(IntegrationTopics.CARDS, CARD.toString())),
          Map.entry(CARD_GENERATED, List.of(IntegrationTopics.CARDS, CARD.toString())),
          Map.entry(CARD_FAILED, List.of(IntegrationTopics.CARDS, CARD.toString())),
          Map.entry(
              new ConsentGrantedEvent("SUBJECT-ID", ConsentPurpose.ANALYTICS, "v1", AT),
              List.of(IntegrationTopics.SUBJECTS, "SUBJECT-ID")),
          Map.entry(
              new ConsentWithdrawnEvent("SUBJECT-ID", ConsentPurpose.ANALYTICS, "v1", AT),
              List.of(IntegrationTopics.SUBJECTS, "SUBJECT-ID")),
          Map.entry(
              new ErasureRequestedEvent(
                  "SUBJECT-ID", ERASURE, "REQUESTED-BY-ID", "ERASURE-REASON", AT, AT),
              List.of(IntegrationTopics.SUBJECTS, "SUBJECT-ID")),
          Map.entry(
              new ErasureCancelledEvent("SUBJECT-ID", ERASURE, AT),
              List.of(IntegrationTopics.SUBJECTS, "SUBJECT-ID")),
          Map.entry(
              new SubjectErasedEvent("SUBJECT-ID", ERASURE, AT, 3, 10, 1, 2),
              List.of(IntegrationTopics.SUBJECTS, "SUBJECT-ID")));

  @Test
  void everyPublishedType_goesToItsTopic_underItsKey() {
    assertThat(PUBLISHED.keySet().stream().map(Object::getClass))
        .containsExactlyInAnyOrderElementsOf(IntegrationEventMapper.PUBLISHED);
    PUBLISHED.forEach(
        (event, topicAndKey) -> {
          IntegrationRecord record = mapper.map(event, "event-1", AT, CONSENTS).orElseThrow();
          assertThat(record.topic())
              .as(event.getClass().getSimpleName())
              .isEqualTo(topicAndKey.get(0));
          assertThat(record.key())
              .as(event.getClass().getSimpleName())
              .isEqualTo(topicAndKey.get(1));
          assertThat(record.eventId()).isEqualTo("event-1");
          assertThat(record.type() + "Event").isEqualTo(event.getClass().getSimpleName());
        });
  }

  @Test
  void noRecordCarriesPersonalData_andOnlySubjectRecordsAUserId() {
    PUBLISHED.forEach(
        (event, topicAndKey) -> {
          IntegrationRecord record = mapper.map(event, "event-1", AT, CONSENTS).orElseThrow();
          if (record.isTombstone()) {
            assertThat(event).isInstanceOf(SubjectErasedEvent.class);
            return;
          }
          String json = new String(KafkaIntegrationProducer.json(record), StandardCharsets.UTF_8);
          assertThat(json).startsWith("{\"type\":\"" + record.type() + "\",\"version\":1,");
          for (String personal : PERSONAL) {
            assertThat(json).as(record.type()).doesNotContain(personal);
          }
          if (!record.topic().equals(IntegrationTopics.SUBJECTS)) {
            assertThat(json).doesNotContain("SUBJECT-ID");
          } else {
            assertThat(json).contains("\"consents\":{\"ANALYTICS\":true}");
          }
        });
  }

  @Test
  void cardRecords_carryIdsCountsAndEnums_only() {
    assertThat(mapper.map(CARD_REQUESTED, "e", AT, CONSENTS).orElseThrow().value())
        .isEqualTo(new CardRequestedV1("e", AT, CARD, CONVERSATION, "REQUESTED", 3, 40, 52));
    assertThat(mapper.map(CARD_GENERATED, "e", AT, CONSENTS).orElseThrow().value())
        .isEqualTo(
            new CardGeneratedV1(
                "e",
                AT,
                CARD,
                CONVERSATION,
                "EPIC",
                new BigDecimal("0.644"),
                new BigDecimal("0.812"),
                12,
                2,
                "acme-ai",
                "acme-model-2",
                true));
    assertThat(mapper.map(CARD_FAILED, "e", AT, CONSENTS).orElseThrow().value())
        .isEqualTo(new CardFailedV1("e", AT, CARD, CONVERSATION, "NO_CONSENTED_MESSAGES"));

    // The built-in generator, no fallback: model null, fallback false; an automatic card.
    CardGeneratedEvent builtIn =
        new CardGeneratedEvent(
            CARD,
            CONVERSATION,
            Rarity.COMMON,
            -0.25,
            1.0,
            "t",
            "c",
            List.of("u"),
            1,
            "h",
            "s",
            "builtin",
            null,
            null,
            null,
            AT);
    String json =
        new String(
            KafkaIntegrationProducer.json(mapper.map(builtIn, "e", AT, CONSENTS).orElseThrow()),
            StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"type\":\"CardGenerated\",\"version\":1,\"eventId\":\"e\","
                + "\"occurredAt\":\"2026-12-01T10:00:00Z\",\"cardId\":\""
                + CARD
                + "\",\"conversationId\":\""
                + CONVERSATION
                + "\",\"rarity\":\"COMMON\",\"polarity\":-0.25,\"confidence\":1,"
                + "\"messageCount\":1,\"contributorCount\":1,\"provider\":\"builtin\","
                + "\"model\":null,\"fallback\":false}");
    assertThat(
            mapper
                .map(
                    new CardRequestedEvent(
                        CARD, CONVERSATION, 4, CardTrigger.AUTOMATIC, null, 52, 102, AT),
                    "e",
                    AT,
                    CONSENTS)
                .orElseThrow()
                .value())
        .isEqualTo(new CardRequestedV1("e", AT, CARD, CONVERSATION, "AUTOMATIC", 4, 52, 102));
  }

  @Test
  void cardProviderCalls_areNotPublished() {
    assertThat(mapper.publishes(CardProviderCalledEvent.class)).isFalse();
  }

  @Test
  void auditReadsAndRetentionSweeps_areNotPublished() {
    assertThat(mapper.publishes(AuditAccessedEvent.class)).isFalse();
    assertThat(mapper.publishes(RetentionSweptEvent.class)).isFalse();
    assertThat(
            mapper.map(
                new AuditAccessedEvent(
                    UUID.randomUUID(), "READER-ID", "why", "events", Map.of(), 1, AT),
                "e",
                AT,
                CONSENTS))
        .isEmpty();
    assertThat(
            mapper.map(new RetentionSweptEvent(DataCategory.MESSAGE, AT, 1, AT), "e", AT, CONSENTS))
        .isEmpty();
  }
}
