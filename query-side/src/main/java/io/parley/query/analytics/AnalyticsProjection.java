package io.parley.query.analytics;

import static io.parley.migrations.jooq.Tables.ANALYTICS_CONSENT;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_CARD;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_FLAG;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_MESSAGE;
import static io.parley.migrations.jooq.analytics.Tables.CARD_DAILY;
import static io.parley.migrations.jooq.analytics.Tables.CONVERSATION_DAILY;
import static io.parley.migrations.jooq.analytics.Tables.MODERATION_DAILY;

import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagSource;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.query.PerBatch;
import io.parley.query.analytics.AnalyticsBatch.CardGenerated;
import io.parley.query.analytics.AnalyticsBatch.Consent;
import io.parley.query.analytics.AnalyticsBatch.FlagRaised;
import io.parley.query.analytics.AnalyticsBatch.FlagResolved;
import io.parley.query.analytics.AnalyticsBatch.Message;
import io.parley.query.analytics.AnalyticsBatch.MessageKind;
import io.parley.query.analytics.AnalyticsBatch.Step;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * The analytics tables (schema {@code analytics}, ADR 0015, docs/analytics.md): daily counts of the
 * activity of subjects who had granted {@code ANALYTICS} when it happened.
 *
 * <p>Whose consent counts: a message's (sent or blocked) is its sender's; a user flag's is the
 * flagger's; an automatic flag's is the sender of the flagged message (their message caused it). A
 * flag's resolution is counted when the flag was; the moderator's consent plays no part (no
 * moderator appears in the tables). A card made (READY) is the activity of every contributor (its
 * title and caption are drawn from all their messages): it is counted only if every one of them
 * consents.
 *
 * <p>The projection keeps its own view of who has granted {@code ANALYTICS} ({@code
 * analytics_consent}, outside the schema), changed by the consent events in the order it sees them,
 * so a replay decides every event as the first pass did and yields the same tables. That order is
 * the store's only with one segment: the processor must keep exactly one (application.yml).
 *
 * <p>Handlers only collect; the batch is decided and written when it commits ({@link PerBatch},
 * {@link AnalyticsBatch}). Idempotent: counted messages, flags and cards are remembered by id, so a
 * redelivered event counts once.
 */
@Component
@ProcessingGroup(AnalyticsProjection.PROCESSING_GROUP)
public class AnalyticsProjection {

  public static final String PROCESSING_GROUP = "analytics";

  private static final String BATCH = AnalyticsProjection.class.getName() + ".batch";

  private final DSLContext db;

  public AnalyticsProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(ConsentGrantedEvent event, UnitOfWork<?> unitOfWork) {
    if (event.purpose() == ConsentPurpose.ANALYTICS) {
      batch(unitOfWork).add(new Consent(event.subjectId(), true));
    }
  }

  @EventHandler
  void on(ConsentWithdrawnEvent event, UnitOfWork<?> unitOfWork) {
    if (event.purpose() == ConsentPurpose.ANALYTICS) {
      batch(unitOfWork).add(new Consent(event.subjectId(), false));
    }
  }

  /** The subject's row in the consent view is personal data: it goes (as on a withdrawal). */
  @EventHandler
  void on(SubjectErasedEvent event, UnitOfWork<?> unitOfWork) {
    batch(unitOfWork).add(new Consent(event.subjectId(), false));
  }

  @EventHandler
  void on(MessageSentEvent event, UnitOfWork<?> unitOfWork) {
    batch(unitOfWork)
        .add(
            new Message(
                event.senderId(),
                event.messageId(),
                event.conversationId(),
                day(event.sentAt()),
                event.verdict() == Verdict.WARNED ? MessageKind.WARNED : MessageKind.ALLOWED));
  }

  @EventHandler
  void on(MessageBlockedEvent event, UnitOfWork<?> unitOfWork) {
    batch(unitOfWork)
        .add(
            new Message(
                event.senderId(),
                event.messageId(),
                event.conversationId(),
                day(event.blockedAt()),
                MessageKind.BLOCKED));
  }

  /** A user's flag: the flagger's activity. */
  @EventHandler
  void on(FlagRaisedEvent event, UnitOfWork<?> unitOfWork) {
    batch(unitOfWork)
        .add(
            new FlagRaised(
                event.flaggerId(), event.flagId(), day(event.raisedAt()), FlagSource.USER.name()));
  }

  /** The scorer's flag: caused by the sender's message, so the sender's activity. */
  @EventHandler
  void on(FlagRaisedAutomaticallyEvent event, UnitOfWork<?> unitOfWork) {
    batch(unitOfWork)
        .add(
            new FlagRaised(
                event.messageSenderId(),
                event.flagId(),
                day(event.raisedAt()),
                FlagSource.AUTO.name()));
  }

  @EventHandler
  void on(FlagResolvedEvent event, UnitOfWork<?> unitOfWork) {
    batch(unitOfWork)
        .add(
            new FlagResolved(
                event.flagId(),
                event.outcome().name(),
                seconds(Duration.between(event.raisedAt(), event.resolvedAt()))));
  }

  /**
   * A card made: on the UTC day of its {@code generatedAt}, under its rarity, if every contributor
   * consents at this point of the stream. Its title and caption are not read.
   */
  @EventHandler
  void on(CardGeneratedEvent event, UnitOfWork<?> unitOfWork) {
    batch(unitOfWork)
        .add(
            new CardGenerated(
                event.contributorIds() == null ? List.of() : List.copyOf(event.contributorIds()),
                event.cardId(),
                day(event.generatedAt()),
                event.rarity().name()));
  }

  @ResetHandler
  void reset() {
    db.truncate(CONVERSATION_DAILY).execute();
    db.truncate(MODERATION_DAILY).execute();
    db.truncate(CARD_DAILY).execute();
    db.truncate(ANALYTICS_CONSENT).execute();
    db.truncate(ANALYTICS_COUNTED_MESSAGE).execute();
    db.truncate(ANALYTICS_COUNTED_FLAG).execute();
    db.truncate(ANALYTICS_COUNTED_CARD).execute();
  }

  private List<Step> batch(UnitOfWork<?> unitOfWork) {
    return PerBatch.of(
        unitOfWork, BATCH, ArrayList::new, steps -> new AnalyticsBatch(db, steps).write());
  }

  /** The UTC day of an instant: every table's {@code day}. */
  static LocalDate day(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  /** A duration in seconds, to the millisecond. */
  static BigDecimal seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3);
  }
}
