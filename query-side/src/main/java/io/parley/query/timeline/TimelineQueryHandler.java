package io.parley.query.timeline;

import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;

import io.parley.api.conversation.Verdict;
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
    Condition condition = TIMELINE_MESSAGE.CONVERSATION_ID.eq(query.conversationId());
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
}
