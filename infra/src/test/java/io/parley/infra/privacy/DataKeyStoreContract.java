package io.parley.infra.privacy;

import static io.parley.api.privacy.DataCategory.BLOCKED_MESSAGE;
import static io.parley.api.privacy.DataCategory.MESSAGE;
import static io.parley.api.privacy.DataCategory.PROFILE;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.privacy.DataCategory;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DataKeyStore} promises, whatever keeps the keys. {@link InMemoryDataKeyStore}
 * and {@link JooqDataKeyStore} both pass it, so unit tests on the in-memory one say something about
 * the real one.
 */
abstract class DataKeyStoreContract {

  static final YearMonth JANUARY = YearMonth.of(2026, 1);
  static final YearMonth FEBRUARY = YearMonth.of(2026, 2);
  static final YearMonth MARCH = YearMonth.of(2026, 3);

  DataKeyStore store;

  /** An empty store. */
  abstract DataKeyStore newStore();

  @BeforeEach
  void emptyStore() {
    store = newStore();
  }

  static DataKeyRef ref(String subject, DataCategory category, YearMonth month) {
    return new DataKeyRef(subject, category, month.toString());
  }

  static DataKeyRef profile(String subject) {
    return new DataKeyRef(subject, PROFILE, DataKeyRef.TIMELESS);
  }

  @Test
  void keyForWriting_twice_returnsTheSameKey() {
    SecretKey first = store.keyForWriting(ref("alice", MESSAGE, JANUARY));
    assertThat(store.keyForWriting(ref("alice", MESSAGE, JANUARY))).isEqualTo(first);
    assertThat(first.getEncoded()).hasSize(32);
  }

  @Test
  void keyForWriting_givesEachSubjectCategoryAndMonthAKeyOfItsOwn() {
    List<SecretKey> keys =
        List.of(
            store.keyForWriting(ref("alice", MESSAGE, JANUARY)),
            store.keyForWriting(ref("bob", MESSAGE, JANUARY)),
            store.keyForWriting(ref("alice", BLOCKED_MESSAGE, JANUARY)),
            store.keyForWriting(ref("alice", MESSAGE, FEBRUARY)),
            store.keyForWriting(profile("alice")));
    assertThat(keys).doesNotHaveDuplicates();
  }

  @Test
  void keyForReading_returnsTheKeyThatWasWritten() {
    SecretKey written = store.keyForWriting(ref("alice", MESSAGE, JANUARY));
    assertThat(store.keyForReading(ref("alice", MESSAGE, JANUARY))).contains(written);
  }

  @Test
  void keyForReading_ofAKeyNeverWritten_isEmpty_andCreatesNone() {
    assertThat(store.keyForReading(ref("alice", MESSAGE, JANUARY))).isEmpty();
    assertThat(store.keyForReading(ref("alice", MESSAGE, JANUARY))).isEmpty();
    assertThat(store.shredAllKeysOf("alice")).isZero();
  }

  @Test
  void keyForWriting_fromRacingThreads_givesEveryThreadTheSameKey() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 25; round++) {
        DataKeyRef contended = ref("racer-" + round, MESSAGE, JANUARY);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<SecretKey>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return store.keyForWriting(contended);
                  }));
        }
        List<SecretKey> keys = new ArrayList<>();
        for (Future<SecretKey> result : results) {
          keys.add(result.get(10, TimeUnit.SECONDS));
        }
        assertThat(keys).as(contended.toString()).containsOnly(keys.get(0));
        assertThat(store.keyForReading(contended)).contains(keys.get(0));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shredAllKeysOf_destroysEveryKeyOfTheSubject_andSparesOthers() {
    store.keyForWriting(ref("alice", MESSAGE, JANUARY));
    store.keyForWriting(ref("alice", MESSAGE, FEBRUARY));
    store.keyForWriting(ref("alice", BLOCKED_MESSAGE, JANUARY));
    store.keyForWriting(profile("alice"));
    SecretKey bobs = store.keyForWriting(ref("bob", MESSAGE, JANUARY));
    // Read once, so that a store with a cache has the keys in it.
    store.keyForReading(ref("alice", MESSAGE, JANUARY));
    store.keyForReading(profile("alice"));

    assertThat(store.shredAllKeysOf("alice")).isEqualTo(4);

    assertThat(store.keyForReading(ref("alice", MESSAGE, JANUARY))).isEmpty();
    assertThat(store.keyForReading(ref("alice", MESSAGE, FEBRUARY))).isEmpty();
    assertThat(store.keyForReading(ref("alice", BLOCKED_MESSAGE, JANUARY))).isEmpty();
    assertThat(store.keyForReading(profile("alice"))).isEmpty();
    assertThat(store.keyForReading(ref("bob", MESSAGE, JANUARY))).contains(bobs);
    assertThat(store.shredAllKeysOf("alice")).isZero();
  }

  @Test
  void keyForWriting_afterShredding_makesANewKey() {
    SecretKey old = store.keyForWriting(ref("alice", MESSAGE, JANUARY));
    store.shredAllKeysOf("alice");
    SecretKey renewed = store.keyForWriting(ref("alice", MESSAGE, JANUARY));
    assertThat(renewed.getEncoded()).isNotEqualTo(old.getEncoded());
  }

  @Test
  void destroyExpired_destroysTheMonthsBeforeTheFirstKept_ofThatCategoryOnly() {
    store.keyForWriting(ref("alice", MESSAGE, JANUARY));
    store.keyForWriting(ref("alice", MESSAGE, FEBRUARY));
    store.keyForWriting(ref("bob", MESSAGE, JANUARY));
    SecretKey march = store.keyForWriting(ref("alice", MESSAGE, MARCH));
    SecretKey blocked = store.keyForWriting(ref("alice", BLOCKED_MESSAGE, JANUARY));
    SecretKey title = store.keyForWriting(profile("alice"));
    store.keyForReading(ref("alice", MESSAGE, JANUARY)); // cached, where there is a cache

    assertThat(store.destroyExpired(MESSAGE, MARCH)).isEqualTo(3);

    assertThat(store.keyForReading(ref("alice", MESSAGE, JANUARY))).isEmpty();
    assertThat(store.keyForReading(ref("alice", MESSAGE, FEBRUARY))).isEmpty();
    assertThat(store.keyForReading(ref("bob", MESSAGE, JANUARY))).isEmpty();
    assertThat(store.keyForReading(ref("alice", MESSAGE, MARCH))).contains(march);
    assertThat(store.keyForReading(ref("alice", BLOCKED_MESSAGE, JANUARY))).contains(blocked);
    assertThat(store.keyForReading(profile("alice"))).contains(title);
    assertThat(store.destroyExpired(MESSAGE, MARCH)).isZero();
  }

  @Test
  void destroyExpired_neverDestroysKeysThatDoNotExpire() {
    SecretKey title = store.keyForWriting(profile("alice"));
    assertThat(store.destroyExpired(PROFILE, YearMonth.of(9999, 12))).isZero();
    assertThat(store.keyForReading(profile("alice"))).contains(title);
  }
}
