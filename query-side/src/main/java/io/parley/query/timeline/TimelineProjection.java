package io.parley.query.timeline;

import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;

import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.query.PerBatch;
import java.time.ZoneOffset;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Each conversation's delivered messages, keyed by message id and ordered by position. */
@Component
@ProcessingGroup(TimelineProjection.PROCESSING_GROUP)
public class TimelineProjection {

  public static final String PROCESSING_GROUP = "timeline";

  private static final String BATCH = TimelineProjection.class.getName() + ".batch";

  private final DSLContext db;

  public TimelineProjection(DSLContext db) {
    this.db = db;
  }

  /** The batch's messages are inserted together, in one statement (see {@link PerBatch}). */
  @EventHandler
  void on(MessageSentEvent event, UnitOfWork<?> unitOfWork) {
    PerBatch.collect(unitOfWork, BATCH, event, this::insert);
  }

  /** One statement for the rows; a message already there (a redelivery) is left alone. */
  private void insert(List<MessageSentEvent> events) {
    var insert =
        db.insertInto(
            TIMELINE_MESSAGE,
            TIMELINE_MESSAGE.MESSAGE_ID,
            TIMELINE_MESSAGE.CONVERSATION_ID,
            TIMELINE_MESSAGE.POSITION,
            TIMELINE_MESSAGE.SENDER_ID,
            TIMELINE_MESSAGE.TEXT,
            TIMELINE_MESSAGE.SENT_AT,
            TIMELINE_MESSAGE.VERDICT,
            TIMELINE_MESSAGE.TOXICITY,
            TIMELINE_MESSAGE.ERASED);
    for (MessageSentEvent event : events) {
      insert =
          insert.values(
              event.messageId(),
              event.conversationId(),
              event.position(),
              event.senderId(),
              event.text(),
              event.sentAt().atOffset(ZoneOffset.UTC),
              event.verdict().name(),
              event.toxicity(),
              event.text() == null); // key already gone (replay)
    }
    insert.onConflict(TIMELINE_MESSAGE.MESSAGE_ID).doNothing().execute();
  }

  /** An upheld flag: the row stays (export, audit) but no timeline read returns it. */
  @EventHandler
  void on(MessageRemovedEvent event, UnitOfWork<?> unitOfWork) {
    PerBatch.flush(unitOfWork, BATCH);
    db.update(TIMELINE_MESSAGE)
        .set(TIMELINE_MESSAGE.REMOVED, true)
        .where(TIMELINE_MESSAGE.MESSAGE_ID.eq(event.messageId()))
        .execute();
  }

  /** The sender's messages stay in place (positions, verdicts) but their text is gone. */
  @EventHandler
  void on(SubjectErasedEvent event, UnitOfWork<?> unitOfWork) {
    PerBatch.flush(unitOfWork, BATCH);
    db.update(TIMELINE_MESSAGE)
        .setNull(TIMELINE_MESSAGE.TEXT)
        .set(TIMELINE_MESSAGE.ERASED, true)
        .where(TIMELINE_MESSAGE.SENDER_ID.eq(event.subjectId()))
        .execute();
  }

  /** Expired messages read as erased, exactly like erased ones. */
  @EventHandler
  void on(RetentionSweptEvent event, UnitOfWork<?> unitOfWork) {
    if (event.category() != DataCategory.MESSAGE) {
      return;
    }
    PerBatch.flush(unitOfWork, BATCH);
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
