package io.parley.query.moderation;

import static io.parley.migrations.jooq.Tables.BLOCKED_MESSAGE;
import static io.parley.migrations.jooq.Tables.MODERATION_FLAG;

import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.FlagSource;
import io.parley.api.moderation.FlagStatus;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.migrations.jooq.tables.records.ModerationFlagRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.jooq.DSLContext;
import org.jooq.InsertSetMoreStep;
import org.springframework.stereotype.Component;

/**
 * The moderator queue (one row per flag) and the blocked messages kept for audit and export.
 * Idempotent: a flag's row is inserted once, and status changes only move forward.
 */
@Component
@ProcessingGroup(ModerationProjection.PROCESSING_GROUP)
public class ModerationProjection {

  public static final String PROCESSING_GROUP = "moderation";

  private final DSLContext db;

  public ModerationProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(FlagRaisedEvent event) {
    pendingFlag(
            event.flagId(),
            event.messageId(),
            event.conversationId(),
            event.messageSenderId(),
            FlagSource.USER,
            event.toxicity(),
            event.raisedAt())
        .set(MODERATION_FLAG.FLAGGER_ID, event.flaggerId())
        .set(MODERATION_FLAG.REASON, event.reason())
        .set(MODERATION_FLAG.NOTE, event.note())
        .onConflict(MODERATION_FLAG.FLAG_ID)
        .doNothing()
        .execute();
  }

  @EventHandler
  void on(FlagRaisedAutomaticallyEvent event) {
    pendingFlag(
            event.flagId(),
            event.messageId(),
            event.conversationId(),
            event.messageSenderId(),
            FlagSource.AUTO,
            event.toxicity(),
            event.raisedAt())
        .set(MODERATION_FLAG.REASON, FlagRaisedAutomaticallyEvent.REASON)
        .onConflict(MODERATION_FLAG.FLAG_ID)
        .doNothing()
        .execute();
  }

  /** The insert of a new, pending flag with what every source has; callers add the rest. */
  private InsertSetMoreStep<ModerationFlagRecord> pendingFlag(
      UUID flagId,
      UUID messageId,
      UUID conversationId,
      String messageSenderId,
      FlagSource source,
      BigDecimal toxicity,
      Instant raisedAt) {
    return db.insertInto(MODERATION_FLAG)
        .set(MODERATION_FLAG.FLAG_ID, flagId)
        .set(MODERATION_FLAG.MESSAGE_ID, messageId)
        .set(MODERATION_FLAG.CONVERSATION_ID, conversationId)
        .set(MODERATION_FLAG.MESSAGE_SENDER_ID, messageSenderId)
        .set(MODERATION_FLAG.SOURCE, source.name())
        .set(MODERATION_FLAG.TOXICITY, toxicity)
        .set(MODERATION_FLAG.STATUS, FlagStatus.PENDING.name())
        .set(MODERATION_FLAG.RAISED_AT, utc(raisedAt));
  }

  @EventHandler
  void on(FlagReviewStartedEvent event) {
    db.update(MODERATION_FLAG)
        .set(MODERATION_FLAG.STATUS, FlagStatus.REVIEWING.name())
        .set(MODERATION_FLAG.REVIEWER_ID, event.moderatorId())
        .set(MODERATION_FLAG.REVIEW_STARTED_AT, utc(event.startedAt()))
        .where(MODERATION_FLAG.FLAG_ID.eq(event.flagId()))
        .and(MODERATION_FLAG.STATUS.eq(FlagStatus.PENDING.name()))
        .execute();
  }

  @EventHandler
  void on(FlagResolvedEvent event) {
    db.update(MODERATION_FLAG)
        .set(MODERATION_FLAG.STATUS, FlagStatus.RESOLVED.name())
        .set(MODERATION_FLAG.OUTCOME, event.outcome().name())
        .set(MODERATION_FLAG.REVIEWER_ID, event.moderatorId())
        .set(MODERATION_FLAG.RESOLVED_AT, utc(event.resolvedAt()))
        .where(MODERATION_FLAG.FLAG_ID.eq(event.flagId()))
        .execute();
  }

  @EventHandler
  void on(MessageBlockedEvent event) {
    db.insertInto(BLOCKED_MESSAGE)
        .set(BLOCKED_MESSAGE.MESSAGE_ID, event.messageId())
        .set(BLOCKED_MESSAGE.CONVERSATION_ID, event.conversationId())
        .set(BLOCKED_MESSAGE.SENDER_ID, event.senderId())
        .set(BLOCKED_MESSAGE.TEXT, event.text())
        .set(BLOCKED_MESSAGE.TOXICITY, event.scores().highest())
        .set(BLOCKED_MESSAGE.SCORER, event.scorer())
        .set(BLOCKED_MESSAGE.BLOCKED_AT, utc(event.blockedAt()))
        .set(BLOCKED_MESSAGE.ERASED, event.text() == null) // key already gone (replay)
        .onConflict(BLOCKED_MESSAGE.MESSAGE_ID)
        .doNothing()
        .execute();
  }

  /** The subject's own words go: their flag reasons and notes, and their blocked messages. */
  @EventHandler
  void on(SubjectErasedEvent event) {
    db.update(MODERATION_FLAG)
        .setNull(MODERATION_FLAG.REASON)
        .setNull(MODERATION_FLAG.NOTE)
        .where(MODERATION_FLAG.FLAGGER_ID.eq(event.subjectId()))
        .execute();
    db.update(BLOCKED_MESSAGE)
        .setNull(BLOCKED_MESSAGE.TEXT)
        .set(BLOCKED_MESSAGE.ERASED, true)
        .where(BLOCKED_MESSAGE.SENDER_ID.eq(event.subjectId()))
        .execute();
  }

  /** Expired flag evidence and expired blocked messages read as erased. */
  @EventHandler
  void on(RetentionSweptEvent event) {
    OffsetDateTime cutoff = utc(event.cutoff());
    if (event.category() == DataCategory.FLAG_EVIDENCE) {
      db.update(MODERATION_FLAG)
          .setNull(MODERATION_FLAG.REASON)
          .setNull(MODERATION_FLAG.NOTE)
          .where(MODERATION_FLAG.SOURCE.eq(FlagSource.USER.name()))
          .and(MODERATION_FLAG.RAISED_AT.lt(cutoff))
          .and(MODERATION_FLAG.REASON.isNotNull())
          .execute();
    } else if (event.category() == DataCategory.BLOCKED_MESSAGE) {
      db.update(BLOCKED_MESSAGE)
          .setNull(BLOCKED_MESSAGE.TEXT)
          .set(BLOCKED_MESSAGE.ERASED, true)
          .where(BLOCKED_MESSAGE.BLOCKED_AT.lt(cutoff))
          .and(BLOCKED_MESSAGE.ERASED.isFalse())
          .execute();
    }
  }

  @ResetHandler
  void reset() {
    db.truncate(MODERATION_FLAG).restartIdentity().execute();
    db.truncate(BLOCKED_MESSAGE).execute();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
