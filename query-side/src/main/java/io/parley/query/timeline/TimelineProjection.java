package io.parley.query.timeline;

import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;

import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Each conversation's delivered messages, keyed by message id and ordered by position. */
@Component
@ProcessingGroup(TimelineProjection.PROCESSING_GROUP)
public class TimelineProjection {

  public static final String PROCESSING_GROUP = "timeline";

  private final DSLContext db;

  public TimelineProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(MessageSentEvent event) {
    db.insertInto(TIMELINE_MESSAGE)
        .set(TIMELINE_MESSAGE.MESSAGE_ID, event.messageId())
        .set(TIMELINE_MESSAGE.CONVERSATION_ID, event.conversationId())
        .set(TIMELINE_MESSAGE.POSITION, event.position())
        .set(TIMELINE_MESSAGE.SENDER_ID, event.senderId())
        .set(TIMELINE_MESSAGE.TEXT, event.text())
        .set(TIMELINE_MESSAGE.SENT_AT, event.sentAt().atOffset(ZoneOffset.UTC))
        .set(TIMELINE_MESSAGE.VERDICT, event.verdict().name())
        .set(TIMELINE_MESSAGE.TOXICITY, event.toxicity())
        .set(TIMELINE_MESSAGE.ERASED, event.text() == null) // key already gone (replay)
        .onConflict(TIMELINE_MESSAGE.MESSAGE_ID)
        .doNothing()
        .execute();
  }

  /** An upheld flag: the row stays (export, audit) but no timeline read returns it. */
  @EventHandler
  void on(MessageRemovedEvent event) {
    db.update(TIMELINE_MESSAGE)
        .set(TIMELINE_MESSAGE.REMOVED, true)
        .where(TIMELINE_MESSAGE.MESSAGE_ID.eq(event.messageId()))
        .execute();
  }

  /** The sender's messages stay in place (positions, verdicts) but their text is gone. */
  @EventHandler
  void on(SubjectErasedEvent event) {
    db.update(TIMELINE_MESSAGE)
        .setNull(TIMELINE_MESSAGE.TEXT)
        .set(TIMELINE_MESSAGE.ERASED, true)
        .where(TIMELINE_MESSAGE.SENDER_ID.eq(event.subjectId()))
        .execute();
  }

  /** Expired messages read as erased, exactly like erased ones. */
  @EventHandler
  void on(RetentionSweptEvent event) {
    if (event.category() != DataCategory.MESSAGE) {
      return;
    }
    db.update(TIMELINE_MESSAGE)
        .setNull(TIMELINE_MESSAGE.TEXT)
        .set(TIMELINE_MESSAGE.ERASED, true)
        .where(TIMELINE_MESSAGE.SENT_AT.lt(event.cutoff().atOffset(ZoneOffset.UTC)))
        .and(TIMELINE_MESSAGE.ERASED.isFalse())
        .execute();
  }

  @ResetHandler
  void reset() {
    db.truncate(TIMELINE_MESSAGE).execute();
  }
}
