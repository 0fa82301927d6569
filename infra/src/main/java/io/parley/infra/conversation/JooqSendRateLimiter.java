package io.parley.infra.conversation;

import static io.parley.migrations.jooq.Tables.SEND_RATE_LIMIT;

import io.parley.api.error.RateLimitedException;
import io.parley.command.conversation.SendRateLimiter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

/**
 * {@link SendRateLimiter} on PostgreSQL, shared by every node: the generic cell rate algorithm
 * (GCRA) in one upsert per send. Each (conversation, sender) row holds a "theoretical arrival time"
 * (TAT); a send is allowed when {@code max(TAT, now) + interval <= now + period}, and moves the TAT
 * by one interval. That allows {@code messages} sends in a burst and then one per {@code period /
 * messages}: a sliding window, without the double burst of fixed windows.
 *
 * <p>The statement runs on the command's transaction (jOOQ on Spring's transaction-aware data
 * source): a command refused later (403, 400, a failed append) gives its slot back. Time is the
 * database's {@code now()}, one clock for every node.
 */
public class JooqSendRateLimiter implements SendRateLimiter {

  private final DSLContext db;
  private final RateLimitProperties properties;

  public JooqSendRateLimiter(DSLContext db, RateLimitProperties properties) {
    this.db = db;
    this.properties = properties;
  }

  @Override
  public void acquire(UUID conversationId, String senderId) {
    Field<OffsetDateTime> now = DSL.currentOffsetDateTime();
    Field<OffsetDateTime> nextArrival =
        DSL.greatest(SEND_RATE_LIMIT.THEORETICAL_ARRIVAL, now).plus(interval());
    boolean allowed =
        db.insertInto(SEND_RATE_LIMIT)
                .set(SEND_RATE_LIMIT.CONVERSATION_ID, conversationId)
                .set(SEND_RATE_LIMIT.SENDER_ID, senderId)
                .set(SEND_RATE_LIMIT.THEORETICAL_ARRIVAL, now.plus(interval()))
                .onConflict(SEND_RATE_LIMIT.CONVERSATION_ID, SEND_RATE_LIMIT.SENDER_ID)
                .doUpdate()
                .set(SEND_RATE_LIMIT.THEORETICAL_ARRIVAL, nextArrival)
                .where(nextArrival.le(now.plus(period())))
                .execute()
            == 1;
    if (!allowed) {
      throw new RateLimitedException(
          "Too many messages: at most "
              + properties.messages()
              + " per "
              + properties.period()
              + " from one sender into one conversation",
          retryAfter(conversationId, senderId));
    }
  }

  /** Deletes rows whose window has passed (they limit nothing). Returns how many. */
  public int deleteExpired() {
    return db.deleteFrom(SEND_RATE_LIMIT)
        .where(SEND_RATE_LIMIT.THEORETICAL_ARRIVAL.lt(DSL.currentOffsetDateTime()))
        .execute();
  }

  /** When the next slot frees: {@code TAT + interval - period - now}, at least one second. */
  private Duration retryAfter(UUID conversationId, String senderId) {
    var row =
        db.select(SEND_RATE_LIMIT.THEORETICAL_ARRIVAL, DSL.currentOffsetDateTime())
            .from(SEND_RATE_LIMIT)
            .where(SEND_RATE_LIMIT.CONVERSATION_ID.eq(conversationId))
            .and(SEND_RATE_LIMIT.SENDER_ID.eq(senderId))
            .fetchOne();
    if (row == null) {
      return Duration.ofSeconds(1);
    }
    Duration remaining =
        Duration.between(
            row.value2(),
            row.value1().plus(properties.emissionInterval()).minus(properties.period()));
    long seconds = (remaining.toMillis() + 999) / 1000;
    return Duration.ofSeconds(Math.max(1, seconds));
  }

  private Field<DayToSecond> interval() {
    return DSL.val(DayToSecond.valueOf(properties.emissionInterval()));
  }

  private Field<DayToSecond> period() {
    return DSL.val(DayToSecond.valueOf(properties.period()));
  }
}
