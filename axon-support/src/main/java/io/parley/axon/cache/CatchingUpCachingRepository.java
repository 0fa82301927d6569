package io.parley.axon.cache;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * An event-sourcing repository with a cache that is never stale: a cached aggregate is brought up
 * to date from the event store before a command sees it.
 *
 * <p>Axon's {@link CachingEventSourcingRepository} trusts its cache. With several nodes on one
 * event store (commands are not routed by aggregate id on the JDBC command bus) a cached copy
 * misses what other nodes appended. A command that appends is safe anyway — its append collides on
 * the (aggregate, sequence) key and is retried — but a decision that appends nothing (a 403 for a
 * participant just added elsewhere, a retried {@code clientMessageId}) would be taken on stale
 * state. So every load of a cached aggregate also reads the events after its cached version (one
 * indexed query that is almost always empty) and applies them. The aggregate is then exactly what
 * an uncached load from the latest snapshot would give, for a fraction of the cost: no snapshot and
 * no events to deserialize (nor personal data to decrypt) in the common case.
 *
 * <p>The entry is replaced when the unit of work saves the aggregate. When it rolls back, Axon
 * evicts the entry, so a failed command never leaves its changes in the cache; but a command
 * refused before it applied anything (a 400, 403, 409 or 429) changed nothing, so its entry is put
 * back: a client repeating refused commands must not turn every later send into a load from the
 * snapshot.
 */
public class CatchingUpCachingRepository<T> extends CachingEventSourcingRepository<T> {

  private final EventStore eventStore;
  private final Cache cache;

  /**
   * A repository from {@code builder}, which must name the same {@code eventStore} and {@code
   * cache} (Axon's builder does not expose them to subclasses).
   */
  public CatchingUpCachingRepository(
      EventSourcingRepository.Builder<T> builder, EventStore eventStore, Cache cache) {
    super(builder.eventStore(eventStore).cache(cache));
    this.eventStore = eventStore;
    this.cache = cache;
  }

  @Override
  protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expected) {
    boolean wasCached = cache.containsKey(aggregateIdentifier);
    AtomicReference<Loaded<T>> loaded = new AtomicReference<>();
    // Registered before Axon's own rollback handlers (in super), so it runs after their eviction:
    // a unit of work runs its rollback handlers in reverse order of registration.
    CurrentUnitOfWork.get()
        .onRollback(u -> keepIfNothingApplied(aggregateIdentifier, loaded.get()));
    EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expected);
    if (wasCached) {
      catchUp(aggregateIdentifier, aggregate);
    }
    loaded.set(new Loaded<>(aggregate, aggregate.version()));
    return aggregate;
  }

  /** The aggregate as loaded (and caught up), before the command ran. */
  private record Loaded<T>(EventSourcedAggregate<T> aggregate, Long version) {}

  private void keepIfNothingApplied(String aggregateIdentifier, Loaded<T> loaded) {
    // No version change means no event was applied, so no event-sourcing handler touched the
    // root: it is exactly what was loaded. A load that failed (unknown id) left nothing to keep.
    if (loaded != null
        && !loaded.aggregate().isDeleted()
        && Objects.equals(loaded.version(), loaded.aggregate().version())) {
      cache.put(aggregateIdentifier, new AggregateCacheEntry<>(loaded.aggregate()));
    }
  }

  private void catchUp(String aggregateIdentifier, EventSourcedAggregate<T> aggregate) {
    Long version = aggregate.version();
    DomainEventStream newer =
        eventStore.readEvents(aggregateIdentifier, version == null ? 0 : version + 1);
    // initializeState needs at least one event: it takes the version from the stream's last one.
    if (newer.hasNext()) {
      aggregate.initializeState(newer);
    }
  }
}
