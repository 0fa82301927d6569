package io.parley.saga.retention;

import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: for every category that expires, destroys the keys of each month that lies wholly
 * before {@code now − retention}, and records a {@link RetentionSweptEvent} in the same transaction
 * so projections drop the expired content. Run by a recurring task ({@code infra}'s {@code
 * RetentionConfig}: one node at a time, survives restarts); idempotent — a second sweep of the same
 * cutoff destroys nothing and records nothing.
 */
public class RetentionSweeper {

  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

  private final RetentionKeyShredder keys;
  private final RetentionPeriods retention;
  private final EventGateway events;
  private final TransactionManager transactions;
  private final Clock clock;

  public RetentionSweeper(
      RetentionKeyShredder keys,
      RetentionPeriods retention,
      EventGateway events,
      TransactionManager transactions,
      Clock clock) {
    this.keys = keys;
    this.retention = retention;
    this.events = events;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** Sweeps as of the application clock's now. */
  public List<RetentionSweptEvent> sweep() {
    return sweep(clock.instant());
  }

  public List<RetentionSweptEvent> sweep(Instant now) {
    List<RetentionSweptEvent> recorded = new ArrayList<>();
    for (DataCategory category : DataCategory.values()) {
      if (!category.expires()) {
        continue;
      }
      YearMonth firstKept =
          YearMonth.from(now.minus(retention.periodOf(category)).atZone(ZoneOffset.UTC));
      Instant cutoff = firstKept.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      RetentionSweptEvent event =
          transactions.fetchInTransaction(
              () -> {
                int destroyed = keys.destroyExpired(category, firstKept);
                if (destroyed == 0) {
                  return null;
                }
                RetentionSweptEvent swept =
                    new RetentionSweptEvent(category, cutoff, destroyed, now);
                events.publish(swept);
                return swept;
              });
      if (event != null) {
        log.info(
            "Retention destroyed {} {} keys for data before {}",
            event.keysDestroyed(),
            category,
            cutoff);
        recorded.add(event);
      }
    }
    return recorded;
  }
}
