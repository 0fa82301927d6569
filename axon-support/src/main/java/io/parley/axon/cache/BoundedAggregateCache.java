package io.parley.axon.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Axon's {@link Cache} on a size-bounded Caffeine map (least recently and frequently used entries
 * are evicted first; an eviction is reported to listeners as an expiry).
 *
 * <p>Axon ships only {@code WeakReferenceCache} (cleared by any garbage collection, so nearly every
 * load under load would miss) and adapters for JCache and Ehcache, which would add a second cache
 * library for one map.
 */
public final class BoundedAggregateCache implements Cache {

  private final com.github.benmanes.caffeine.cache.Cache<Object, Object> cache;
  private final ConcurrentMap<Object, Object> entries;
  private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();

  /** A cache of at most {@code maximumSize} entries. */
  public BoundedAggregateCache(long maximumSize) {
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .executor(Runnable::run) // evictions are reported on the caller's thread
            .removalListener(
                (key, value, cause) -> {
                  if (cause.wasEvicted()) {
                    notify(listener -> listener.onEntryExpired(key));
                  }
                })
            .build();
    this.entries = cache.asMap();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> V get(K key) {
    Object value = entries.get(key);
    if (value != null) {
      notify(listener -> listener.onEntryRead(key, value));
    }
    return (V) value;
  }

  @Override
  public void put(Object key, Object value) {
    Object previous = entries.put(key, value);
    notify(
        previous == null
            ? listener -> listener.onEntryCreated(key, value)
            : listener -> listener.onEntryUpdated(key, value));
  }

  @Override
  public boolean putIfAbsent(Object key, Object value) {
    boolean created = entries.putIfAbsent(key, value) == null;
    if (created) {
      notify(listener -> listener.onEntryCreated(key, value));
    }
    return created;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
    boolean[] created = {false};
    Object value =
        entries.computeIfAbsent(
            key,
            k -> {
              created[0] = true;
              return valueSupplier.get();
            });
    if (created[0] && value != null) {
      notify(listener -> listener.onEntryCreated(key, value));
    }
    return (T) value;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
    Object value = entries.computeIfPresent(key, (k, v) -> update.apply((V) v));
    if (value != null) {
      notify(listener -> listener.onEntryUpdated(key, value));
    }
  }

  @Override
  public boolean remove(Object key) {
    boolean removed = entries.remove(key) != null;
    if (removed) {
      notify(listener -> listener.onEntryRemoved(key));
    }
    return removed;
  }

  @Override
  public void removeAll() {
    entries.keySet().forEach(this::remove);
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }

  @Override
  public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
    listeners.add(cacheEntryListener);
    return () -> listeners.remove(cacheEntryListener);
  }

  /** How many entries the cache holds now, after any pending evictions (for tests and metrics). */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private void notify(Consumer<EntryListener> event) {
    listeners.forEach(event);
  }
}
