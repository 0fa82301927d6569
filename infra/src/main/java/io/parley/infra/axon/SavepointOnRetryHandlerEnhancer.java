package io.parley.infra.axon;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each event handler invocation inside a savepoint of the processor's batch transaction.
 *
 * <p>In PostgreSQL a failed statement aborts the whole transaction. Without a savepoint, a
 * projection whose SQL fails leaves the batch transaction unusable, and Axon's JDBC dead-letter
 * queue — which records the failure in that same transaction — fails too, so the event is neither
 * applied nor parked. With it, only the failing handler's work is rolled back and the dead letter
 * is recorded. Outside a transaction (tests, sagas without one) handlers run unchanged.
 */
@Component
public class SavepointPerEventHandlerEnhancer implements HandlerEnhancerDefinition {

  private final TransactionTemplate savepoint;

  public SavepointPerEventHandlerEnhancer(PlatformTransactionManager transactionManager) {
    this.savepoint = new TransactionTemplate(transactionManager);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  @Override
  public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
    if (!original.canHandleMessageType(EventMessage.class)
        || original.annotationAttributes(EventHandler.class).isEmpty()) {
      return original;
    }
    return new WrappedMessageHandlingMember<>(original) {
      @Override
      public Object handle(Message<?> message, T target) throws Exception {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
          return super.handle(message, target);
        }
        try {
          return savepoint.execute(status -> invoke(message, target));
        } catch (HandlerFailure failure) {
          throw failure.original;
        }
      }

      private Object invoke(Message<?> message, T target) {
        try {
          return super.handle(message, target);
        } catch (Exception e) {
          throw new HandlerFailure(e);
        }
      }
    };
  }

  /** Carries a checked handler exception through the transaction template, which rolls back. */
  private static final class HandlerFailure extends RuntimeException {
    private final Exception original;

    HandlerFailure(Exception original) {
      super(null, original, false, false);
      this.original = original;
    }
  }
}
