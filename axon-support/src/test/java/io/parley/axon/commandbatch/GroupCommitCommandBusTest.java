package io.parley.axon.commandbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.commandhandling.GenericCommandMessage.asCommandMessage;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on Axon's real aggregate handling and event store (in memory), with a transaction
 * manager that records what the database would see: commands queued together share one transaction
 * and keep their order; a failing command or a failing commit sends every command of its batch back
 * to run alone; nobody is answered before the commit.
 */
class GroupCommitCommandBusTest {

  record Open(@TargetAggregateIdentifier String id) {}

  record Add(@TargetAggregateIdentifier String id, long amount) {}

  record Opened(String id) {}

  record Added(String id, long amount) {}

  /** Holds the committer until released, so the commands dispatched meanwhile form one batch. */
  record Hold(CountDownLatch started, CountDownLatch release) {
    Object await() throws InterruptedException {
      started.countDown();
      release.await(10, TimeUnit.SECONDS);
      return null;
    }
  }

  static class Tally {
    @AggregateIdentifier String id;
    long total;

    Tally() {}

    @CommandHandler
    Tally(Open command) {
      apply(new Opened(command.id()));
    }

    @CommandHandler
    long handle(Add command) {
      if (command.amount() < 0) {
        throw new IllegalArgumentException("no negative amounts");
      }
      apply(new Added(id, command.amount()));
      return total;
    }

    @EventSourcingHandler
    void on(Opened event) {
      id = event.id();
    }

    @EventSourcingHandler
    void on(Added event) {
      total += event.amount();
    }
  }

  /**
   * Counts transactions; after {@code passingCommits} commits, the next {@code failingCommits}
   * throw, as a lost database would.
   */
  static class RecordingTransactions implements TransactionManager {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final java.util.concurrent.atomic.AtomicBoolean unavailable =
        new java.util.concurrent.atomic.AtomicBoolean();
    final AtomicInteger passingCommits = new AtomicInteger();
    volatile Throwable commitFailure;
    final AtomicInteger failingCommits = new AtomicInteger();

    @Override
    public Transaction startTransaction() {
      if (unavailable.get()) {
        log.add("begin failed");
        throw new IllegalStateException("no connection");
      }
      log.add("begin");
      return new Transaction() {
        @Override
        public void commit() {
          if (passingCommits.getAndDecrement() <= 0 && failingCommits.getAndDecrement() > 0) {
            log.add("commit failed");
            throw new IllegalStateException("connection lost at commit", commitFailure);
          }
          log.add("commit");
        }

        @Override
        public void rollback() {
          log.add("rollback");
        }
      };
    }

    long count(String entry) {
      synchronized (log) {
        return log.stream().filter(entry::equals).count();
      }
    }
  }

