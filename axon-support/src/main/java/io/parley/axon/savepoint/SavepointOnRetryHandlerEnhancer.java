package io.parley.axon.savepoint;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lets a failing event handler's work roll back alone, so that Axon's JDBC dead-letter queue can
 * park the event, without paying for a savepoint on every event.
 *
 * <p>In PostgreSQL a failed statement aborts the whole transaction. Axon's JDBC dead-letter queue
 * records a failure in the batch's own transaction, which after a failed statement it cannot do:
 * the event would be neither applied nor parked. A savepoint around every handler call solves that
 * but costs two statements per event and handler, about a quarter of the message path's statements.
 * Events almost never fail, so in a streaming processor's batch:
 *
 * <ol>
 *   <li>handlers run without a savepoint;
 *   <li>when one throws, its event's id is remembered, the dead-letter queue is told not to park it
 *       ({@link #deadLetterPolicy()}) and the batch is made to roll back, so no partial work of the
 *       failed handler is ever committed. Axon's processor releases the segment and processes the
 *       batch again after its error back-off;
 *   <li>this time that event's handlers run in a savepoint: the failure is rolled back alone, the
 *       dead-letter queue parks the event, and the rest of the batch commits.
 * </ol>
 *
 * Outside a streaming batch (a dead-letter retry, a subscribing handler inside a command's
 * transaction) every call gets a savepoint: there is no batch to process again. Outside a
 * transaction, handlers run unchanged, and so do aggregates' event-sourcing handlers (Axon counts
 * them as event handlers; they ran in a savepoint per applied or replayed event before this class
 * excluded them). Each node remembers a batch's first failed event, up to {@value #REMEMBERED} of
 * them for an hour; a segment claimed by another node fails once more there before that node knows
 * the event.
 */
public class SavepointOnRetryHandlerEnhancer implements HandlerEnhancerDefinition {

  static final int REMEMBERED = 10_000;

  private static final Logger log = LoggerFactory.getLogger(SavepointOnRetryHandlerEnhancer.class);

  private final TransactionTemplate savepoint;
  private static final String BATCH_FAILED = SavepointOnRetryHandlerEnhancer.class.getName();

  private static final String BATCH_EVENTS = BATCH_FAILED + ".events";

  /**
   * Unit-of-work resource present while a handler runs in its own savepoint: a handler that defers
   * its writes to the end of the batch (query-side's {@code PerBatch}) writes at once instead, so
   * that a failure is the savepoint's alone. query-side names the same key (it does not depend on
   * this module).
   */
  public static final String WRITE_NOW = "io.parley.savepoint.writeNow";

  private final Set<String> failedBefore =
      Collections.newSetFromMap(
          Caffeine.newBuilder()
              .maximumSize(REMEMBERED)
              .expireAfterWrite(Duration.ofHours(1))
              .<String, Boolean>build()
              .asMap());

  public SavepointOnRetryHandlerEnhancer(PlatformTransactionManager transactionManager) {
    this.savepoint = new TransactionTemplate(transactionManager);
    this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
  }

  @Override
  public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
    if (!original.canHandleMessageType(EventMessage.class)
        || original.annotationAttributes(EventHandler.class).isEmpty()
        || original.annotationAttributes(EventSourcingHandler.class).isPresent()) {
      return original; // an aggregate's own handlers change memory only, never the database
    }
    return new WrappedMessageHandlingMember<>(original) {
      @Override
      public Object handle(Message<?> message, T target) throws Exception {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
          return super.handle(message, target);
        }
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.map(u -> u).orElse(null);
        // A streaming processor's own batch: a root unit of work. (A subscribing processor's batch
        // is nested in the publishing command's and has nothing to retry.)
        if (unitOfWork instanceof BatchingUnitOfWork<?>
            && unitOfWork.parent().isEmpty()
            && !failedBefore.contains(message.getIdentifier())) {
          batchEvents(unitOfWork).add(message.getIdentifier());
          try {
            return super.handle(message, target);
          } catch (Exception failure) {
            RetryWithSavepoint retry = new RetryWithSavepoint(message.getIdentifier(), failure);
            // Only the batch's first failure: later ones are mostly its aborted transaction.
            if (unitOfWork.resources().putIfAbsent(BATCH_FAILED, retry) == null) {
              failedBefore.add(message.getIdentifier());
              log.warn(retry.getMessage());
              unitOfWork.onPrepareCommit(
                  u -> {
                    throw retry;
                  });
            }
            throw retry; // not dead-lettered (see deadLetterPolicy): the batch is retried instead
          }
        }
        Object writeNowBefore =
            unitOfWork == null ? null : unitOfWork.resources().put(WRITE_NOW, Boolean.TRUE);
        try {
          return savepoint.execute(status -> invoke(message, target));
        } catch (HandlerFailure failure) {
          throw failure.original;
        } finally {
          if (unitOfWork != null && writeNowBefore == null) {
            unitOfWork.resources().remove(WRITE_NOW);
          }
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

  /**
   * The ids of the events this batch handled without a savepoint. If the batch fails after its
   * handlers returned (a write deferred to its end, its token), no handler failure names the event
   * to blame, so all of them are handled again in savepoints, writing at once.
   */
  private Set<String> batchEvents(UnitOfWork<?> unitOfWork) {
    return unitOfWork.getOrComputeResource(
        BATCH_EVENTS,
        k -> {
          Set<String> ids = new java.util.LinkedHashSet<>();
          unitOfWork.onRollback(
              u -> {
                if (!u.resources().containsKey(BATCH_FAILED)) {
                  ids.forEach(failedBefore::add);
                  log.warn(
                      "A batch of {} events failed after its handlers ran; it is processed again"
                          + " with each event in a savepoint",
                      ids.size());
                }
              });
          return ids;
        });
  }

  /**
   * The diagnostic that counts a dead letter's failed retries: 0 when a failing event is parked,
   * one more each time a retry of it fails again (a letter parked behind another, which never
   * failed itself, counts 1 at its first failed retry).
   */
  public static final String RETRIES = "retries";

  /**
   * The dead-letter policy for every processing group: a {@link RetryWithSavepoint} is not a reason
   * to park the event, since its batch is rolled back and processed again; anything else is
   * dead-lettered, as by Axon's default, and its {@value #RETRIES} diagnostic counts the retries
   * that failed.
   */
  public static EnqueuePolicy<EventMessage<?>> deadLetterPolicy() {
    return (letter, cause) ->
        cause instanceof RetryWithSavepoint
            ? Decisions.doNotEnqueue()
            : Decisions.enqueue(cause, SavepointOnRetryHandlerEnhancer::countRetry);
  }

  /**
   * The letter's diagnostics with {@value #RETRIES} counted: absent on a letter with a cause (a new
   * failure) is 0; absent on a letter without one (parked behind another, failing in a retry) is 1.
   */
  static MetaData countRetry(DeadLetter<?> letter) {
    Object counted = letter.diagnostics().get(RETRIES);
    int retries =
        counted instanceof Number n ? n.intValue() + 1 : letter.cause().isPresent() ? 0 : 1;
    return letter.diagnostics().and(RETRIES, retries);
  }

  /**
   * Rolls back a batch in which a handler failed outside a savepoint. Names the event id and the
   * failure's type only: a failure's message may quote SQL parameters (personal data), and the
   * dead-letter entry written on the retry records the failure itself.
   */
  static final class RetryWithSavepoint extends RuntimeException {
    RetryWithSavepoint(String eventIdentifier, Exception failure) {
      super(
          "An event handler failed on event "
              + eventIdentifier
              + " ("
              + failure.getClass().getName()
              + "); its batch is rolled back and processed again with that event in a savepoint,"
              + " so that only its own work is undone and it can be dead-lettered",
          null,
          false,
          false);
    }
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
