package io.parley.query.conversation;

import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;

import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.query.PerBatch;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record3;
import org.jooq.Row3;
import org.jooq.Table;
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

  private static final String BATCH = ConversationProjection.class.getName() + ".batch";

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

  /**
   * A batch's messages move each conversation's count and last message once, in one statement for
   * every conversation of the batch (see {@link PerBatch}). Counts only grow: a redelivered or
   * reordered message leaves the greatest.
   */
  @EventHandler
  void on(MessageSentEvent event, UnitOfWork<?> unitOfWork) {
    PerBatch.collect(unitOfWork, BATCH, event, this::countMessages);
  }

  private void countMessages(List<MessageSentEvent> events) {
    Map<UUID, Progress> latest = new LinkedHashMap<>();
    for (MessageSentEvent event : events) {
      latest.merge(
          event.conversationId(), new Progress(event.position(), event.sentAt()), Progress::max);
    }
    List<Row3<UUID, Long, OffsetDateTime>> rows = new ArrayList<>();
    latest.forEach((id, p) -> rows.add(DSL.row(id, p.position(), utc(p.sentAt()))));
    Table<Record3<UUID, Long, OffsetDateTime>> batch =
        DSL.values(rows.toArray(Row3[]::new)).as("batch", "conversation_id", "position", "sent_at");
    Field<UUID> conversation = batch.field("conversation_id", UUID.class);
    Field<Long> position = batch.field("position", Long.class);
    Field<OffsetDateTime> sentAt = batch.field("sent_at", OffsetDateTime.class);
    db.update(CONVERSATION_SUMMARY)
        .set(
            CONVERSATION_SUMMARY.MESSAGE_COUNT,
            DSL.greatest(CONVERSATION_SUMMARY.MESSAGE_COUNT, position))
        .set(
            CONVERSATION_SUMMARY.LAST_MESSAGE_AT,
            DSL.greatest(DSL.coalesce(CONVERSATION_SUMMARY.LAST_MESSAGE_AT, sentAt), sentAt))
        .from(batch)
        .where(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(conversation))
        .execute();
  }

  /** How far a batch's messages took one conversation. */
  private record Progress(long position, Instant sentAt) {
    Progress max(Progress other) {
      return new Progress(
          Math.max(position, other.position()),
          sentAt.isAfter(other.sentAt()) ? sentAt : other.sentAt());
    }
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
