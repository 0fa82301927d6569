package io.parley.infra.integration;

import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.integration.CardFailedV1;
import io.parley.api.integration.CardGeneratedV1;
import io.parley.api.integration.CardRequestedV1;
import io.parley.api.integration.ConsentGrantedV1;
import io.parley.api.integration.ConsentWithdrawnV1;
import io.parley.api.integration.ConversationStartedV1;
import io.parley.api.integration.ErasureCancelledV1;
import io.parley.api.integration.ErasureRequestedV1;
import io.parley.api.integration.FlagRaisedAutomaticallyV1;
import io.parley.api.integration.FlagRaisedV1;
import io.parley.api.integration.FlagResolvedV1;
import io.parley.api.integration.FlagReviewStartedV1;
import io.parley.api.integration.IntegrationEvent;
import io.parley.api.integration.IntegrationTopics;
import io.parley.api.integration.MessageBlockedV1;
import io.parley.api.integration.MessageRemovedV1;
import io.parley.api.integration.MessageSentV1;
import io.parley.api.integration.ModerationThresholdsChangedV1;
import io.parley.api.integration.ParticipantAddedV1;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.ErasureCancelledEvent;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Maps each published domain event type to its integration record, topic and key
 * (docs/integration-events.md). Every field is copied by name, on purpose: a new field of a domain
 * event reaches Kafka only when someone adds it here, so personal data ({@code @PersonalData}
 * fields, user ids outside the subjects topic) cannot slip out by accident.
 *
 * <p>Not published: {@code AuditAccessedEvent} (who read the audit trail and why: the reader's id
 * and own words, of interest to compliance only, which reads it from the audit trail itself) and
 * {@code RetentionSweptEvent} (housekeeping: no conversation, message or subject to key it by; the
 * expired content was never published), and {@code CardProviderCalledEvent} (a card's provenance:
 * which external provider was called and how it went, for the audit of a card, not for other
 * systems). Of a card, {@link IntegrationTopics#CARDS} gets neither the title nor the caption
 * (personal data of every contributor), nor the requester's or contributors' ids (only their
 * count), nor the window's hash or the artwork.
 */
public final class IntegrationEventMapper {

  /** The domain event types that are published. */
  public static final Set<Class<?>> PUBLISHED =
      Set.of(
          ConversationStartedEvent.class,
          ParticipantAddedEvent.class,
          MessageSentEvent.class,
          ModerationThresholdsChangedEvent.class,
          MessageBlockedEvent.class,
          FlagRaisedEvent.class,
          FlagRaisedAutomaticallyEvent.class,
          FlagReviewStartedEvent.class,
          FlagResolvedEvent.class,
          MessageRemovedEvent.class,
          CardRequestedEvent.class,
          CardGeneratedEvent.class,
          CardFailedEvent.class,
          ConsentGrantedEvent.class,
          ConsentWithdrawnEvent.class,
          ErasureRequestedEvent.class,
          ErasureCancelledEvent.class,
          SubjectErasedEvent.class);

  /** Whether events of this payload type are published (decided without deserializing them). */
  public boolean publishes(Class<?> payloadType) {
    return PUBLISHED.contains(payloadType);
  }

  /**
   * The record for a domain event, or empty if its type is not published. {@code consentsAsOf}
   * gives the subject's consents as of this event (purpose → granted); it is asked only for the
   * records of the subjects topic.
   */
  public Optional<IntegrationRecord> map(
      Object event,
      String eventId,
      Instant occurredAt,
      Supplier<Map<String, Boolean>> consentsAsOf) {
    return Optional.ofNullable(recordFor(event, eventId, occurredAt, consentsAsOf));
  }

  private static IntegrationRecord recordFor(
      Object event, String id, Instant at, Supplier<Map<String, Boolean>> consents) {
    // parley.conversations.v1, keyed by conversation
    if (event instanceof ConversationStartedEvent e) {
      return conversation(
          e.conversationId(),
          new ConversationStartedV1(
              id,
              at,
              e.conversationId(),
              e.participants() == null ? 0 : e.participants().size(),
              e.warnThreshold(),
              e.blockThreshold()));
    }
    if (event instanceof ParticipantAddedEvent e) {
      return conversation(e.conversationId(), new ParticipantAddedV1(id, at, e.conversationId()));
    }
    if (event instanceof MessageSentEvent e) {
      return conversation(
          e.conversationId(),
          new MessageSentV1(
              id,
              at,
              e.conversationId(),
              e.messageId(),
              e.position(),
              e.verdict() == null ? null : e.verdict().name(),
              e.toxicity()));
    }
    if (event instanceof ModerationThresholdsChangedEvent e) {
      return conversation(
          e.conversationId(),
          new ModerationThresholdsChangedV1(
              id, at, e.conversationId(), e.warnThreshold(), e.blockThreshold()));
    }
    // parley.moderation.v1, keyed by message
    if (event instanceof MessageBlockedEvent e) {
      return moderation(
          e.messageId().toString(),
          new MessageBlockedV1(
              id,
              at,
              e.conversationId(),
              e.messageId(),
              e.scores() == null ? null : e.scores().highest()));
    }
    if (event instanceof FlagRaisedEvent e) {
      return moderation(
          e.messageId().toString(),
          new FlagRaisedV1(id, at, e.flagId(), e.messageId(), e.conversationId(), e.toxicity()));
    }
    if (event instanceof FlagRaisedAutomaticallyEvent e) {
      return moderation(
          e.messageId().toString(),
          new FlagRaisedAutomaticallyV1(
              id, at, e.flagId(), e.messageId(), e.conversationId(), e.toxicity()));
    }
    if (event instanceof FlagReviewStartedEvent e) {
      return moderation(
          e.messageId().toString(), new FlagReviewStartedV1(id, at, e.flagId(), e.messageId()));
    }
    if (event instanceof FlagResolvedEvent e) {
      return moderation(
          e.messageId().toString(),
          new FlagResolvedV1(
              id,
              at,
              e.flagId(),
              e.messageId(),
              e.conversationId(),
              e.outcome() == null ? null : e.outcome().name(),
              e.raisedAt()));
    }
    if (event instanceof MessageRemovedEvent e) {
      return moderation(
          e.messageId().toString(),
          new MessageRemovedV1(id, at, e.conversationId(), e.messageId(), e.flagId()));
    }
    // parley.cards.v1, keyed by card
    if (event instanceof CardRequestedEvent e) {
      return card(
          e.cardId(),
          new CardRequestedV1(
              id,
              at,
              e.cardId(),
              e.conversationId(),
              e.trigger() == null ? null : e.trigger().name(),
              e.number(),
              e.afterPosition(),
              e.upToPosition()));
    }
    if (event instanceof CardGeneratedEvent e) {
      return card(
          e.cardId(),
          new CardGeneratedV1(
              id,
              at,
              e.cardId(),
              e.conversationId(),
              e.rarity() == null ? null : e.rarity().name(),
              threeDecimals(e.polarity()),
              threeDecimals(e.confidence()),
              e.messageCount(),
              e.contributorIds() == null ? 0 : e.contributorIds().size(),
              e.provider(),
              e.model(),
              e.fallbackReason() != null));
    }
    if (event instanceof CardFailedEvent e) {
      return card(
          e.cardId(),
          new CardFailedV1(
              id,
              at,
              e.cardId(),
              e.conversationId(),
              e.reason() == null ? null : e.reason().name()));
    }
    // parley.subjects.v1, keyed by subject: the only topic with user ids
    if (event instanceof ConsentGrantedEvent e) {
      return subject(
          e.subjectId(),
          new ConsentGrantedV1(
              id, at, e.subjectId(), e.purpose().name(), e.policyVersion(), consents.get()));
    }
    if (event instanceof ConsentWithdrawnEvent e) {
      return subject(
          e.subjectId(),
          new ConsentWithdrawnV1(
              id, at, e.subjectId(), e.purpose().name(), e.policyVersion(), consents.get()));
    }
    if (event instanceof ErasureRequestedEvent e) {
      return subject(
          e.subjectId(),
          new ErasureRequestedV1(
              id, at, e.subjectId(), e.erasureId(), e.effectiveAt(), consents.get()));
    }
    if (event instanceof ErasureCancelledEvent e) {
      return subject(
          e.subjectId(),
          new ErasureCancelledV1(id, at, e.subjectId(), e.erasureId(), consents.get()));
    }
    if (event instanceof SubjectErasedEvent e) {
      // The erasure carried out: a tombstone, so that compaction removes the subject's records.
      return new IntegrationRecord(
          IntegrationTopics.SUBJECTS, e.subjectId(), IntegrationTopics.SUBJECT_ERASED, id, null);
    }
    return null;
  }

  private static IntegrationRecord conversation(UUID conversationId, IntegrationEvent value) {
    return new IntegrationRecord(
        IntegrationTopics.CONVERSATIONS,
        conversationId.toString(),
        value.type(),
        value.eventId(),
        value);
  }

  private static IntegrationRecord moderation(String messageId, IntegrationEvent value) {
    return new IntegrationRecord(
        IntegrationTopics.MODERATION, messageId, value.type(), value.eventId(), value);
  }

  private static IntegrationRecord card(UUID cardId, IntegrationEvent value) {
    return new IntegrationRecord(
        IntegrationTopics.CARDS, cardId.toString(), value.type(), value.eventId(), value);
  }

  /** A card's sentiment as the API shows it: three decimals (half even). */
  private static BigDecimal threeDecimals(double value) {
    return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN);
  }

  private static IntegrationRecord subject(String subjectId, IntegrationEvent value) {
    return new IntegrationRecord(
        IntegrationTopics.SUBJECTS, subjectId, value.type(), value.eventId(), value);
  }
}
