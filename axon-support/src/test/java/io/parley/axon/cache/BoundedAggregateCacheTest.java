package io.parley.axon.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

/** The cache keeps Axon's contract: bounded, and every change reported to its listeners. */
class BoundedAggregateCacheTest {

  final List<String> seen = new ArrayList<>();
  final Cache.EntryListener recorder =
      new Cache.EntryListenerAdapter() {
        @Override
        public void onEntryCreated(Object key, Object value) {
          seen.add("created " + key + "=" + value);
        }

        @Override
        public void onEntryUpdated(Object key, Object value) {
          seen.add("updated " + key + "=" + value);
        }

        @Override
        public void onEntryRead(Object key, Object value) {
          seen.add("read " + key + "=" + value);
        }

        @Override
        public void onEntryRemoved(Object key) {
          seen.add("removed " + key);
        }

        @Override
        public void onEntryExpired(Object key) {
          seen.add("expired " + key);
        }
      };

  @Test
  void reportsEveryChangeToItsListenersUntilTheyCancel() {
    BoundedAggregateCache cache = new BoundedAggregateCache(10);
    Registration registration = cache.registerCacheEntryListener(recorder);

    cache.put("a", 1);
    cache.put("a", 2);
    assertThat(cache.<String, Integer>get("a")).isEqualTo(2);
    assertThat(cache.putIfAbsent("a", 3)).isFalse();
    assertThat(cache.putIfAbsent("b", 4)).isTrue();
    assertThat(cache.<Integer>computeIfAbsent("c", () -> 5)).isEqualTo(5);
    cache.<Integer>computeIfPresent("c", v -> v + 1);
    assertThat(cache.remove("b")).isTrue();
    assertThat(cache.remove("b")).isFalse();
    cache.removeAll();

    assertThat(seen)
        .containsExactly(
            "created a=1",
            "updated a=2",
            "read a=2",
            "created b=4",
            "created c=5",
            "updated c=6",
            "removed b",
            "removed a",
            "removed c");
    assertThat(cache.size()).isZero();

    assertThat(registration.cancel()).isTrue();
    cache.put("d", 7);
    assertThat(seen).doesNotContain("created d=7");
  }

  @Test
  void evictsBeyondItsSize_andReportsTheEvictionAsAnExpiry() {
    BoundedAggregateCache cache = new BoundedAggregateCache(2);
    cache.registerCacheEntryListener(recorder);
    for (int i = 0; i < 5; i++) {
      cache.put("k" + i, i);
    }
    assertThat(cache.size()).isEqualTo(2);
    assertThat(seen.stream().filter(event -> event.startsWith("expired"))).hasSize(3);
  }
}
