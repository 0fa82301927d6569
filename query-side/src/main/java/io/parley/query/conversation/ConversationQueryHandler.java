package io.parley.query.conversation;

import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;

import io.parley.api.conversation.ConversationSummaries;
import io.parley.api.conversation.ConversationSummary;
import io.parley.api.conversation.ConversationView;
import io.parley.api.conversation.FetchConversationQuery;
import io.parley.api.conversation.FetchConversationsQuery;
import io.parley.api.error.ForbiddenException;
import io.parley.api.error.NotFoundException;
import java.time.OffsetDateTime;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Answers the conversation list and detail from {@link ConversationProjection}'s tables. */
@Component
public class ConversationQueryHandler {

  private final DSLContext db;

  public ConversationQueryHandler(DSLContext db) {
    this.db = db;
  }

  @QueryHandler
  public ConversationSummaries handle(FetchConversationsQuery query) {
    List<ConversationSummary> items =
        db.select(
                CONVERSATION_SUMMARY.CONVERSATION_ID,
                CONVERSATION_SUMMARY.TITLE,
                CONVERSATION_SUMMARY.LAST_MESSAGE_AT,
                CONVERSATION_SUMMARY.MESSAGE_COUNT)
            .from(CONVERSATION_PARTICIPANT)
            .join(CONVERSATION_SUMMARY)
            .on(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(CONVERSATION_PARTICIPANT.CONVERSATION_ID))
            .where(CONVERSATION_PARTICIPANT.USER_ID.eq(query.userId()))
            .orderBy(
                CONVERSATION_SUMMARY.LAST_MESSAGE_AT.desc().nullsLast(),
                CONVERSATION_SUMMARY.CREATED_AT.desc())
            .fetch(
                r ->
                    new ConversationSummary(
                        r.value1(), r.value2(), instant(r.value3()), r.value4()));
    return new ConversationSummaries(items);
  }

  @QueryHandler
  public ConversationView handle(FetchConversationQuery query) {
    var summary =
        db.selectFrom(CONVERSATION_SUMMARY)
            .where(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(query.conversationId()))
            .fetchOne();
    if (summary == null) {
      throw new NotFoundException("No such conversation");
    }
    List<String> participants =
        db.select(CONVERSATION_PARTICIPANT.USER_ID)
            .from(CONVERSATION_PARTICIPANT)
            .where(CONVERSATION_PARTICIPANT.CONVERSATION_ID.eq(query.conversationId()))
            .orderBy(CONVERSATION_PARTICIPANT.JOINED_AT, CONVERSATION_PARTICIPANT.USER_ID)
            .fetch(CONVERSATION_PARTICIPANT.USER_ID);
    if (!participants.contains(query.callerId())) {
      throw new ForbiddenException("Only participants may read this conversation");
    }
    return new ConversationView(
        summary.getConversationId(),
        summary.getTitle(),
        summary.getOwnerId(),
        participants,
        summary.getCreatedAt().toInstant(),
        summary.getMessageCount(),
        new ConversationView.Moderation(summary.getWarnThreshold(), summary.getBlockThreshold()));
  }

  private static java.time.Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
