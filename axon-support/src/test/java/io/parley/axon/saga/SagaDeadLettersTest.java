package io.parley.axon.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.LoggingErrorHandler;
import org.axonframework.eventhandling.Segment;
import org.axonframework.messaging.annotation.ClasspathHandlerDefinition;
import org.axonframework.messaging.annotation.ClasspathHandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.MultiHandlerDefinition;
import org.axonframework.messaging.annotation.MultiHandlerEnhancerDefinition;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.InMemorySequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.saga.AnnotatedSagaManager;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.modelling.saga.repository.AnnotatedSagaRepository;
import org.axonframework.modelling.saga.repository.inmemory.InMemorySagaStore;
import org.axonframework.serialization.JavaSerializer;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A saga's dead-letter queue end to end on Axon's real saga manager and repository (in memory): a
 * failing handler parks its event under the saga id with the saga as it was before, later events
 * park behind it, and a retry once fixed hands them to the saga in order.
 */
class SagaDeadLettersTest {

  record TripBooked(String tripId) {}

  record TripPaid(String tripId) {}

  record TripEnded(String tripId) {}

  static boolean failing;

  public static class Trip implements Serializable {
    List<String> seen = new ArrayList<>();
    String stage = "new";

    @StartSaga
    @SagaEventHandler(associationProperty = "tripId")
    public void on(TripBooked event) {
      seen.add("booked");
      stage = "booked";
    }

    @SagaEventHandler(associationProperty = "tripId")
    public void on(TripPaid event) {
      seen.add("paid");
      stage = "paid";
      SagaLifecycle.associateWith("payment", "p-1");
      if (failing) {
        throw new IllegalStateException("payment service down");
      }
    }

    @EndSaga
    @SagaEventHandler(associationProperty = "tripId")
    public void on(TripEnded event) {
      seen.add("ended");
      if (failing) {
        throw new IllegalStateException("cannot end");
      }
    }
  }

  final Serializer serializer = JavaSerializer.builder().build();
  final SequencedDeadLetterQueue<EventMessage<?>> queue =
      InMemorySequencedDeadLetterQueue.defaultQueue();
  final InMemorySagaStore store = new InMemorySagaStore();
  final List<Throwable> notParked = new ArrayList<>();
  EnqueuePolicy<EventMessage<?>> policy =
      (letter, cause) -> Decisions.enqueue(cause, l -> l.diagnostics().and("seen", true));

  AnnotatedSagaRepository<Trip> repository;
  AnnotatedSagaManager<Trip> manager;
  String tripId;

  @BeforeEach
  void sagaManager() {
    failing = false;
    tripId = UUID.randomUUID().toString();
    SagaDeadLetterEnhancer enhancer =
        new SagaDeadLetterEnhancer(
            type -> type == Trip.class ? Optional.of(queue) : Optional.empty(), () -> serializer);
    HandlerDefinition handlers =
        MultiHandlerDefinition.ordered(
            MultiHandlerEnhancerDefinition.ordered(
                ClasspathHandlerEnhancerDefinition.forClass(Trip.class), enhancer),
            ClasspathHandlerDefinition.forClass(Trip.class));
    repository =
        AnnotatedSagaRepository.<Trip>builder()
            .sagaType(Trip.class)
            .sagaStore(store)
            .parameterResolverFactory(ClasspathParameterResolverFactory.forClass(Trip.class))
            .handlerDefinition(handlers)
            .build();
    manager =
        AnnotatedSagaManager.<Trip>builder()
            .sagaRepository(repository)
            .sagaType(Trip.class)
            .parameterResolverFactory(ClasspathParameterResolverFactory.forClass(Trip.class))
            .handlerDefinition(handlers)
            .listenerInvocationErrorHandler(
                new SagaDeadLetteringErrorHandler(
                    () -> queue,
                    (l, c) -> policy.decide(l, c),
                    () -> serializer,
                    new LoggingErrorHandler()))
            .build();
  }

