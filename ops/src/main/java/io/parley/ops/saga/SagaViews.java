package io.parley.ops.saga;

import java.time.Instant;
import java.util.List;

/** The JSON of API.md's saga endpoints (Operations). */
public final class SagaViews {

  private SagaViews() {}

  /** A saga type: instances in the saga store, and ended instances still in the journal. */
  public record SagaTypeView(String type, long active, long ended) {}

  /** One association, its value shown through {@link AssociationMask}. */
  public record AssociationView(String key, String value) {}

  /** A pending deadline: its name and when it is due. */
  public record DeadlineView(String name, Instant dueAt) {}

  /** A handled event: position in the event store, payload type (simple name), when. */
  public record TimelineEntryView(long globalIndex, String type, Instant handledAt) {}

  /** A saga instance in the list. */
  public record SagaInstanceView(
      String sagaId,
      String type,
      List<AssociationView> associations,
      Instant startedAt,
      Instant endedAt,
      List<DeadlineView> deadlines) {}

  /** A saga instance with the events it handled, oldest first. */
  public record SagaDetailView(
      String sagaId,
      String type,
      List<AssociationView> associations,
      Instant startedAt,
      Instant endedAt,
      List<DeadlineView> deadlines,
      List<TimelineEntryView> timeline) {}

  /** A page of the saga list. */
  public record SagasResponse(
      List<SagaTypeView> types, List<SagaInstanceView> items, String nextCursor) {}
}
