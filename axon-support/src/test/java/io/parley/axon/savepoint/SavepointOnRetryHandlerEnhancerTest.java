package io.parley.axon.savepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.parley.axon.savepoint.SavepointOnRetryHandlerEnhancer.RetryWithSavepoint;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.annotation.AnnotatedMessageHandlingMember;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.deadletter.GenericDeadLetter;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The guarantee {@code DeadLetterQueueIT} cannot show on PostgreSQL (where any failed statement
 * aborts the batch anyway): a handler that wrote and then failed with a non-SQL exception never has
 * its batch committed, and the retry runs that event in a savepoint.
 */
class SavepointOnRetryHandlerEnhancerTest {

  /** A projection that "writes" and then fails. */
  static class Projection {
    final List<String> written = new ArrayList<>();

    @EventHandler
    void on(String event) {
      written.add(event);
      throw new IllegalStateException("a bug after a write");
    }
  }

  final PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
  final SavepointOnRetryHandlerEnhancer enhancer =
      new SavepointOnRetryHandlerEnhancer(transactions);
  final Projection projection = new Projection();
  final EventMessage<String> event = GenericEventMessage.asEventMessage("hello");
  MessageHandlingMember<Projection> handler;

  @BeforeEach
  void setUp() throws Exception {
    TransactionSynchronizationManager.setActualTransactionActive(true);
    Method on = Projection.class.getDeclaredMethod("on", String.class);
    handler =
        enhancer.wrapHandler(
            new AnnotatedMessageHandlingMember<>(
                on,
                EventMessage.class,
                String.class,
                ClasspathParameterResolverFactory.forClass(Projection.class)));
  }

  @AfterEach
  void tearDown() {
    TransactionSynchronizationManager.setActualTransactionActive(false);
  }

  @Test
  void aFailureInABatch_rollsTheWholeBatchBack_evenWhenTheDeadLetterQueueSwallowsIt() {
    BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(List.of(event));
    ResultMessage<?> result =
        batch.executeWithResult(
            () -> {
              try {
                handler.handle(event, projection);
              } catch (RetryWithSavepoint declinedByTheDeadLetterPolicy) {
                // what Axon's dead-lettering invoker does once the policy says "do not enqueue"
              }
              return null;
            });

    assertThat(result.isExceptional()).isTrue();
    assertThat(result.exceptionResult()).isInstanceOf(RetryWithSavepoint.class);
    assertThat(batch.isRolledBack()).isTrue();
    assertThat(projection.written).containsExactly("hello"); // it wrote; the rollback undoes it
    verifyNoInteractions(transactions); // no savepoint the first time
  }

  /** A projection that defers its write to the end of the batch unless told to write now. */
  static class DeferringProjection {
    final List<Boolean> writeNow = new ArrayList<>();

    @EventHandler
    void on(Integer event, UnitOfWork<?> unitOfWork) {
      writeNow.add(unitOfWork.getResource(SavepointOnRetryHandlerEnhancer.WRITE_NOW) != null);
    }
  }

  @Test
  void aBatchFailingAfterItsHandlers_isRetriedWithEveryEventInASavepointWritingAtOnce()
      throws Exception {
    DeferringProjection deferring = new DeferringProjection();
    MessageHandlingMember<DeferringProjection> deferringHandler =
        enhancer.wrapHandler(
            new AnnotatedMessageHandlingMember<>(
                DeferringProjection.class.getDeclaredMethod("on", Integer.class, UnitOfWork.class),
                EventMessage.class,
                Integer.class,
                ClasspathParameterResolverFactory.forClass(DeferringProjection.class)));
    List<EventMessage<Integer>> events =
        List.of(GenericEventMessage.asEventMessage(1), GenericEventMessage.asEventMessage(2));

    ResultMessage<?> first =
        new BatchingUnitOfWork<EventMessage<?>>(List.copyOf(events))
            .executeWithResult(
                () -> { // called once per event of the batch
                  UnitOfWork<?> batch = CurrentUnitOfWork.get();
                  deferringHandler.handle(batch.getMessage(), deferring);
                  batch.getOrComputeResource(
                      "deferred write",
                      k -> {
                        batch.onPrepareCommit(
                            u -> {
                              throw new IllegalStateException("the batch's deferred write failed");
                            });
                        return true;
                      });
                  return null;
                });
    assertThat(first.isExceptional()).isTrue();
    assertThat(deferring.writeNow).containsExactly(false, false);

    when(transactions.getTransaction(any())).thenReturn(new SimpleTransactionStatus());
    new BatchingUnitOfWork<EventMessage<?>>(List.copyOf(events))
        .executeWithResult(
            () -> {
              deferringHandler.handle(CurrentUnitOfWork.get().getMessage(), deferring);
              return null;
            });
    assertThat(deferring.writeNow).containsExactly(false, false, true, true);
    verify(transactions, times(2)).getTransaction(any()); // a savepoint per event
  }

