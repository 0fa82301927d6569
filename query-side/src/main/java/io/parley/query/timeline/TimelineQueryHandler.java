package io.parley.query.timeline;

import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;

import io.parley.api.conversation.Verdict;
import io.parley.api.error.NotFoundException;
import io.parley.api.moderation.FetchFlaggableMessageQuery;
import io.parley.api.moderation.FlaggableMessageView;
import io.parley.api.timeline.FetchTimelineQuery;
import io.parley.api.timeline.TimelineMessageView;
import io.parley.api.timeline.TimelinePage;
import io.parley.query.conversation.ConversationAccess;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Pages through a conversation's timeline, newest first, by position (a keyset cursor). */
@Component
public class TimelineQueryHandler {

  private final DSLContext db;
  private final ConversationAccess access;

  public TimelineQueryHandler(DSLContext db, ConversationAccess access) {
    this.db = db;
    this.access = access;
  }

  @QueryHandler
  public TimelinePage handle(FetchTimelineQuery query) {
    access.requireParticipant(query.conversationId(), query.callerId());
    Condition condition =
        TIMELINE_MESSAGE
            .CONVERSATION_ID
            .eq(query.conversationId())
            .and(TIMELINE_MESSAGE.REMOVED.isFalse());
    if (query.beforePosition() != null) {
      condition = condition.and(TIMELINE_MESSAGE.POSITION.lt(query.beforePosition()));
    }
    List<TimelineMessageView> rows =
        db.selectFrom(TIMELINE_MESSAGE)
            .where(condition)
            .orderBy(TIMELINE_MESSAGE.POSITION.desc())
            .limit(query.limit() + 1)
            .fetch(
                r ->
                    new TimelineMessageView(
                        r.getMessageId(),
                        r.getPosition(),
                        r.getSenderId(),
                        r.getErased() ? null : r.getText(),
                        r.getSentAt().toInstant(),
                        Verdict.valueOf(r.getVerdict()),
                        r.getErased()));
    if (rows.size() <= query.limit()) {
      return new TimelinePage(rows, null);
    }
    List<TimelineMessageView> page = rows.subList(0, query.limit());
    return new TimelinePage(List.copyOf(page), page.get(page.size() - 1).position());
  }

  /**
   * A visible message, for a participant of its conversation who wants to flag it. Blocked messages
   * are never in the timeline, and removed ones are treated as gone: both are not found.
   */
  @QueryHandler
  public FlaggableMessageView handle(FetchFlaggableMessageQuery query) {
    var message =
        db.select(
                TIMELINE_MESSAGE.CONVERSATION_ID,
                TIMELINE_MESSAGE.SENDER_ID,
                TIMELINE_MESSAGE.TOXICITY)
            .from(TIMELINE_MESSAGE)
            .where(TIMELINE_MESSAGE.MESSAGE_ID.eq(query.messageId()))
            .and(TIMELINE_MESSAGE.REMOVED.isFalse())
            .fetchOptional()
            .orElseThrow(() -> new NotFoundException("No such message"));
    access.requireParticipant(message.value1(), query.callerId());
    return new FlaggableMessageView(
        query.messageId(), message.value1(), message.value2(), message.value3());
  }
}
