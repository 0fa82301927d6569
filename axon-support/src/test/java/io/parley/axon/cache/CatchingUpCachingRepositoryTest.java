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
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache serves loads without reading the stream again, yet a load always sees events appended
 * behind the cache's back (as another node would append them), a rolled-back unit of work never
 * leaves its changes cached, and one that changed nothing keeps the entry.
 */
class CatchingUpCachingRepositoryTest {

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

  EmbeddedEventStore eventStore;
  BoundedAggregateCache cache;
  CatchingUpCachingRepository<Counter> repository;

  @BeforeEach
  void setUp() {
    eventStore =
        spy(EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build());
    cache = new BoundedAggregateCache(100);
    repository =
        new CatchingUpCachingRepository<>(
            EventSourcingRepository.builder(Counter.class), eventStore, cache);
  }

  @AfterEach
  void tearDown() {
    eventStore.shutDown();
  }

  @Test
  void aCachedAggregateCatchesUpWithEventsAppendedElsewhere() {
    appendElsewhere(0, "a");
    assertThat(loadAndCommit()).containsExactly("a");
    assertThat(cache.containsKey(ID)).isTrue();

    appendElsewhere(1, "b");
    appendElsewhere(2, "c");
    clearInvocations(eventStore);

    assertThat(loadAndCommit()).containsExactly("a", "b", "c");
    verify(eventStore, never()).readEvents(anyString()); // no full load: the cache served it
    verify(eventStore).readEvents(ID, 1L); // only what came after the cached version

    appendElsewhere(3, "d"); // the caught-up version is what is cached, so it reads from 3 on
    clearInvocations(eventStore);
    assertThat(loadAndCommit()).containsExactly("a", "b", "c", "d");
    verify(eventStore).readEvents(ID, 3L);
  }

  @Test
  void eventsAppliedThroughTheRepositoryAreCachedWithTheirVersion() {
    appendElsewhere(0, "a");
    loadAndCommit();
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    repository.load(ID).execute(counter -> AggregateLifecycle.apply(new Counted(ID, "b")));
    unitOfWork.commit();
    clearInvocations(eventStore);

    assertThat(loadAndCommit()).containsExactly("a", "b");
    verify(eventStore).readEvents(ID, 2L); // the cached copy already holds event 1
  }

  @Test
  void aCacheHitWithNothingNewKeepsTheVersion() {
    appendElsewhere(0, "a");
    loadAndCommit();
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    Aggregate<Counter> aggregate = repository.load(ID);
    assertThat(aggregate.version()).isEqualTo(0L);
    unitOfWork.commit();
  }

  @Test
  void aRollbackAfterAnEventWasAppliedEvictsTheEntry() {
    appendElsewhere(0, "a");
    loadAndCommit();
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    repository.load(ID).execute(counter -> AggregateLifecycle.apply(new Counted(ID, "never")));
    unitOfWork.rollback();
    assertThat(cache.containsKey(ID)).isFalse();

    clearInvocations(eventStore);
    assertThat(loadAndCommit()).containsExactly("a"); // not "never": the cached root was dropped
    verify(eventStore).readEvents(ID); // a full load again
    verify(eventStore, never()).readEvents(anyString(), anyLong());
  }

  @Test
  void aRollbackOfACommandThatAppliedNothingKeepsTheEntry() {
    appendElsewhere(0, "a");
    loadAndCommit();
    appendElsewhere(1, "b"); // caught up by the refused command's load
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    repository.load(ID); // e.g. a 429: the handler threw before applying anything
    unitOfWork.rollback();
    assertThat(cache.containsKey(ID)).isTrue();

    clearInvocations(eventStore);
    assertThat(loadAndCommit()).containsExactly("a", "b");
    verify(eventStore, never()).readEvents(anyString()); // still served by the cache
    verify(eventStore).readEvents(ID, 2L); // with the caught-up version kept
  }

  @Test
  void aRollbackOfAFailedLoadCachesNothing() {
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    assertThatThrownBy(() -> repository.load("unknown"))
        .isInstanceOf(AggregateNotFoundException.class);
    unitOfWork.rollback();
    assertThat(cache.containsKey("unknown")).isFalse();
  }

  private List<String> loadAndCommit() {
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    List<String> seen = repository.load(ID).invoke(counter -> List.copyOf(counter.seen));
    unitOfWork.commit();
    return seen;
  }

  private void appendElsewhere(long sequence, String label) {
    eventStore.publish(
        new GenericDomainEventMessage<>("Counter", ID, sequence, new Counted(ID, label)));
  }
}
