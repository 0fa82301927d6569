package io.parley.saga.erasure;

import io.parley.api.subject.EraseSubjectCommand;
import io.parley.api.subject.ErasureCancelledEvent;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Saga;

/**
 * Runs an erasure's grace period: a persistent deadline (db-scheduler, in PostgreSQL — it survives
 * restarts and fires on exactly one node) at {@code effectiveAt}, then {@code EraseSubjectCommand}.
 * A cancel ends it; a sooner request (a compliance officer's immediate erasure) moves the deadline.
 * Immediate erasures use the same path with a deadline of "now".
 *
 * <p>State is ids only. Gateways and the deadline manager arrive as handler parameters.
 */
@Saga
@Revision("1")
public class ErasureSaga {

  static final String DEADLINE = "erasure-due";

  private String subjectId;
  private UUID erasureId;
  private String deadlineId;

  /** The deadline's payload: ids only, no personal data. */
  public record ErasureDue(String subjectId, UUID erasureId) {}

  @StartSaga
  @SagaEventHandler(associationProperty = "subjectId")
  public void on(ErasureRequestedEvent event, DeadlineManager deadlines) {
    if (deadlineId != null) {
      deadlines.cancelSchedule(DEADLINE, deadlineId);
    }
    subjectId = event.subjectId();
    erasureId = event.erasureId();
    deadlineId =
        deadlines.schedule(event.effectiveAt(), DEADLINE, new ErasureDue(subjectId, erasureId));
  }

  @DeadlineHandler(deadlineName = DEADLINE)
  public void on(ErasureDue due, CommandGateway commands) {
    commands.sendAndWait(new EraseSubjectCommand(due.subjectId(), due.erasureId()));
  }

  @EndSaga
  @SagaEventHandler(associationProperty = "subjectId")
  public void on(ErasureCancelledEvent event, DeadlineManager deadlines) {
    if (deadlineId != null) {
      deadlines.cancelSchedule(DEADLINE, deadlineId);
    }
  }

  @EndSaga
  @SagaEventHandler(associationProperty = "subjectId")
  public void on(SubjectErasedEvent event) {
    // done: the deadline fired (or a repeated request was already served)
  }

  public String getSubjectId() {
    return subjectId;
  }

  public void setSubjectId(String subjectId) {
    this.subjectId = subjectId;
  }

  public UUID getErasureId() {
    return erasureId;
  }

  public void setErasureId(UUID erasureId) {
    this.erasureId = erasureId;
  }

  public String getDeadlineId() {
    return deadlineId;
  }

  public void setDeadlineId(String deadlineId) {
    this.deadlineId = deadlineId;
  }
}
