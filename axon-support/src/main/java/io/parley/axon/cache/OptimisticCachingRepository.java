package io.parley.axon.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.LockAwareAggregate;

/**
 * An event-sourcing repository whose cache is trusted for decisions that append events, and checked
 * against the store for decisions that append nothing (ADR 0004, ADR 0021).
 *
 * <p>With several nodes on one event store, a node's cached copy may miss what another node
 * appended. A command that appends on a stale copy cannot do harm: its events take sequence numbers
 * the store already has, the append fails on the (aggregate id, sequence) key, the cache entry is
 * evicted, and the command is retried on a fresh load. So a cache hit costs no query at all. A
 * decision that appends nothing (a 403 for a participant just added elsewhere, a 429, a retried
 * {@code clientMessageId}) would be taken on stale state unnoticed, so {@link
 * RecheckCachedAggregatesInterceptor} asks the store, after such a command, whether the aggregate
 * moved past the cached version ({@link #movedOnInStore}); if it did, the command is retried.
 *
 * <p>Units of work nested in one root (a command batch, see {@code GroupCommitCommandBus}) share
 * the loaded aggregate. A nested unit of work that applied events and then rolled back leaves that
 * shared instance changed, so it evicts the entry; the next command of the batch on that aggregate
 * loads it afresh from the store and the events the batch has staged, without the lost ones.
 *
 * <p>When a unit of work rolls back, Axon evicts the entry of every aggregate it loaded; one that
 * changed nothing (a 400, 403, 409 or 429 refused before applying anything) is put back, so a
 * client repeating refused commands does not turn every later send into a load from the snapshot.
 */
public class OptimisticCachingRepository<T> extends CachingEventSourcingRepository<T> {

  /**
   * Unit-of-work resource: the cache hits each unit of work must re-check if it appends nothing.
   */
  static final String CACHE_HITS = OptimisticCachingRepository.class.getName() + ".cacheHits";

  /** Root unit-of-work resource: the version each aggregate had in the cache when first loaded. */
  private final String cachedVersionsKey = this + ".cachedVersions";

  /** Root unit-of-work resource: aggregates whose cached copy was found stale. */
  private final String staleKey = this + ".stale";

  private final EventStorageEngine storage;
  private final Cache cache;

  /**
   * A repository from {@code builder}, loading from {@code eventStore} through {@code cache}, which
   * it sets on the builder (Axon's builder does not expose them to subclasses). {@code storage} is
   * the event store's engine: the re-check asks it, since the event store also counts the events a
   * unit of work has not appended yet.
   */
  public OptimisticCachingRepository(
      EventSourcingRepository.Builder<T> builder,
      EventStore eventStore,
      EventStorageEngine storage,
      Cache cache) {
    super(builder.eventStore(eventStore).cache(cache));
    this.storage = storage;
    this.cache = cache;
  }

  /** A load that came from the cache, as the loading unit of work saw it. */
  record CacheHit(
      OptimisticCachingRepository<?> repository,
      String aggregateIdentifier,
      Aggregate<?> aggregate,
      Long cachedVersion,
      Long versionAtLoad) {

    /** True when this unit of work applied no event to the aggregate. */
    boolean unchanged() {
      return Objects.equals(versionAtLoad, aggregate.version());
    }
  }

  @Override
  public LockAwareAggregate<T, EventSourcedAggregate<T>> load(
      String aggregateIdentifier, Long expectedVersion) {
    LockAwareAggregate<T, EventSourcedAggregate<T>> aggregate =
        super.load(aggregateIdentifier, expectedVersion);
    UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
    Long versionAtLoad = aggregate.version();
    unitOfWork.onRollback(
        u -> {
          if (!Objects.equals(versionAtLoad, aggregate.version())) {
            cache.remove(aggregateIdentifier); // this unit of work changed the shared instance
          }
        });
    Long cachedVersion = cachedVersions(unitOfWork).get(aggregateIdentifier);
    if (cachedVersion != null) {
      unitOfWork
          .getOrComputeResource(CACHE_HITS, k -> new ArrayList<CacheHit>())
          .add(new CacheHit(this, aggregateIdentifier, aggregate, cachedVersion, versionAtLoad));
    }
    return aggregate;
  }

  @Override
  protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expected) {
    boolean wasCached = cache.containsKey(aggregateIdentifier);
    UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
    AtomicReference<Loaded<T>> loaded = new AtomicReference<>();
    // Registered before Axon's own rollback handlers (in super), so it runs after their eviction:
    // a unit of work runs its rollback handlers in reverse order of registration.
    unitOfWork.onRollback(u -> keepIfNothingApplied(u, loaded.get()));
    EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expected);
    if (wasCached) {
      cachedVersions(unitOfWork).put(aggregateIdentifier, aggregate.version());
    }
    loaded.set(new Loaded<>(aggregateIdentifier, aggregate, aggregate.version()));
    return aggregate;
  }

  /** The aggregate as this unit of work loaded it, before the command ran. */
  private record Loaded<T>(
      String aggregateIdentifier, EventSourcedAggregate<T> aggregate, Long version) {}

  /**
   * True when the store holds events of the aggregate past the version it had in the cache: the
   * cached copy was stale. Events this unit of work has not appended yet are not counted. Evicts
   * the entry when so.
   */
  boolean movedOnInStore(String aggregateIdentifier, Long cachedVersion) {
    Long stored = storage.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
    boolean moved = stored != null && (cachedVersion == null || stored > cachedVersion);
    if (moved) {
      cache.remove(aggregateIdentifier);
      staleIn(CurrentUnitOfWork.get()).add(aggregateIdentifier);
    }
    return moved;
  }

  private void keepIfNothingApplied(UnitOfWork<?> unitOfWork, Loaded<T> loaded) {
    // No version change means no event was applied, so no event-sourcing handler touched the
    // root: it is exactly what was loaded. A load that failed (unknown id) left nothing to keep,
    // and a copy found stale is not put back.
    if (loaded != null
        && !loaded.aggregate().isDeleted()
        && Objects.equals(loaded.version(), loaded.aggregate().version())
        && !staleIn(unitOfWork).contains(loaded.aggregateIdentifier())) {
      cache.put(loaded.aggregateIdentifier(), new AggregateCacheEntry<>(loaded.aggregate()));
    }
  }

  private Map<String, Long> cachedVersions(UnitOfWork<?> unitOfWork) {
    return unitOfWork.root().getOrComputeResource(cachedVersionsKey, k -> new HashMap<>());
  }

  private List<String> staleIn(UnitOfWork<?> unitOfWork) {
    return unitOfWork.root().getOrComputeResource(staleKey, k -> new ArrayList<>());
  }
}
