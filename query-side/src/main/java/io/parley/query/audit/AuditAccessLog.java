package io.parley.query.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.FreeText;
import io.parley.api.audit.AuditAccessedEvent;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
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

  /** {@code parley.audit.reads{endpoint,role,outcome}}: every audit read, however it ended. */
  public static final String METRIC = "parley.audit.reads";

  /** The role of a reader the security chain let through to an audit endpoint. */
  public static final String READER_ROLE = "COMPLIANCE";

  /** The {@code role} tag of a request without a valid token. */
  public static final String NO_ROLE = "none";

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
   * Counts one audit read of {@code endpoint} by a compliance officer, by how it ended: {@code ok},
   * {@code rejected} (bad input: a 400, nothing read or recorded), {@code aborted} (the client left
   * mid-stream) or {@code failed}.
   */
  public void count(String endpoint, String outcome) {
    count(endpoint, READER_ROLE, outcome);
  }

  /**
   * Counts one attempt at an audit endpoint. Tags are fixed vocabularies, never who read or why:
   * {@code role} is the reader's roles (sorted, joined with {@code +}) or {@value #NO_ROLE};
   * refused attempts ({@code forbidden}, {@code unauthenticated}) are counted by the security
   * chain, which knows the path only: see {@link #endpointOf}.
   */
  public void count(String endpoint, String role, String outcome) {
    Counter.builder(METRIC)
        .description(
            "Audit reads by endpoint, reader role and outcome (ok, rejected, aborted, failed,"
                + " forbidden, unauthenticated)")
        .tag("endpoint", endpoint)
        .tag("role", role)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
  }

  /**
   * The audit endpoint a request path names ({@link AuditAccessedEvent#EVENTS}, {@link
   * AuditAccessedEvent#CONVERSATION_STATE}, {@link AuditAccessedEvent#INTEGRITY}), {@code other}
   * for any other path under {@code /api/v1/audit/}, or empty outside it.
   */
  public static Optional<String> endpointOf(String path) {
    if (path == null || !path.startsWith(AUDIT_PATH)) {
      return Optional.empty();
    }
    String rest = path.substring(AUDIT_PATH.length());
    if (rest.equals("events")) {
      return Optional.of(AuditAccessedEvent.EVENTS);
    }
    if (rest.equals("integrity")) {
      return Optional.of(AuditAccessedEvent.INTEGRITY);
    }
    if (rest.startsWith("conversations/") && rest.endsWith("/state")) {
      return Optional.of(AuditAccessedEvent.CONVERSATION_STATE);
    }
    return Optional.of("other");
  }

  private static final String AUDIT_PATH = "/api/v1/audit/";

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
