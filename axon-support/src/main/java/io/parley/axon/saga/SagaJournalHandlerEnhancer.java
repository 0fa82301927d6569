package io.parley.axon.saga;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.Scope;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.StartSaga;

/**
 * Journals what sagas do ({@link JdbcSagaJournal}): every {@code @SagaEventHandler} call that
 * returns normally adds an entry (saga id and type, the event's global index and payload type);
 * {@code @DeadlineHandler} calls of sagas are watched too, only to see a saga end there. Entries
 * are collected in the root unit of work and written in one statement when it prepares to commit —
 * in the same transaction as the saga store's own writes — together with the sagas that are no
 * longer active by then. Deadlines the sagas scheduled or cancelled in that unit of work ({@link
 * SagaDeadlineIndex}) are written just before.
 *
 * <p>Outside a unit of work (unit tests with Axon's fixtures) nothing is recorded.
 */
public class SagaJournalHandlerEnhancer implements HandlerEnhancerDefinition {

  private final JdbcSagaJournal journal;
  private final Clock clock;

  public SagaJournalHandlerEnhancer(JdbcSagaJournal journal, Clock clock) {
    this.journal = journal;
    this.clock = clock;
  }

  @Override
  public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
    boolean eventHandler = original.annotationAttributes(SagaEventHandler.class).isPresent();
    if (!eventHandler && original.annotationAttributes(DeadlineHandler.class).isEmpty()) {
      return original;
    }
    boolean starts = original.annotationAttributes(StartSaga.class).isPresent();
    return new WrappedMessageHandlingMember<>(original) {
      @Override
      public Object handle(Message<?> message, T target) throws Exception {
        Object result = super.handle(message, target);
        record(message, eventHandler, starts);
        return result;
      }
    };
  }

  private void record(Message<?> message, boolean eventHandler, boolean starts) {
    AnnotatedSaga<?> saga = currentSaga();
    if (saga == null || !CurrentUnitOfWork.isStarted()) {
      return;
    }
    Long globalIndex = null;
    String eventType = null;
    if (eventHandler && !(message instanceof DeadlineMessage<?>)) {
      eventType = message.getPayloadType().getSimpleName();
      if (message instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
        globalIndex = tracked.trackingToken().position().stream().boxed().findFirst().orElse(null);
      }
      if (globalIndex == null) {
        // Not from the event store's stream (a subscribing processor): nothing to point to.
        eventType = null;
      }
    }
    batch(CurrentUnitOfWork.get(), journal)
        .add(
            saga,
            new JdbcSagaJournal.Entry(
                saga.getSagaIdentifier(),
                saga.root().getClass().getName(),
                globalIndex,
                eventType,
                clock.instant(),
                starts && eventType != null));
  }

  static AnnotatedSaga<?> currentSaga() {
    try {
      return Scope.getCurrentScope() instanceof AnnotatedSaga<?> saga ? saga : null;
    } catch (IllegalStateException noScope) {
      return null;
    }
  }

  /** The root unit of work's batch, created with its prepare-commit write on first use. */
  static Batch batch(UnitOfWork<?> unitOfWork, JdbcSagaJournal journal) {
    UnitOfWork<?> root = unitOfWork.root();
    return root.getOrComputeResource(
        Batch.class.getName(),
        key -> {
          Batch batch = new Batch();
          root.onPrepareCommit(u -> batch.write(journal));
          return batch;
        });
  }

  /** What one unit of work journals. */
  static final class Batch {
    private final List<JdbcSagaJournal.Entry> entries = new ArrayList<>();
    private final Map<String, AnnotatedSaga<?>> sagas = new LinkedHashMap<>();
    private final Map<String, JdbcSagaJournal.Deadline> scheduled = new LinkedHashMap<>();
    private final Set<String> cancelled = new LinkedHashSet<>();

    void add(AnnotatedSaga<?> saga, JdbcSagaJournal.Entry entry) {
      entries.add(entry);
      sagas.put(saga.getSagaIdentifier(), saga);
    }

    void scheduled(JdbcSagaJournal.Deadline deadline) {
      scheduled.put(deadline.deadlineId(), deadline);
    }

    void cancelled(String deadlineId) {
      if (scheduled.remove(deadlineId) == null) {
        cancelled.add(deadlineId);
      }
    }

    void write(JdbcSagaJournal journal) {
      journal.writeDeadlines(scheduled.values(), cancelled);
      Set<String> ended = new LinkedHashSet<>();
      sagas.forEach(
          (id, saga) -> {
            if (!saga.isActive()) {
              ended.add(id);
            }
          });
      journal.write(entries, ended);
    }
  }
}
