package io.parley.axon.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache serves loads without a query; a command that appends nothing re-checks the store and is
 * retried when its cached copy was behind; a rolled-back unit of work never leaves its changes
 * cached, and one that changed nothing keeps the entry — also when units of work are nested in one
 * batch and share the aggregate.
 */
class OptimisticCachingRepositoryTest {

  static final String ID = "counter-1";

  record Counted(String id, String label) {}

  static class Counter {
    @AggregateIdentifier String id;
    final List<String> seen = new ArrayList<>();

    Counter() {}

    @EventSourcingHandler
    void on(Counted event) {
      id = event.id();
      seen.add(event.label());
    }
  }

  static class Refused extends RuntimeException {
    Refused() {
      super("refused");
    }
  }

  /** Refuses a second event with the same (aggregate, sequence), as the JDBC store's key does. */
  static class UniqueSequenceStorageEngine extends InMemoryEventStorageEngine {
    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
      for (EventMessage<?> event : events) {
        if (event instanceof DomainEventMessage<?> domain
            && readEvents(domain.getAggregateIdentifier())
                .asStream()
                .anyMatch(stored -> stored.getSequenceNumber() == domain.getSequenceNumber())) {
          throw new ConcurrencyException("sequence " + domain.getSequenceNumber() + " is taken");
        }
      }
      super.appendEvents(events);
    }
  }

  UniqueSequenceStorageEngine storage;
  EmbeddedEventStore eventStore;
  BoundedAggregateCache cache;
  OptimisticCachingRepository<Counter> repository;
  final RecheckCachedAggregatesInterceptor recheck = new RecheckCachedAggregatesInterceptor();

  @BeforeEach
  void setUp() throws Exception {
    storage = spy(new UniqueSequenceStorageEngine());
    eventStore = spy(EmbeddedEventStore.builder().storageEngine(storage).build());
    cache = new BoundedAggregateCache(100);
    repository =
        new OptimisticCachingRepository<>(
            EventSourcingRepository.builder(Counter.class), eventStore, storage, cache);
  }

  @AfterEach
  void tearDown() {
    while (CurrentUnitOfWork.isStarted()) {
      CurrentUnitOfWork.get().rollback();
    }
    eventStore.shutDown();
  }

  @Test
  void aCacheHitThatAppendsReadsNothingFromTheStore() throws Exception {
    appendElsewhere(0, "a");
    assertThat(loadAndCommit()).containsExactly("a");
    clearInvocations(eventStore);

    Object result = command(counter -> apply("b"));

    assertThat(result).isEqualTo("done");
    verify(eventStore, never()).readEvents(anyString());
    verify(eventStore, never()).readEvents(anyString(), anyLong());
    verify(storage, never()).lastSequenceNumberFor(anyString());
    assertThat(loadAndCommit()).containsExactly("a", "b");
  }

  @Test
  void aStaleCacheHitThatAppendsFailsItsAppend() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    appendElsewhere(1, "elsewhere"); // another node; this node's cache still says version 0

    assertThatThrownBy(() -> command(counter -> apply("here")))
        .as("the append takes sequence 1, which the store already has")
        .isInstanceOf(ConcurrencyException.class);
    assertThat(cache.containsKey(ID)).isFalse();
    assertThat(loadAndCommit()).containsExactly("a", "elsewhere");
  }

  @Test
  void aRefusalOnAStaleCopyIsRetriedNotAnswered() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    appendElsewhere(1, "elsewhere");

    assertThatThrownBy(
            () ->
                command(
                    counter -> {
                      throw new Refused();
                    }))
        .isInstanceOf(ConcurrencyException.class)
        .hasCauseInstanceOf(Refused.class);
    assertThat(cache.containsKey(ID)).as("the stale entry is not put back").isFalse();
    assertThat(loadAndCommit()).containsExactly("a", "elsewhere");
  }

  @Test
  void aRefusalOnAFreshCopyIsAnsweredAndKeepsTheEntry() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    clearInvocations(eventStore);

    assertThatThrownBy(
            () ->
                command(
                    counter -> {
                      throw new Refused();
                    }))
        .isInstanceOf(Refused.class);
    verify(storage).lastSequenceNumberFor(ID); // the one re-check
    assertThat(cache.containsKey(ID)).isTrue();
    clearInvocations(eventStore);
    assertThat(loadAndCommit()).containsExactly("a");
    verify(eventStore, never()).readEvents(anyString());
  }

  @Test
  void aCommandThatChangesNothingOnAStaleCopyIsRetried() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    appendElsewhere(1, "elsewhere");

    assertThatThrownBy(() -> command(counter -> "nothing to do"))
        .isInstanceOf(ConcurrencyException.class);
  }

  @Test
  void aRollbackAfterAnEventWasAppliedEvictsTheEntry() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    repository.load(ID).execute(counter -> AggregateLifecycle.apply(new Counted(ID, "never")));
    unitOfWork.rollback();
    assertThat(cache.containsKey(ID)).isFalse();

    clearInvocations(eventStore);
    assertThat(loadAndCommit()).containsExactly("a"); // not "never": the cached root was dropped
    verify(eventStore).readEvents(ID); // a full load again
  }

  @Test
  void aRollbackOfAFailedLoadCachesNothing() throws Exception {
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    assertThatThrownBy(() -> repository.load("unknown"))
        .isInstanceOf(AggregateNotFoundException.class);
    unitOfWork.rollback();
    assertThat(cache.containsKey("unknown")).isFalse();
  }

  @Test
  void nestedUnitsOfWorkShareTheAggregateAndAppendInOrder() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
    assertThat(nested(counter -> apply("b"))).isEqualTo("done");
    assertThat(nested(counter -> apply("c"))).isEqualTo("done");
    batch.commit();

    assertThat(loadAndCommit()).containsExactly("a", "b", "c");
    assertThat(storedLabels()).containsExactly("a", "b", "c");
  }

  @Test
  void aNestedUnitOfWorkThatAppliedAndFailedEvictsTheSharedInstance() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
    nested(counter -> apply("b"));
    assertThatThrownBy(
            () ->
                nested(
                    counter -> {
                      apply("lost");
                      throw new Refused();
                    }))
        .isInstanceOf(Refused.class);
    assertThat(cache.containsKey(ID)).isFalse();
    // A third command on the same aggregate loads it afresh: from the store plus the events the
    // batch has staged ("b"), never with "lost".
    assertThat(nested(counter -> List.copyOf(counter.seen))).isEqualTo(List.of("a", "b"));
    nested(counter -> apply("c"));
    batch.commit();

    assertThat(storedLabels()).containsExactly("a", "b", "c");
    assertThat(loadAndCommit()).containsExactly("a", "b", "c");
  }

  @Test
  void aNestedRefusalAfterAnAppendInTheSameBatchIsNotTakenForStaleness() throws Exception {
    appendElsewhere(0, "a");
    loadAndCommit();
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(null);
    nested(counter -> apply("b"));
    assertThatThrownBy(
            () ->
                nested(
                    counter -> {
                      throw new Refused();
                    }))
        .isInstanceOf(Refused.class); // not a ConcurrencyException: "b" is this batch's own
    batch.commit();
    assertThat(storedLabels()).containsExactly("a", "b");
  }

  /** Runs {@code decision} on the counter as a command, with the re-check, in its own work. */
  private Object command(java.util.function.Function<Counter, Object> decision) throws Exception {
    UnitOfWork<CommandMessage<?>> unitOfWork =
        DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("decide"));
    return run(unitOfWork, decision);
  }

  private Object nested(java.util.function.Function<Counter, Object> decision) throws Exception {
    return command(decision);
  }

  private Object run(
      UnitOfWork<CommandMessage<?>> unitOfWork,
      java.util.function.Function<Counter, Object> decision)
      throws Exception {
    MessageHandler<CommandMessage<?>> handler =
        message -> {
          Aggregate<Counter> counter = repository.load(ID);
          return counter.invoke(decision);
        };
    var result =
        unitOfWork.executeWithResult(
            () -> new DefaultInterceptorChain<>(unitOfWork, List.of(recheck), handler).proceed());
    if (result.isExceptional()) {
      Throwable failure = result.exceptionResult();
      throw failure instanceof Exception e ? e : new RuntimeException(failure);
    }
    return result.getPayload();
  }

  private static Object apply(String label) {
    AggregateLifecycle.apply(new Counted(ID, label));
    return "done";
  }

  private List<String> loadAndCommit() {
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    List<String> seen = repository.load(ID).invoke(counter -> List.copyOf(counter.seen));
    unitOfWork.commit();
    return seen;
  }

  private List<String> storedLabels() {
    List<String> labels = new ArrayList<>();
    eventStore
        .readEvents(ID)
        .asStream()
        .forEach(e -> labels.add(((Counted) e.getPayload()).label()));
    return labels;
  }

  private void appendElsewhere(long sequence, String label) {
    eventStore.publish(
        new GenericDomainEventMessage<>("Counter", ID, sequence, new Counted(ID, label)));
  }
}