  @Test
  void theRetriedEvent_runsInASavepoint_andItsFailureReachesTheDeadLetterQueue() {
    new BatchingUnitOfWork<EventMessage<?>>(List.of(event))
        .executeWithResult(
            () -> {
              try {
                handler.handle(event, projection);
              } catch (RetryWithSavepoint expected) {
                // first attempt
              }
              return null;
            });
    when(transactions.getTransaction(any())).thenReturn(new SimpleTransactionStatus());

    new BatchingUnitOfWork<EventMessage<?>>(List.of(event))
        .executeWithResult(
            () -> {
              assertThatThrownBy(() -> handler.handle(event, projection))
                  .isInstanceOf(IllegalStateException.class);
              return null;
            });

    ArgumentCaptor<TransactionDefinition> savepoint =
        ArgumentCaptor.forClass(TransactionDefinition.class);
    verify(transactions).getTransaction(savepoint.capture());
    assertThat(savepoint.getValue().getPropagationBehavior())
        .isEqualTo(TransactionDefinition.PROPAGATION_NESTED);
    verify(transactions).rollback(any()); // the handler's own work only
  }

  @Test
  void aBatchNestedInACommand_hasNothingToRetry_soEveryCallGetsASavepoint() {
    when(transactions.getTransaction(any())).thenReturn(new SimpleTransactionStatus());
    DefaultUnitOfWork<?> command = DefaultUnitOfWork.startAndGet(null);
    try {
      new BatchingUnitOfWork<EventMessage<?>>(List.of(event))
          .executeWithResult(
              () -> {
                assertThatThrownBy(() -> handler.handle(event, projection))
                    .isInstanceOf(IllegalStateException.class);
                return null;
              });
    } finally {
      command.rollback();
    }
    verify(transactions).getTransaction(any());
  }

  @Test
  void theDeadLetterPolicy_parksEverythingButTheRetrySignal() {
    var policy = SavepointOnRetryHandlerEnhancer.deadLetterPolicy();
    var letter = new GenericDeadLetter<EventMessage<?>>("sequence", event);
    assertThat(
            policy
                .decide(letter, new RetryWithSavepoint("id", new IllegalStateException()))
                .shouldEnqueue())
        .isFalse();
    assertThat(policy.decide(letter, new IllegalStateException()).shouldEnqueue()).isTrue();
  }

  @Test
  void theDeadLetterPolicy_countsFailedRetries() {
    var policy = SavepointOnRetryHandlerEnhancer.deadLetterPolicy();
    var failure = new IllegalStateException("still broken");
    var parked = new GenericDeadLetter<EventMessage<?>>("sequence", event, failure);
    var first = policy.decide(parked, failure).withDiagnostics(parked);
    assertThat(first.diagnostics()).containsEntry(SavepointOnRetryHandlerEnhancer.RETRIES, 0);
    var retried = policy.decide(first, failure).withDiagnostics(first);
    assertThat(retried.diagnostics()).containsEntry(SavepointOnRetryHandlerEnhancer.RETRIES, 1);
    assertThat(policy.decide(retried, failure).withDiagnostics(retried).diagnostics())
        .containsEntry(SavepointOnRetryHandlerEnhancer.RETRIES, 2);

    var parkedBehind = new GenericDeadLetter<EventMessage<?>>("sequence", event);
    assertThat(policy.decide(parkedBehind, failure).withDiagnostics(parkedBehind).diagnostics())
        .containsEntry(SavepointOnRetryHandlerEnhancer.RETRIES, 1);
  }
}
