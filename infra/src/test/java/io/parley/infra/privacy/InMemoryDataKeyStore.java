package io.parley.infra.privacy;

import io.parley.api.privacy.DataCategory;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link DataKeyStore} in a map, for unit tests: the same contract as {@link JooqDataKeyStore}
 * (see {@link DataKeyStoreContract}), including that threads racing to create one key all get the
 * same key. It has no master key (nothing is wrapped, so nothing can fail to unwrap), no cache and
 * no transactions: a key created here stays even if the caller's work fails.
 */
final class InMemoryDataKeyStore implements DataKeyStore {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConcurrentMap<DataKeyRef, SecretKey> keys = new ConcurrentHashMap<>();

  @Override
  public SecretKey keyForWriting(DataKeyRef ref) {
    return keys.computeIfAbsent(ref, absent -> freshKey());
  }

  @Override
  public Optional<SecretKey> keyForReading(DataKeyRef ref) {
    return Optional.ofNullable(keys.get(ref));
  }

  @Override
  public int shredAllKeysOf(String subjectId) {
    return destroy(ref -> ref.subjectId().equals(subjectId));
  }

  @Override
  public int destroyExpired(DataCategory category, YearMonth firstKeptMonth) {
    String before = firstKeptMonth.toString();
    return destroy(
        ref ->
            ref.category() == category
                && !ref.period().equals(DataKeyRef.TIMELESS)
                && ref.period().compareTo(before) < 0);
  }

  /** Counts only the keys this call removed, as a DELETE's row count does. */
  private int destroy(Predicate<DataKeyRef> which) {
    int destroyed = 0;
    for (DataKeyRef ref : keys.keySet()) {
      if (which.test(ref) && keys.remove(ref) != null) {
        destroyed++;
      }
    }
    return destroyed;
  }

  private static SecretKey freshKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new SecretKeySpec(key, "AES");
  }
}
