package io.parley.query.moderation;

import static io.parley.migrations.jooq.Tables.MODERATION_FLAG;

import io.parley.api.moderation.FetchFlagsQuery;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagSource;
import io.parley.api.moderation.FlagStatus;
import io.parley.api.moderation.FlagView;
import io.parley.api.moderation.FlagsPage;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.queryhandling.QueryHandler;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/** Pages through the moderator queue, oldest flag first (a keyset cursor on queue position). */
@Component
public class ModerationQueryHandler {

  private final DSLContext db;

  public ModerationQueryHandler(DSLContext db) {
    this.db = db;
  }

  @QueryHandler
  public FlagsPage handle(FetchFlagsQuery query) {
    Condition condition = DSL.trueCondition();
    if (query.status() != null) {
      condition = condition.and(MODERATION_FLAG.STATUS.eq(query.status().name()));
    }
    if (query.afterSequence() != null) {
      condition = condition.and(MODERATION_FLAG.QUEUE_POSITION.gt(query.afterSequence()));
    }
    List<Long> positions = new ArrayList<>();
    List<FlagView> rows =
        db.selectFrom(MODERATION_FLAG)
            .where(condition)
            .orderBy(MODERATION_FLAG.QUEUE_POSITION)
            .limit(query.limit() + 1)
            .fetch(
                r -> {
                  positions.add(r.getQueuePosition());
                  return new FlagView(
                      r.getFlagId(),
                      r.getMessageId(),
                      r.getConversationId(),
                      r.getReason(),
                      FlagSource.valueOf(r.getSource()),
                      FlagStatus.valueOf(r.getStatus()),
                      r.getRaisedAt().toInstant(),
                      r.getToxicity(),
                      r.getOutcome() == null ? null : FlagOutcome.valueOf(r.getOutcome()));
                });
    if (rows.size() <= query.limit()) {
      return new FlagsPage(rows, null);
    }
    return new FlagsPage(
        List.copyOf(rows.subList(0, query.limit())), positions.get(query.limit() - 1));
  }

  /** Flags still waiting for a decision, by status: the queue-size gauges read it. */
  public long countInStatus(FlagStatus status) {
    return db.fetchCount(MODERATION_FLAG, MODERATION_FLAG.STATUS.eq(status.name()));
  }
}
