package io.parley.axon.commandbatch;

import static org.axonframework.commandhandling.GenericCommandResultMessage.asCommandResultMessage;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfiguration;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command bus that commits commands arriving together in one database transaction (group commit):
 * Axon's {@link SimpleCommandBus}, except that a command dispatched outside any unit of work is
 * handed to one committer thread, which takes every command waiting (up to {@code maxBatchSize})
 * and handles them in order, each in its own unit of work nested in one root unit of work that
 * holds the transaction. Axon moves a nested unit of work's events to its root, so the batch's
 * events are appended in one batched insert at the root's commit, followed by one COMMIT. Two
 * commands on one aggregate in a batch see each other's events in order, as they would one after
 * the other.
 *
 * <p>Failure semantics (ADR 0021):
 *
 * <ul>
 *   <li>No caller is answered before the batch's transaction has committed. A caller answered with
 *       success is a caller whose events are stored.
 *   <li>If any command of the batch fails (its own rules, a database error, a conflict), or the
 *       append or the commit fails, the whole transaction is rolled back and every command of the
 *       batch is handled again alone, in its own unit of work and transaction, exactly as {@link
 *       SimpleCommandBus} would; each caller gets the outcome of that run. Nothing a failed command
 *       wrote reaches the database, and the others' outcomes do not depend on it. A failure costs
 *       the batch its grouping, not its correctness.
 *   <li>Two exceptions, where running the commands again cannot help or could do harm: when no
 *       transaction can begin (no connection), every command of the batch gets that failure; when
 *       the connection breaks during COMMIT (the outcome unknown), every command gets that failure,
 *       as it would from its own transaction, instead of being stored a second time.
 *   <li>A batch of one is that run already: it is answered directly.
 * </ul>
 *
 * <p>The committer never stops while the bus accepts commands: an interrupt or an unexpected
 * failure answers the batch's callers and the loop goes on; a unit of work left open is rolled
 * back.
 *
 * <p>A command dispatched inside a unit of work (a saga or an event handler sending one) is handled
 * on the caller's thread, nested in the caller's unit of work, as {@link SimpleCommandBus} does.
 *
 * <p>One committer thread by default; {@link Builder#committers(int)} runs several, each taking its
 * own batches, for handlers that wait on something slow outside the database.
 *
 * <p>There is no waiting while one command is in flight: the committer takes what is queued at
 * once. Only after a batch of more than one (evidence of concurrent callers) does it wait up to
 * {@code window} for more commands before starting the next batch.
 */
public class GroupCommitCommandBus extends SimpleCommandBus implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(GroupCommitCommandBus.class);

  /** How often an idle committer looks whether the bus is shutting down. */
  private static final long IDLE_POLL_MILLIS = 100;

  private final TransactionManager transactionManager;
  private final RollbackConfiguration rollbackConfiguration;
  private final int maxBatchSize;
  private final long windowNanos;
  private final BatchObserver observer;
  private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> handlerInterceptors =
      new CopyOnWriteArrayList<>();
  private final BlockingQueue<Pending<?, ?>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> committers = new ArrayList<>();
  private volatile boolean accepting = true;

  protected GroupCommitCommandBus(Builder builder) {
    super(builder);
    this.transactionManager = builder.transactionManager;
    this.rollbackConfiguration = builder.rollbackConfiguration;
    this.maxBatchSize = builder.maxBatchSize;
    this.windowNanos = builder.window.toNanos();
    this.observer = builder.observer;
    for (int i = 0; i < builder.committers; i++) {
      Thread committer =
          new Thread(
              this::commitLoop,
              builder.committers == 1 ? builder.threadName : builder.threadName + "-" + i);
      committer.setDaemon(true);
      committers.add(committer);
      committer.start();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Registration registerHandlerInterceptor(
      MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
    Registration inherited = super.registerHandlerInterceptor(handlerInterceptor);
    handlerInterceptors.add(handlerInterceptor);
    return () -> handlerInterceptors.remove(handlerInterceptor) & inherited.cancel();
  }

  @Override
  protected <C, R> void handle(
      CommandMessage<C> command,
      MessageHandler<? super CommandMessage<?>> handler,
      CommandCallback<? super C, ? super R> callback) {
    if (CurrentUnitOfWork.isStarted() || !accepting) {
      super.handle(command, handler, callback);
      return;
    }
    Pending<C, R> pending = new Pending<>(command, handler, callback);
    queue.add(pending);
    if (!accepting && queue.remove(pending)) {
      // Shut down between the check and the add: the committers may be gone already.
      super.handle(command, handler, callback);
    }
  }

  /**
   * Stops taking new commands into batches (later ones are handled on their caller's thread, as by
   * {@link SimpleCommandBus}), handles what is queued, and waits up to {@code timeout} for the
   * committer to finish.
   */
  public void shutDown(Duration timeout) throws InterruptedException {
    accepting = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread committer : committers) {
      committer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
  }

  /** Commands waiting for the committer (not counting the batch it is handling). */
  public int queued() {
    return queue.size();
  }

  /** {@link #shutDown(Duration)} with ten seconds for what is queued. */
  @Override
  public void close() throws InterruptedException {
    shutDown(Duration.ofSeconds(10));
  }

  private void commitLoop() {
    int previousBatchSize = 0;
    while (accepting || !queue.isEmpty()) {
      // A handler may have set the interrupt flag (an HTTP client restoring it): it must not stop
      // the committer, which would leave every later command waiting.
      Thread.interrupted();
      List<Pending<?, ?>> batch = nextBatch(previousBatchSize > 1);
      if (batch.isEmpty()) {
        continue;
      }
      previousBatchSize = batch.size();
      try {
        handleBatch(batch);
      } catch (Throwable unexpected) {
        // Never leave a caller waiting: whatever is not answered yet fails with the cause. Only
        // the types are logged: a database exception's message may quote bound values.
        logger.error(
            "Command batch failed unexpectedly: {}", causeTypes(unexpected), unexpected.getClass());
        batch.forEach(p -> p.answerIfOpen(unexpected));
      } finally {
        try {
          rollBackLeftovers();
        } catch (Throwable bug) { // the committer must outlive anything a batch leaves behind
          logger.error("Cleaning up after a command batch failed: {}", causeTypes(bug));
        }
      }
    }
  }

  /**
   * A unit of work still current on the committer after a batch is a bug; rolling it back (not just
   * forgetting it) also ends its transaction, which the next batch would otherwise join.
   */
  private static void rollBackLeftovers() {
    while (CurrentUnitOfWork.isStarted()) {
      UnitOfWork<?> leftover = CurrentUnitOfWork.get();
      logger.error("A unit of work was left open on the command batch thread; rolling it back");
      try {
        if (leftover.isActive() && leftover.phase().isBefore(UnitOfWork.Phase.ROLLBACK)) {
          leftover.rollback(new IllegalStateException("left open on the command batch thread"));
        }
      } catch (RuntimeException | Error rollbackFailure) {
        logger.error(
            "Rolling back a unit of work left open failed: {}", causeTypes(rollbackFailure));
      }
      if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get() == leftover) {
        CurrentUnitOfWork.clear(leftover);
      }
    }
  }

  private static String causeTypes(Throwable failure) {
    StringBuilder types = new StringBuilder();
    for (Throwable t = failure; t != null && types.length() < 500; t = t.getCause()) {
      types.append(types.length() == 0 ? "" : " <- ").append(t.getClass().getName());
    }
    return types.toString();
  }

  /** The next batch: what is queued, up to the maximum; empty after an idle poll. */
  private List<Pending<?, ?>> nextBatch(boolean concurrent) {
    List<Pending<?, ?>> batch = new ArrayList<>();
    try {
      Pending<?, ?> first =
          accepting ? queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS) : queue.poll();
      if (first == null) {
        return batch;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatchSize - batch.size());
      if (concurrent && windowNanos > 0 && accepting) {
        long deadline = System.nanoTime() + windowNanos;
        while (batch.size() < maxBatchSize) {
          long remaining = deadline - System.nanoTime();
          Pending<?, ?> next = remaining > 0 ? queue.poll(remaining, TimeUnit.NANOSECONDS) : null;
          if (next == null) {
            break;
          }
          batch.add(next);
          queue.drainTo(batch, maxBatchSize - batch.size());
        }
      }
    } catch (InterruptedException interrupted) {
      // Not a reason to stop (see commitLoop): handle what was taken so far.
      logger.warn("Command batch thread interrupted while collecting a batch; carrying on");
    }
    return batch;
  }

  private void handleBatch(List<Pending<?, ?>> batch) {
    observer.batchStarted(batch.size());
    List<CommandResultMessage<?>> results = batch.size() == 1 ? null : handleTogether(batch);
    if (results != null) {
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).answer(results.get(i));
      }
      return;
    }
    if (batch.size() > 1) {
      observer.batchHandledAlone(batch.size());
    }
    RuntimeException unavailable = null;
    for (Pending<?, ?> pending : batch) {
      if (unavailable != null) {
        // The database went away: the rest would each wait the pool's timeout for nothing.
        pending.answer(asCommandResultMessage(unavailable));
        continue;
      }
      try {
        pending.answer(handleAlone(pending));
      } catch (NoTransaction noTransaction) {
        unavailable = noTransaction.cause;
        pending.answer(asCommandResultMessage(unavailable));
      }
    }
  }

  /**
   * Handles the batch in one root unit of work and transaction. Answers the results (every one the
   * same failure when no transaction could begin), or {@code null} when the batch was rolled back
   * and its commands must be handled alone.
   */
  private List<CommandResultMessage<?>> handleTogether(List<Pending<?, ?>> batch) {
    UnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
    try {
      root.attachTransaction(transactionManager);
    } catch (RuntimeException noTransaction) {
      // No transaction could begin (no connection: the database is down). No command ran, and
      // running each alone would wait for a connection once per command: all get this failure.
      if (root.isActive()) { // Axon's attachTransaction has rolled it back already
        root.rollback(noTransaction);
      }
      return Collections.nCopies(batch.size(), asCommandResultMessage(noTransaction));
    }
    // COMMIT-phase handlers run in reverse order of registration: this one runs just before the
    // transaction's commit (registered first), after the events' own commit handlers.
    AtomicBoolean committing = new AtomicBoolean();
    root.onCommit(u -> committing.set(true));
    try {
      List<CommandResultMessage<?>> results = new ArrayList<>(batch.size());
      for (Pending<?, ?> pending : batch) {
        CommandResultMessage<?> result = handleNested(pending);
        if (result.isExceptional()) {
          rollBack(root, result.exceptionResult());
          return null;
        }
        results.add(result);
      }
      root.commit();
      return results;
    } catch (Throwable failure) {
      rollBack(root, failure); // commit() has rolled back already when it threw
      if (committing.get() && isAmbiguousCommitFailure(failure)) {
        // The connection failed during COMMIT: the transaction may have committed. Running the
        // commands again could store them twice; answer the failure, as one command's own
        // transaction would.
        return Collections.nCopies(batch.size(), asCommandResultMessage(failure));
      }
      logger.debug("Command batch of {} rolled back, handling its commands alone", batch.size());
      return null;
    }
  }

  /** Rolls back whatever is still open, innermost first, down to and including {@code root}. */
  private static void rollBack(UnitOfWork<?> root, Throwable cause) {
    while (root.isActive() && CurrentUnitOfWork.isStarted()) {
      UnitOfWork<?> current = CurrentUnitOfWork.get();
      current.rollback(cause);
      if (current == root) {
        return;
      }
    }
  }

  /**
   * A failure of the COMMIT whose outcome the database did not report: the connection broke (SQL
   * state class 08, or no SQL state at all). A reported error (a deferred constraint, a
   * serialization failure) means the database rolled the transaction back.
   */
  static boolean isAmbiguousCommitFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState().startsWith("08");
      }
    }
    return true;
  }

  private CommandResultMessage<?> handleNested(Pending<?, ?> pending) {
    return execute(DefaultUnitOfWork.startAndGet(pending.command()), pending);
  }

  /**
   * Runs the command's interceptors and handler in {@code unitOfWork}, which it commits or rolls
   * back.
   */
  private CommandResultMessage<?> execute(
      UnitOfWork<CommandMessage<?>> unitOfWork, Pending<?, ?> pending) {
    var chain = new DefaultInterceptorChain<>(unitOfWork, handlerInterceptors, pending.handler());
    ResultMessage<?> result = unitOfWork.executeWithResult(chain::proceed, rollbackConfiguration);
    return asCommandResultMessage(result);
  }

  /**
   * What {@link SimpleCommandBus} does: one command, its own unit of work and transaction. Throws
   * {@link NoTransaction} when no transaction can begin.
   */
  private CommandResultMessage<?> handleAlone(Pending<?, ?> pending) {
    UnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(pending.command());
    try {
      unitOfWork.attachTransaction(transactionManager);
    } catch (RuntimeException noTransaction) { // no connection: the database is down
      if (unitOfWork.isActive()) { // Axon's attachTransaction has rolled it back already
        unitOfWork.rollback(noTransaction);
      }
      throw new NoTransaction(noTransaction);
    }
    return execute(unitOfWork, pending);
  }

  /** No transaction could begin for a command run alone (no connection). */
  private static final class NoTransaction extends RuntimeException {
    private final RuntimeException cause;

    NoTransaction(RuntimeException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  /** A dispatched command waiting for its batch, and the callback that answers its caller. */
  private static final class Pending<C, R> {
    private final CommandMessage<C> command;
    private final MessageHandler<? super CommandMessage<?>> handler;
    private final CommandCallback<? super C, ? super R> callback;
    private boolean answered;

    Pending(
        CommandMessage<C> command,
        MessageHandler<? super CommandMessage<?>> handler,
        CommandCallback<? super C, ? super R> callback) {
      this.command = command;
      this.handler = handler;
      this.callback = callback;
    }

    CommandMessage<C> command() {
      return command;
    }

    MessageHandler<? super CommandMessage<?>> handler() {
      return handler;
    }

    /** Answers the caller; a callback that throws does not stop the others being answered. */
    @SuppressWarnings("unchecked")
    void answer(CommandResultMessage<?> result) {
      answered = true;
      try {
        callback.onResult(command, (CommandResultMessage<? extends R>) result);
      } catch (RuntimeException callbackFailure) {
        logger.warn("A command callback failed: {}", callbackFailure.getClass().getName());
      }
    }

    void answerIfOpen(Throwable failure) {
      if (!answered) {
        answer(asCommandResultMessage(failure));
      }
    }
  }

  /** What the bus reports about its batches (for metrics). */
  public interface BatchObserver {

    BatchObserver NONE = new BatchObserver() {};

    /** A batch of {@code size} commands is about to be handled. */
    default void batchStarted(int size) {}

    /** A batch of {@code size} commands was rolled back; each is handled again alone. */
    default void batchHandledAlone(int size) {}
  }

  /** Builds the bus; every option of {@link SimpleCommandBus.Builder} applies. */
  public static class Builder extends SimpleCommandBus.Builder {

    private TransactionManager transactionManager =
        org.axonframework.common.transaction.NoTransactionManager.INSTANCE;
    private RollbackConfiguration rollbackConfiguration =
        RollbackConfigurationType.UNCHECKED_EXCEPTIONS;
    private int maxBatchSize = 64;
    private Duration window = Duration.ofMillis(2);
    private BatchObserver observer = BatchObserver.NONE;
    private String threadName = "command-batch";
    private int committers = 1;

    @Override
    public Builder transactionManager(TransactionManager transactionManager) {
      super.transactionManager(transactionManager);
      this.transactionManager = transactionManager;
      return this;
    }

    @Override
    public Builder rollbackConfiguration(RollbackConfiguration rollbackConfiguration) {
      super.rollbackConfiguration(rollbackConfiguration);
      this.rollbackConfiguration = rollbackConfiguration;
      return this;
    }

    /** The most commands in one batch (and one transaction). */
    public Builder maxBatchSize(int maxBatchSize) {
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("maxBatchSize must be at least 1");
      }
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * How long the committer waits for more commands after a batch of more than one; zero never
     * waits.
     */
    public Builder window(Duration window) {
      if (window.isNegative()) {
        throw new IllegalArgumentException("window must not be negative");
      }
      this.window = window;
      return this;
    }

    /**
     * How many committer threads take batches from the queue at once (1 by default). Each holds a
     * transaction while its batch runs; more than one only pays when handlers wait on something
     * slow outside the database (a remote scorer): batches then overlap instead of queueing behind
     * one another. Commands on one aggregate in two concurrent batches are serialised by the
     * repository's lock.
     */
    public Builder committers(int committers) {
      if (committers < 1) {
        throw new IllegalArgumentException("committers must be at least 1");
      }
      this.committers = committers;
      return this;
    }

    public Builder observer(BatchObserver observer) {
      this.observer = observer;
      return this;
    }

    public Builder threadName(String threadName) {
      this.threadName = threadName;
      return this;
    }

    @Override
    public GroupCommitCommandBus build() {
      return new GroupCommitCommandBus(this);
    }
  }
}
