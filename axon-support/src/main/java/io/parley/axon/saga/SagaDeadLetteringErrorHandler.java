package io.parley.axon.saga;

import java.util.function.Supplier;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks the event a saga's handler failed on in the saga processor's dead-letter queue, with the
 * saga id as sequence identifier, instead of Axon 4's default of logging it and going on without
 * it. Axon's saga manager calls this error handler with the saga after the handler has thrown (and
 * after the handler's transaction work was rolled back to its savepoint, when it had one).
 *
 * <p>The enqueue policy decides, as for projections: when it says not to enqueue (a batch that is
 * rolled back and processed again anyway), the failure is rethrown and fails the batch. Otherwise
 * the saga's state is put back as it was before the event ({@link SagaDeadLetterEnhancer} captured
 * it), so the saga is stored without the failed handler's changes, and the letter is enqueued in
 * the batch's transaction: it commits together with the processor's token, or not at all. Failures
 * of other handlers than sagas go to {@code otherwise}.
 */
public class SagaDeadLetteringErrorHandler implements ListenerInvocationErrorHandler {

  private static final Logger log = LoggerFactory.getLogger(SagaDeadLetteringErrorHandler.class);

  private final Supplier<SequencedDeadLetterQueue<EventMessage<?>>> queue;
  private final EnqueuePolicy<EventMessage<?>> policy;
  private final Supplier<Serializer> serializer;
  private final ListenerInvocationErrorHandler otherwise;

  public SagaDeadLetteringErrorHandler(
      Supplier<SequencedDeadLetterQueue<EventMessage<?>>> queue,
      EnqueuePolicy<EventMessage<?>> policy,
      Supplier<Serializer> serializer,
      ListenerInvocationErrorHandler otherwise) {
    this.queue = queue;
    this.policy = policy;
    this.serializer = serializer;
    this.otherwise = otherwise;
  }

  @Override
  public void onError(Exception failure, EventMessage<?> event, EventMessageHandler handler)
      throws Exception {
    if (!(handler instanceof AnnotatedSaga<?> saga)) {
      otherwise.onError(failure, event, handler);
      return;
    }
    String sagaId = saga.getSagaIdentifier();
    DeadLetter<EventMessage<?>> letter = new GenericDeadLetter<>(sagaId, event, failure);
    EnqueueDecision<EventMessage<?>> decision = policy.decide(letter, failure);
    if (!decision.shouldEnqueue()) {
      throw failure;
    }
    SagaState before =
        CurrentUnitOfWork.isStarted()
            ? (SagaState)
                CurrentUnitOfWork.get().resources().remove(SagaDeadLetterEnhancer.stateKey(sagaId))
            : null;
    if (before != null) {
      before.restore(saga, serializer.get());
    } else {
      log.warn(
          "No state captured for saga {} before event {}: it is stored as the failed handler"
              + " left it",
          sagaId,
          event.getIdentifier());
    }
    DeadLetter<? extends EventMessage<?>> parked =
        decision.withDiagnostics(decision.enqueueCause().map(letter::withCause).orElse(letter));
    queue.get().enqueue(sagaId, parked);
    // The failure's type only: its message may quote personal data.
    log.warn(
        "Saga {} ({}) failed on event {} ({}); the event is parked in the dead-letter queue",
        sagaId,
        saga.root().getClass().getSimpleName(),
        event.getIdentifier(),
        failure.getClass().getName());
  }
}