  /** An in-memory store whose next {@code failingAppends} appends fail, as a lost database. */
  static class FlakyStorageEngine extends InMemoryEventStorageEngine {
    final AtomicInteger failingAppends = new AtomicInteger();

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
      if (failingAppends.getAndDecrement() > 0) {
        throw new IllegalStateException("connection lost at append");
      }
      super.appendEvents(events);
    }
  }

  final RecordingTransactions transactions = new RecordingTransactions();
  final FlakyStorageEngine storage = new FlakyStorageEngine();
  final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> handledAlone = Collections.synchronizedList(new ArrayList<>());
  EmbeddedEventStore eventStore;
  GroupCommitCommandBus bus;

  @BeforeEach
  void setUp() {
    eventStore = EmbeddedEventStore.builder().storageEngine(storage).build();
    bus =
        GroupCommitCommandBus.builder()
            .maxBatchSize(64)
            .window(Duration.ZERO)
            .observer(
                new GroupCommitCommandBus.BatchObserver() {
                  @Override
                  public void batchStarted(int size) {
                    batchSizes.add(size);
                  }

                  @Override
                  public void batchHandledAlone(int size) {
                    handledAlone.add(size);
                  }
                })
            .transactionManager(transactions)
            .build();
    AggregateAnnotationCommandHandler.<Tally>builder()
        .aggregateType(Tally.class)
        .repository(EventSourcingRepository.builder(Tally.class).eventStore(eventStore).build())
        .build()
        .subscribe(bus);
    bus.subscribe(Hold.class.getName(), message -> ((Hold) message.getPayload()).await());
    send(new Open("t")).join();
    transactions.log.clear();
    batchSizes.clear();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    bus.shutDown(Duration.ofSeconds(5));
    eventStore.shutDown();
  }

  @Test
  void commandsQueuedTogetherShareOneTransactionAndKeepTheirOrder() {
    List<CompletableFuture<CommandResultMessage<?>>> results =
        whileHeld(() -> sendAll(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));

    List<Object> totals = results.stream().map(r -> (Object) r.join().getPayload()).toList();
    assertThat(totals).containsExactly(1L, 3L, 6L, 10L, 15L, 21L, 28L, 36L, 45L, 55L);
    assertThat(amounts()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(batchSizes).containsExactly(1, 10); // the hold, then all ten together
    assertThat(transactions.count("commit")).isEqualTo(2); // the hold's and the batch's
    assertThat(handledAlone).isEmpty();
  }

  @Test
  void aFailingCommandAnswersItsErrorAndTheOthersRunAlone() {
    List<CompletableFuture<CommandResultMessage<?>>> results =
        whileHeld(() -> sendAll(1, 2, -1, 4));

    assertThat(results.get(2).join().exceptionResult())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(results.get(0).join().getPayload()).isEqualTo(1L);
    assertThat(results.get(1).join().getPayload()).isEqualTo(3L);
    assertThat(results.get(3).join().getPayload()).isEqualTo(7L);
    assertThat(amounts()).containsExactly(1L, 2L, 4L);
    assertThat(handledAlone).containsExactly(4);
    // The hold; the batch of four rolled back; then each command alone (the failing one too).
    assertThat(transactions.count("rollback")).isEqualTo(2);
    assertThat(transactions.count("commit")).isEqualTo(4);
  }

  @Test
  void aFailedAppendAnswersNobodyFromTheBatchAndRunsEachAlone() {
    List<Long> commitsSeenByAnswers = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<CommandResultMessage<?>>> results =
        whileHeld(
            () -> {
              storage.failingAppends.set(1); // the batch's append: the hold appends nothing
              List<CompletableFuture<CommandResultMessage<?>>> sent = sendAll(1, 2, 3);
              sent.forEach(
                  f -> f.thenRun(() -> commitsSeenByAnswers.add(transactions.count("commit"))));
              return sent;
            });

    results.forEach(r -> assertThat(r.join().isExceptional()).isFalse());
    assertThat(amounts()).containsExactly(1L, 2L, 3L);
    assertThat(handledAlone).containsExactly(3);
    assertThat(transactions.log)
        .containsExactly(
            "begin",
            "commit", // the hold
            "begin",
            "rollback", // the batch: its append failed
            "begin",
            "commit",
            "begin",
            "commit",
            "begin",
            "commit"); // each alone
    // Each answer came after its own commit: the hold's plus at least one of the three.
    assertThat(commitsSeenByAnswers).hasSize(3).allMatch(commits -> commits >= 2);
  }

  @Test
  void aCommitTheDatabaseRefusedRunsEachAloneAndAnswersWhatThatRunDecided() {
    transactions.commitFailure = new java.sql.SQLException("deferred check failed", "P0001");
    List<CompletableFuture<CommandResultMessage<?>>> results =
        whileHeld(
            () -> {
              transactions.passingCommits.set(1); // the hold's
              transactions.failingCommits.set(2); // the batch's, then the first alone
              return sendAll(1, 2);
            });

    assertThat(results.get(0).join().exceptionResult())
        .hasMessageContaining("connection lost at commit");
    assertThat(results.get(1).join().isExceptional()).isFalse();
    assertThat(transactions.count("commit failed")).isEqualTo(2);
    assertThat(handledAlone).containsExactly(2);
  }

  @Test
  void aCommitWhoseOutcomeIsUnknownAnswersTheFailureAndRunsNothingAgain() {
    transactions.commitFailure = new java.sql.SQLException("I/O error", "08006");
    List<CompletableFuture<CommandResultMessage<?>>> results =
        whileHeld(
            () -> {
              transactions.passingCommits.set(1); // the hold's
              transactions.failingCommits.set(1); // the batch's
              return sendAll(1, 2);
            });

    // The transaction may have committed: a second run could store the messages twice.
    results.forEach(
        r -> assertThat(r.join().exceptionResult()).hasMessageContaining("connection lost"));
    assertThat(transactions.count("commit failed")).isEqualTo(1);
    assertThat(transactions.count("commit")).isEqualTo(1); // the hold's only: nothing ran again
    assertThat(handledAlone).isEmpty();
  }

  @Test
  void whenNoTransactionCanBeginEveryCommandOfTheBatchGetsThatFailureOnce() {
    List<CompletableFuture<CommandResultMessage<?>>> results =
        whileHeld(
            () -> {
              transactions.unavailable.set(true); // from the batch on: the hold began already
              return sendAll(1, 2, 3);
            });

    results.forEach(
        r -> assertThat(r.join().exceptionResult()).hasMessageContaining("no connection"));
    assertThat(transactions.count("begin failed")).isEqualTo(1); // not once per command
    assertThat(handledAlone).isEmpty();
    assertThat(amounts()).isEmpty();
  }

  @Test
  void withTwoCommittersABatchWaitingOnSomethingSlowDoesNotHoldTheNext() throws Exception {
    GroupCommitCommandBus two =
        GroupCommitCommandBus.builder().committers(2).transactionManager(transactions).build();
    try {
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      two.subscribe(Hold.class.getName(), message -> ((Hold) message.getPayload()).await());
      two.subscribe(String.class.getName(), message -> "done: " + message.getPayload());
      CompletableFuture<CommandResultMessage<?>> held = new CompletableFuture<>();
      two.dispatch(asCommandMessage(new Hold(holding, release)), (m, r) -> held.complete(r));
      assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue(); // one committer is inside it
      CompletableFuture<CommandResultMessage<?>> quick = new CompletableFuture<>();
      two.dispatch(asCommandMessage("quick"), (m, r) -> quick.complete(r));

      assertThat(quick.get(5, TimeUnit.SECONDS).getPayload()).isEqualTo("done: quick");
      assertThat(held).isNotDone();
      release.countDown();
      assertThat(held.get(5, TimeUnit.SECONDS).isExceptional()).isFalse();
    } finally {
      two.shutDown(Duration.ofSeconds(5));
    }
  }

  @Test
  void anInterruptedCommitterGoesOnAnsweringCommands() throws Exception {
    List<Thread> committers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("command-batch") && t.isAlive())
            .toList();
    committers.forEach(Thread::interrupt);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (committers.stream().anyMatch(Thread::isInterrupted) && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // until the idle committers have been woken by it
    }
    assertThat(committers).noneMatch(Thread::isInterrupted);
    for (int i = 1; i <= 3; i++) {
      assertThat(send(new Add("t", i)).get(5, TimeUnit.SECONDS).isExceptional()).isFalse();
    }
    assertThat(amounts()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aUnitOfWorkAHandlerLeftOpenIsRolledBackAndTheNextCommandGetsAFreshTransaction()
      throws Exception {
    bus.subscribe(
        "leak",
        message -> {
          DefaultUnitOfWork.startAndGet(null); // a bug: never committed nor rolled back
          return null;
        });
    CompletableFuture<CommandResultMessage<?>> leaked = new CompletableFuture<>();
    bus.dispatch(
        new org.axonframework.commandhandling.GenericCommandMessage<>(
            new org.axonframework.messaging.GenericMessage<>("x"), "leak"),
        (m, r) -> leaked.complete(r));
    assertThat(leaked.get(5, TimeUnit.SECONDS).isExceptional()).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (transactions.count("rollback") == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the committer rolls the leftovers back after answering
    }
    assertThat(transactions.count("rollback")).isEqualTo(1); // its transaction ended
    transactions.log.clear();

    assertThat(send(new Add("t", 7)).get(5, TimeUnit.SECONDS).getPayload()).isEqualTo(7L);
    assertThat(transactions.log).containsExactly("begin", "commit");
    assertThat(amounts()).containsExactly(7L);
  }

  @Test
  void afterShutDownCommandsRunOnTheCallersThread() throws Exception {
    bus.shutDown(Duration.ofSeconds(5));
    CompletableFuture<CommandResultMessage<?>> result = send(new Add("t", 4));
    assertThat(result).isDone(); // not queued for committers that are gone
    assertThat(result.join().getPayload()).isEqualTo(4L);
  }

  @Test
  void onlyABrokenConnectionMakesACommitFailureAmbiguous() {
    assertThat(
            GroupCommitCommandBus.isAmbiguousCommitFailure(
                new IllegalStateException(new java.sql.SQLException("I/O error", "08006"))))
        .isTrue();
    assertThat(GroupCommitCommandBus.isAmbiguousCommitFailure(new IllegalStateException("?")))
        .isTrue();
    assertThat(
            GroupCommitCommandBus.isAmbiguousCommitFailure(
                new IllegalStateException(new java.sql.SQLException("raised", "P0001"))))
        .isFalse();
  }

  @Test
  void aCommandSentInsideAUnitOfWorkRunsOnTheCallersThreadInIt() {
    UnitOfWork<?> outer = DefaultUnitOfWork.startAndGet(null);
    CompletableFuture<CommandResultMessage<?>> result = send(new Add("t", 5));
    assertThat(result).isDone(); // handled synchronously, nested in the caller's work
    outer.commit();
    assertThat(result.join().getPayload()).isEqualTo(5L);
    assertThat(batchSizes).isEmpty();
    assertThat(amounts()).containsExactly(5L);
  }

  private List<CompletableFuture<CommandResultMessage<?>>> whileHeld(
      java.util.function.Supplier<List<CompletableFuture<CommandResultMessage<?>>>> dispatch) {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<CommandResultMessage<?>> hold = send(new Hold(started, release));
    try {
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue(); // the committer is inside it
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    List<CompletableFuture<CommandResultMessage<?>>> results = dispatch.get();
    release.countDown();
    hold.join();
    return results;
  }

  private List<CompletableFuture<CommandResultMessage<?>>> sendAll(long... amounts) {
    List<CompletableFuture<CommandResultMessage<?>>> results = new ArrayList<>();
    for (long amount : amounts) {
      results.add(send(new Add("t", amount)));
    }
    return results;
  }

  private CompletableFuture<CommandResultMessage<?>> send(Object command) {
    CompletableFuture<CommandResultMessage<?>> result = new CompletableFuture<>();
    bus.dispatch(asCommandMessage(command), (message, outcome) -> result.complete(outcome));
    return result;
  }

  private List<Long> amounts() {
    return eventStore
        .readEvents("t")
        .asStream()
        .map(e -> e.getPayload())
        .filter(Added.class::isInstance)
        .map(p -> ((Added) p).amount())
        .toList();
  }
}
