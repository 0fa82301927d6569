package io.parley.axon.saga;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.common.Priority;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.Scope;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler half of a dead-letter queue for sagas, whose sequence identifier is the saga id (with
 * {@link SagaDeadLetteringErrorHandler}, which parks a failed event, and {@link
 * SagaDeadLetterProcessor}, which retries). Wraps every {@code @SagaEventHandler} of a saga type
 * that has a queue:
 *
 * <ul>
 *   <li>an event for a saga that already has parked events is parked behind them instead of being
 *       handled, so the saga sees its events in order once they are retried (as Axon's sequenced
 *       queue keeps a projection's aggregate in order);
 *   <li>otherwise it remembers the saga's state in the unit of work just before the handler runs,
 *       for the error handler to put back if the handler fails.
 * </ul>
 *
 * In a retry (a unit of work holding the {@link DeadLetter} being processed, as Axon's own
 * dead-letter processing does) nothing is parked; the state is remembered all the same, for {@link
 * SagaDeadLetterProcessor} to put back when the retry fails. Costs one query of the queue per saga
 * event handled (sagas handle few events; projections are not touched).
 *
 * <p>{@link Priority#LAST}: it wraps every other enhancer, Axon's {@code @EndSaga} included, so an
 * event it parks reaches no other wrapper (an {@code @EndSaga} handler's wrapper ends the saga even
 * when the handler does not run) and the state it captures precedes everything the handler does.
 */
@Priority(Priority.LAST)
public class SagaDeadLetterEnhancer implements HandlerEnhancerDefinition {

  private static final Logger log = LoggerFactory.getLogger(SagaDeadLetterEnhancer.class);

  private final Function<Class<?>, Optional<SequencedDeadLetterQueue<EventMessage<?>>>> queues;
  private final Supplier<Serializer> serializer;

  /**
   * @param queues the dead-letter queue of a saga type, if it has one (looked up when an event is
   *     handled, so it may come from an Axon configuration built after this enhancer)
   * @param serializer the serializer the saga store uses (the same supplied lazily)
   */
  public SagaDeadLetterEnhancer(
      Function<Class<?>, Optional<SequencedDeadLetterQueue<EventMessage<?>>>> queues,
      Supplier<Serializer> serializer) {
    this.queues = queues;
    this.serializer = serializer;
  }

  static String stateKey(String sagaId) {
    return SagaState.class.getName() + "/" + sagaId;
  }

  static boolean isDeadLetterRetry() {
    return CurrentUnitOfWork.isStarted()
        && CurrentUnitOfWork.get().resources().containsKey(DeadLetter.class.getName());
  }

  @Override
  public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
    if (original.annotationAttributes(SagaEventHandler.class).isEmpty()) {
      return original;
    }
    return new WrappedMessageHandlingMember<>(original) {
      @Override
      public Object handle(Message<?> message, T target) throws Exception {
        if (!(message instanceof EventMessage<?> event)
            || target == null
            || !(currentScope() instanceof AnnotatedSaga<?> saga)) {
          return super.handle(message, target);
        }
        Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = queues.apply(target.getClass());
        if (queue.isEmpty()) {
          return super.handle(message, target);
        }
        String sagaId = saga.getSagaIdentifier();
        if (!isDeadLetterRetry()
            && queue
                .get()
                .enqueueIfPresent(
                    sagaId, () -> new GenericDeadLetter<EventMessage<?>>(sagaId, event))) {
          log.info(
              "Event {} is parked behind the dead letters of saga {} ({})",
              event.getIdentifier(),
              sagaId,
              target.getClass().getSimpleName());
          return null;
        }
        if (CurrentUnitOfWork.isStarted()) {
          CurrentUnitOfWork.get()
              .resources()
              .put(stateKey(sagaId), SagaState.capture(saga, serializer.get()));
        }
        return super.handle(message, target);
      }
    };
  }

  private static Object currentScope() {
    try {
      return Scope.getCurrentScope();
    } catch (IllegalStateException noScope) {
      return null;
    }
  }
}
