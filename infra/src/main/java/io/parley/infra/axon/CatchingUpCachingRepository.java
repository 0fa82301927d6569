package io.parley.infra.axon;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

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
 * <p>The rest is Axon's: the entry is replaced when the unit of work saves the aggregate and
 * evicted when it rolls back, so a failed command never leaves its changes in the cache.
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
    EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expected);
    if (wasCached) {
      catchUp(aggregateIdentifier, aggregate);
    }
    return aggregate;
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