  void publish(Object payload) throws Exception {
    EventMessage<?> event = GenericEventMessage.asEventMessage(payload);
    var result =
        DefaultUnitOfWork.startAndGet(event)
            .executeWithResult(
                () -> {
                  manager.handle(event, Segment.ROOT_SEGMENT);
                  return null;
                });
    if (result.isExceptional()) {
      throw (Exception) result.exceptionResult();
    }
  }

  String sagaId() {
    return store.findSagas(Trip.class, new AssociationValue("tripId", tripId)).iterator().next();
  }

  Trip stored() {
    return store.loadSaga(Trip.class, sagaId()).saga();
  }

  SagaDeadLetterProcessor processor() {
    return new SagaDeadLetterProcessor(
        queue, repository, NoTransactionManager.INSTANCE, policy, serializer, List.of());
  }

  List<DeadLetter<? extends EventMessage<?>>> letters(String sagaId) {
    List<DeadLetter<? extends EventMessage<?>>> letters = new ArrayList<>();
    queue.deadLetterSequence(sagaId).forEach(letters::add);
    return letters;
  }

  @Test
  void aFailingHandler_parksItsEventUnderTheSagaId_withTheSagaAsItWasBefore() throws Exception {
    publish(new TripBooked(tripId));
    failing = true;
    publish(new TripPaid(tripId));

    String sagaId = sagaId();
    List<DeadLetter<? extends EventMessage<?>>> parked = letters(sagaId);
    assertThat(parked).hasSize(1);
    assertThat(parked.get(0).message().getPayload()).isEqualTo(new TripPaid(tripId));
    assertThat(parked.get(0).cause().orElseThrow().message()).isEqualTo("payment service down");
    assertThat(parked.get(0).diagnostics()).containsEntry("seen", true);
    assertThat(stored().stage).isEqualTo("booked");
    assertThat(stored().seen).containsExactly("booked");
    assertThat(store.findSagas(Trip.class, new AssociationValue("payment", "p-1"))).isEmpty();
  }

  @Test
  void laterEvents_areParkedBehind_evenForAnEndSagaHandler_andARetryHandsThemOverInOrder()
      throws Exception {
    publish(new TripBooked(tripId));
    failing = true;
    publish(new TripPaid(tripId));
    failing = false;
    publish(new TripEnded(tripId));

    String sagaId = sagaId();
    assertThat(letters(sagaId))
        .extracting(l -> (Object) l.message().getPayload())
        .containsExactly(new TripPaid(tripId), new TripEnded(tripId));
    assertThat(stored().seen).containsExactly("booked"); // the saga is still active and stored

    failing = true;
    assertThat(processor().processAny()).isFalse(); // still failing: kept, requeued
    assertThat(letters(sagaId)).hasSize(2);
    assertThat(stored().seen).containsExactly("booked");

    failing = false;
    Trip saga = stored();
    assertThat(processor().processAny()).isTrue();
    assertThat(letters(sagaId)).isEmpty();
    assertThat(saga.seen).containsExactly("booked", "paid", "ended");
    assertThat(store.findSagas(Trip.class, new AssociationValue("tripId", tripId))).isEmpty();
  }

  @Test
  void aFailingEndSagaHandler_leavesTheSagaActive() throws Exception {
    publish(new TripBooked(tripId));
    failing = true;
    publish(new TripEnded(tripId));

    assertThat(letters(sagaId())).hasSize(1);
    assertThat(stored().seen).containsExactly("booked");
  }

  @Test
  void whenThePolicySaysNotToEnqueue_theFailureFailsTheBatch() throws Exception {
    policy = (letter, cause) -> Decisions.doNotEnqueue();
    publish(new TripBooked(tripId));
    failing = true;
    assertThatThrownBy(() -> publish(new TripPaid(tripId)))
        .hasMessageContaining("payment service down");
    assertThat(queue.contains(sagaId())).isFalse();
  }
}
