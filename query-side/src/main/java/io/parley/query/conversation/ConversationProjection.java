package io.parley.query.conversation;

import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;

import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/**
 * The conversation list and detail read models. Every write is an idempotent upsert: seeing an
 * event twice leaves the same rows.
 */
@Component
@ProcessingGroup(ConversationProjection.PROCESSING_GROUP)
public class ConversationProjection {

  public static final String PROCESSING_GROUP = "conversations";

  private final DSLContext db;

  public ConversationProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(ConversationStartedEvent event) {
    db.insertInto(CONVERSATION_SUMMARY)
        .set(CONVERSATION_SUMMARY.CONVERSATION_ID, event.conversationId())
        .set(CONVERSATION_SUMMARY.TITLE, event.title())
        .set(CONVERSATION_SUMMARY.OWNER_ID, event.ownerId())
        .set(CONVERSATION_SUMMARY.CREATED_AT, utc(event.startedAt()))
        .set(CONVERSATION_SUMMARY.WARN_THRESHOLD, event.warnThreshold())
        .set(CONVERSATION_SUMMARY.BLOCK_THRESHOLD, event.blockThreshold())
        .onConflict(CONVERSATION_SUMMARY.CONVERSATION_ID)
        .doNothing()
        .execute();
    var insert =
        db.insertInto(
            CONVERSATION_PARTICIPANT,
            CONVERSATION_PARTICIPANT.CONVERSATION_ID,
            CONVERSATION_PARTICIPANT.USER_ID,
            CONVERSATION_PARTICIPANT.JOINED_AT);
    for (String participant : event.participants()) {
      insert = insert.values(event.conversationId(), participant, utc(event.startedAt()));
    }
    insert.onConflictDoNothing().execute();
  }

  @EventHandler
  void on(ParticipantAddedEvent event) {
    db.insertInto(CONVERSATION_PARTICIPANT)
        .set(CONVERSATION_PARTICIPANT.CONVERSATION_ID, event.conversationId())
        .set(CONVERSATION_PARTICIPANT.USER_ID, event.userId())
        .set(CONVERSATION_PARTICIPANT.JOINED_AT, utc(event.addedAt()))
        .onConflictDoNothing()
        .execute();
  }

  @EventHandler
  void on(MessageSentEvent event) {
    db.update(CONVERSATION_SUMMARY)
        .set(
            CONVERSATION_SUMMARY.MESSAGE_COUNT,
            DSL.greatest(CONVERSATION_SUMMARY.MESSAGE_COUNT, DSL.val(event.position())))
        .set(
            CONVERSATION_SUMMARY.LAST_MESSAGE_AT,
            DSL.greatest(
                DSL.coalesce(CONVERSATION_SUMMARY.LAST_MESSAGE_AT, DSL.val(utc(event.sentAt()))),
                DSL.val(utc(event.sentAt()))))
        .where(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(event.conversationId()))
        .execute();
  }

  @EventHandler
  void on(ModerationThresholdsChangedEvent event) {
    db.update(CONVERSATION_SUMMARY)
        .set(CONVERSATION_SUMMARY.WARN_THRESHOLD, event.warnThreshold())
        .set(CONVERSATION_SUMMARY.BLOCK_THRESHOLD, event.blockThreshold())
        .where(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(event.conversationId()))
        .execute();
  }

  /** An erased owner's title is gone; the conversation stays for its other participants. */
  @EventHandler
  void on(SubjectErasedEvent event) {
    db.update(CONVERSATION_SUMMARY)
        .setNull(CONVERSATION_SUMMARY.TITLE)
        .where(CONVERSATION_SUMMARY.OWNER_ID.eq(event.subjectId()))
        .execute();
  }

  @ResetHandler
  void reset() {
    db.truncate(CONVERSATION_PARTICIPANT).execute();
    db.truncate(CONVERSATION_SUMMARY).execute();
  }

  static OffsetDateTime utc(java.time.Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
