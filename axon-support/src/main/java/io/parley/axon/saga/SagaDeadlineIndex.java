package io.parley.axon.saga;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.axonframework.common.Registration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.saga.SagaScopeDescriptor;

/**
 * A {@link DeadlineManager} that remembers which saga scheduled which deadline, so a saga's pending
 * deadlines are found by the deadline's id (db-scheduler's task instance) instead of by
 * deserialising every scheduled deadline's data. Deadlines of other scopes (aggregates) pass
 * through untouched. The index row is written in the unit of work's transaction (as the deadline
 * manager schedules at prepare commit), or at once outside a unit of work; cancelling by id removes
 * it. A fired deadline's row stays until its saga ends or {@link JdbcSagaJournal#prune} runs;
 * readers join the deadline table, so it is never shown as pending.
 */
public class SagaDeadlineIndex implements DeadlineManager {

  private final DeadlineManager delegate;
  private final JdbcSagaJournal journal;
  private final Clock clock;

  public SagaDeadlineIndex(DeadlineManager delegate, JdbcSagaJournal journal, Clock clock) {
    this.delegate = delegate;
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public String schedule(
      Instant triggerDateTime,
      String deadlineName,
      Object messageOrPayload,
      ScopeDescriptor deadlineScope) {
    String id = delegate.schedule(triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
    if (deadlineScope instanceof SagaScopeDescriptor saga && saga.getIdentifier() != null) {
      JdbcSagaJournal.Deadline deadline =
          new JdbcSagaJournal.Deadline(
              id, saga.getIdentifier().toString(), deadlineName, clock.instant());
      if (CurrentUnitOfWork.isStarted()) {
        SagaJournalHandlerEnhancer.batch(CurrentUnitOfWork.get(), journal).scheduled(deadline);
      } else {
        journal.writeDeadlines(List.of(deadline), List.of());
      }
    }
    return id;
  }

  @Override
  public void cancelSchedule(String deadlineName, String scheduleId) {
    delegate.cancelSchedule(deadlineName, scheduleId);
    if (CurrentUnitOfWork.isStarted()) {
      SagaJournalHandlerEnhancer.batch(CurrentUnitOfWork.get(), journal).cancelled(scheduleId);
    } else {
      journal.writeDeadlines(List.of(), List.of(scheduleId));
    }
  }

  @Override
  public void cancelAll(String deadlineName) {
    delegate.cancelAll(deadlineName);
  }

  @Override
  public void cancelAllWithinScope(String deadlineName, ScopeDescriptor scope) {
    delegate.cancelAllWithinScope(deadlineName, scope);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public Registration registerDispatchInterceptor(
      MessageDispatchInterceptor<? super DeadlineMessage<?>> interceptor) {
    return delegate.registerDispatchInterceptor(interceptor);
  }

  @Override
  public Registration registerHandlerInterceptor(
      MessageHandlerInterceptor<? super DeadlineMessage<?>> interceptor) {
    return delegate.registerHandlerInterceptor(interceptor);
  }
}
