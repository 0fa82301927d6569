package io.parley.query.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.FreeText;
import io.parley.api.audit.AuditAccessedEvent;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every audit read is itself audited (API.md "Audit"): {@link #requireReason} checks the {@code
 * X-Audit-Reason} header before anything is read (a read that fails validation records nothing),
 * and {@link #record} appends an {@link AuditAccessedEvent} in a transaction of its own, so the
 * record is committed before the response completes, whatever the read's own transaction does.
 */
@Component
public class AuditAccessLog {

  public static final String REASON_HEADER = "X-Audit-Reason";
  public static final int REASON_MAX = 500;

  /** {@code parley.audit.reads{endpoint,outcome}}: every audit read, however it ended. */
  public static final String METRIC = "parley.audit.reads";

  private final EventGateway events;
  private final TransactionTemplate ownTransaction;
  private final Clock clock;
  private final MeterRegistry meters;

  public AuditAccessLog(
      EventGateway events,
      PlatformTransactionManager transactions,
      Clock clock,
      MeterRegistry meters) {
    this.events = events;
    this.meters = meters;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.clock = clock;
  }

  /** The reason, stripped, if it is 1..500 characters without control characters; else a 400. */
  public static String requireReason(String header) {
    return FreeText.require(REASON_HEADER, header, REASON_MAX);
  }

  /**
   * Counts one audit read of {@code endpoint} by how it ended: {@code ok}, {@code rejected} (bad
   * input: a 400, nothing read or recorded), {@code aborted} (the client left mid-stream) or {@code
   * failed}. Tags are fixed vocabularies, never who read or why.
   */
  public void count(String endpoint, String outcome) {
    Counter.builder(METRIC)
        .description("Audit reads by endpoint and outcome (ok, rejected, aborted, failed)")
        .tag("endpoint", endpoint)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  /** Records one audit read; returns the event recorded. */
  public AuditAccessedEvent record(
      String readerId,
      String reason,
      String endpoint,
      Map<String, String> filters,
      long eventsReturned) {
    AuditAccessedEvent accessed =
        new AuditAccessedEvent(
            UUID.randomUUID(),
            readerId,
            reason,
            endpoint,
            Map.copyOf(filters),
            eventsReturned,
            clock.instant());
    ownTransaction.executeWithoutResult(status -> events.publish(accessed));
    return accessed;
  }
}
