package io.parley.axon.saga;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.axonframework.modelling.saga.Saga;
import org.axonframework.modelling.saga.SagaRepository;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a saga's parked events (the sequence identifier is the saga id), as Axon's {@code
 * DeadLetteringEventHandlerInvoker} does for projections: in one unit of work and transaction, the
 * queue claims the first letter of a matching sequence; each letter, in its own nested unit of work
 * holding the letter, is handed to the saga loaded from the saga repository; a letter handled is
 * evicted (and the saga stored) and the next one follows; the first that fails again is requeued
 * with the enqueue policy's cause and diagnostics, and the sequence stops there. Nothing is lost: a
 * failure leaves the letter parked, touched, with the saga as it was before it.
 *
 * <p>A letter whose saga has ended in the meantime (or no longer has the association the event
 * names) has nowhere to go: it is evicted, as Axon's saga manager ignores events for no saga.
 *
 * <p>On the node that owns the saga's segment, the saga repository's lock keeps a live event for
 * the same saga waiting until the retry has committed; there, and on every other node, a live event
 * that finds the saga's sequence still in the queue is parked behind it ({@link
 * SagaDeadLetterEnhancer}). The queue's claim keeps two retries of one sequence apart.
 */
public class SagaDeadLetterProcessor implements SequencedDeadLetterProcessor<EventMessage<?>> {

  private static final Logger log = LoggerFactory.getLogger(SagaDeadLetterProcessor.class);

  private final SequencedDeadLetterQueue<EventMessage<?>> queue;
  private final SagaRepository<?> repository;
  private final TransactionManager transactionManager;
  private final EnqueuePolicy<EventMessage<?>> policy;
  private final List<CorrelationDataProvider> correlationDataProviders;
  private final Serializer serializer;

  /**
   * @param serializer the serializer the saga store uses
   * @param correlationDataProviders what the retried handlers pass on to the messages they send, as
   *     the saga's processor would
   */
  public SagaDeadLetterProcessor(
      SequencedDeadLetterQueue<EventMessage<?>> queue,
      SagaRepository<?> repository,
      TransactionManager transactionManager,
      EnqueuePolicy<EventMessage<?>> policy,
      Serializer serializer,
      List<CorrelationDataProvider> correlationDataProviders) {
    this.queue = queue;
    this.serializer = serializer;
    this.repository = repository;
    this.transactionManager = transactionManager;
    this.policy = policy;
    this.correlationDataProviders = List.copyOf(correlationDataProviders);
  }

  @Override
  public boolean process(Predicate<DeadLetter<? extends EventMessage<?>>> sequenceFilter) {
    UnitOfWork<?> unitOfWork = new DefaultUnitOfWork<>(null);
    unitOfWork.attachTransaction(transactionManager);
    return unitOfWork
        .executeWithResult(() -> queue.process(sequenceFilter, this::handle))
        .getPayload();
  }

  private EnqueueDecision<EventMessage<?>> handle(DeadLetter<? extends EventMessage<?>> letter) {
    String sagaId = sagaIdOf(letter);
    AtomicReference<EnqueueDecision<EventMessage<?>>> decision = new AtomicReference<>();
    UnitOfWork<? extends EventMessage<?>> unitOfWork =
        DefaultUnitOfWork.startAndGet(letter.message());
    unitOfWork.attachTransaction(transactionManager);
    unitOfWork.resources().put(DeadLetter.class.getName(), letter);
    correlationDataProviders.forEach(unitOfWork::registerCorrelationDataProvider);
    unitOfWork.onPrepareCommit(u -> decision.set(Decisions.evict()));
    AtomicReference<Saga<?>> handled = new AtomicReference<>();
    unitOfWork.onRollback(
        u -> {
          // The saga stays as it was before the letter (a caching saga store holds the instance).
          Object before = u.resources().get(SagaDeadLetterEnhancer.stateKey(sagaId));
          if (before instanceof SagaState state && handled.get() instanceof AnnotatedSaga<?> saga) {
            state.restore(saga, serializer);
          }
          decision.set(policy.decide(letter, u.getExecutionResult().getExceptionResult()));
        });
    unitOfWork.executeWithResult(
        () -> {
          deliver(sagaId, letter.message(), handled);
          return null;
        });
    EnqueueDecision<EventMessage<?>> decided = decision.get();
    return decided != null ? decided : Decisions.ignore();
  }

  private void deliver(String sagaId, EventMessage<?> event, AtomicReference<Saga<?>> handled)
      throws Exception {
    Saga<?> saga = repository.load(sagaId);
    handled.set(saga);
    if (saga == null || !saga.isActive()) {
      log.info(
          "Saga {} has ended: its dead letter for event {} is dropped",
          sagaId,
          event.getIdentifier());
      return;
    }
    if (!saga.canHandle(event)) {
      log.info(
          "Saga {} no longer handles event {}: its dead letter is dropped",
          sagaId,
          event.getIdentifier());
      return;
    }
    saga.handle(event);
  }

  private static String sagaIdOf(DeadLetter<?> letter) {
    if (letter instanceof JdbcDeadLetter<?> jdbc) {
      return jdbc.getSequenceIdentifier();
    }
    if (letter instanceof GenericDeadLetter<?> generic) {
      return String.valueOf(generic.getSequenceIdentifier());
    }
    throw new IllegalArgumentException(
        "A saga dead letter names its saga: " + letter.getClass().getName());
  }
}
