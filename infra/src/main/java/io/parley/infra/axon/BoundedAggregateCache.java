package io.parley.infra.axon;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Axon's {@link Cache} on a size-bounded Caffeine map (least recently and frequently used entries
 * are evicted first).
 *
 * <p>Axon ships only {@code WeakReferenceCache} (cleared by any garbage collection, so nearly every
 * load under load would miss) and adapters for JCache and Ehcache, which would add a second cache
 * library for one map. Entry listeners are not supported: the repositories that use this cache
 * never register one, and a silent no-op would hide a misuse.
 */
public final class BoundedAggregateCache implements Cache {

  private final ConcurrentMap<Object, Object> entries;

  /** A cache of at most {@code maximumSize} entries. */
  public BoundedAggregateCache(long maximumSize) {
    this.entries = Caffeine.newBuilder().maximumSize(maximumSize).build().asMap();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> V get(K key) {
    return (V) entries.get(key);
  }

  @Override
  public void put(Object key, Object value) {
    entries.put(key, value);
  }

  @Override
  public boolean putIfAbsent(Object key, Object value) {
    return entries.putIfAbsent(key, value) == null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
    return (T) entries.computeIfAbsent(key, k -> valueSupplier.get());
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
    entries.computeIfPresent(key, (k, v) -> update.apply((V) v));
  }

  @Override
  public boolean remove(Object key) {
    return entries.remove(key) != null;
  }

  @Override
  public void removeAll() {
    entries.clear();
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }

  /** Not supported (see the class comment). */
  @Override
  public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
    throw new UnsupportedOperationException("BoundedAggregateCache has no entry listeners");
  }

  /** How many entries the cache holds now (for tests and metrics). */
  public long size() {
    return entries.size();
  }
}
