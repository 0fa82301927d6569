package io.parley.infra.privacy;

import static io.parley.migrations.jooq.Tables.DATA_KEY;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.privacy.DataCategory;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@link DataKeyStore} in PostgreSQL ({@code data_key}), each key AES-256 and wrapped by a
 * master key. Keys are created on first use in the transaction of the data that needs them, cached
 * unwrapped for {@code parley.crypto.key-cache-ttl} once committed, and destroyed by erasure and
 * retention.
 */
public class JooqDataKeyStore implements DataKeyStore {

  private static final Logger log = LoggerFactory.getLogger(JooqDataKeyStore.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DSLContext db;
  private final MasterKeys masterKeys;
  private final Cache<DataKeyRef, SecretKey> cache;
  private final Counter shredded;

  public JooqDataKeyStore(
      DSLContext db, MasterKeys masterKeys, CryptoProperties properties, MeterRegistry meters) {
    this.db = db;
    this.masterKeys = masterKeys;
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(properties.keyCacheTtl())
            .maximumSize(100_000)
            .build();
    this.shredded =
        Counter.builder("parley.privacy.keys.shredded")
            .description("Data keys destroyed by erasure or retention")
            .register(meters);
  }

  /**
   * The key for new data, created if it does not exist yet — in the caller's transaction, so the
   * key commits (or rolls back) with the data that depends on it, and no second connection is
   * needed. A concurrent creator on another node makes our insert wait for its commit and insert
   * nothing; both then use the stored key. The key is cached only once it is committed.
   */
  @Override
  public SecretKey keyForWriting(DataKeyRef ref) {
    SecretKey cached = cache.getIfPresent(ref);
    if (cached != null) {
      return cached;
    }
    Optional<SecretKey> existing = load(ref);
    if (existing.isPresent()) {
      cache.put(ref, existing.get());
      return existing.get();
    }
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    db.insertInto(DATA_KEY)
        .set(DATA_KEY.SUBJECT_ID, ref.subjectId())
        .set(DATA_KEY.CATEGORY, ref.category().name())
        .set(DATA_KEY.PERIOD, ref.period())
        .set(DATA_KEY.WRAPPED_KEY, wrap(ref, new SecretKeySpec(fresh, "AES")))
        .set(DATA_KEY.MASTER_KEY_ID, masterKeys.activeId())
        .onConflictDoNothing()
        .execute();
    SecretKey key =
        load(ref).orElseThrow(() -> new DataKeyUnavailableException("a new data key vanished"));
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              cache.put(ref, key);
            }
          });
    } else {
      cache.put(ref, key);
    }
    return key;
  }

  /**
   * The key to read existing data, or empty when it was destroyed. A key that exists but cannot be
   * unwrapped throws {@link DataKeyUnavailableException}: that is a configuration fault to fix, not
   * an erasure, and must not be recorded as one.
   */
  @Override
  public Optional<SecretKey> keyForReading(DataKeyRef ref) {
    SecretKey cached = cache.getIfPresent(ref);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<SecretKey> key = load(ref);
    key.ifPresent(k -> cache.put(ref, k));
    return key;
  }

  @Override
  public int shredAllKeysOf(String subjectId) {
    int deleted = db.deleteFrom(DATA_KEY).where(DATA_KEY.SUBJECT_ID.eq(subjectId)).execute();
    evictAfterCommit(ref -> ref.subjectId().equals(subjectId));
    shredded.increment(deleted);
    log.info("Destroyed {} data keys of an erased subject", deleted);
    return deleted;
  }

  /** Destroys every key of {@code category} for months before {@code firstKeptMonth}. */
  @Override
  public int destroyExpired(DataCategory category, YearMonth firstKeptMonth) {
    String before = firstKeptMonth.toString();
    int deleted =
        db.deleteFrom(DATA_KEY)
            .where(DATA_KEY.CATEGORY.eq(category.name()))
            .and(DATA_KEY.PERIOD.lt(before))
            .and(DATA_KEY.PERIOD.ne(DataKeyRef.TIMELESS))
            .execute();
    cache
        .asMap()
        .keySet()
        .removeIf(ref -> ref.category() == category && ref.period().compareTo(before) < 0);
    shredded.increment(deleted);
    return deleted;
  }

  /**
   * Re-wraps every data key not wrapped by the active master key (master key rotation). Events are
   * not touched: only the small wrapped keys change. Idempotent; safe on several nodes at once.
   */
  int rewrapAll() {
    int rewrapped = 0;
    int unknown = 0;
    for (var row :
        db.selectFrom(DATA_KEY).where(DATA_KEY.MASTER_KEY_ID.ne(masterKeys.activeId())).fetch()) {
      if (masterKeys.byId(row.getMasterKeyId()) == null) {
        unknown++;
        continue;
      }
      DataKeyRef ref =
          new DataKeyRef(
              row.getSubjectId(), DataCategory.valueOf(row.getCategory()), row.getPeriod());
      Optional<SecretKey> key;
      try {
        key = unwrap(ref, row.getWrappedKey(), row.getMasterKeyId());
      } catch (DataKeyUnavailableException unusable) {
        unknown++;
        continue;
      }
      rewrapped +=
          db.update(DATA_KEY)
              .set(DATA_KEY.WRAPPED_KEY, wrap(ref, key.get()))
              .set(DATA_KEY.MASTER_KEY_ID, masterKeys.activeId())
              .where(DATA_KEY.SUBJECT_ID.eq(ref.subjectId()))
              .and(DATA_KEY.CATEGORY.eq(ref.category().name()))
              .and(DATA_KEY.PERIOD.eq(ref.period()))
              .and(DATA_KEY.MASTER_KEY_ID.eq(row.getMasterKeyId()))
              .execute();
    }
    if (unknown > 0) {
      log.warn(
          "{} data keys are wrapped by master keys this node is not configured with (or fail"
              + " authentication); they cannot be re-wrapped or read here",
          unknown);
    }
    return rewrapped;
  }

  /** Evicts now, and again after commit (a concurrent reader may have re-cached it meanwhile). */
  private void evictAfterCommit(java.util.function.Predicate<DataKeyRef> which) {
    cache.asMap().keySet().removeIf(which);
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              cache.asMap().keySet().removeIf(which);
            }
          });
    }
  }

  private Optional<SecretKey> load(DataKeyRef ref) {
    return db.selectFrom(DATA_KEY)
        .where(DATA_KEY.SUBJECT_ID.eq(ref.subjectId()))
        .and(DATA_KEY.CATEGORY.eq(ref.category().name()))
        .and(DATA_KEY.PERIOD.eq(ref.period()))
        .fetchOptional()
        .flatMap(row -> unwrap(ref, row.getWrappedKey(), row.getMasterKeyId()));
  }

  private byte[] wrap(DataKeyRef ref, SecretKey key) {
    return AesGcm.encrypt(masterKeys.active(), key.getEncoded(), ref.keyAad());
  }

  private Optional<SecretKey> unwrap(DataKeyRef ref, byte[] wrapped, String masterKeyId) {
    SecretKey master = masterKeys.byId(masterKeyId);
    if (master == null) {
      log.error(
          "A data key is wrapped by master key '{}', which this node is not configured with",
          masterKeyId);
      throw new DataKeyUnavailableException("master key '" + masterKeyId + "' is not configured");
    }
    try {
      return Optional.of(new SecretKeySpec(AesGcm.decrypt(master, wrapped, ref.keyAad()), "AES"));
    } catch (GeneralSecurityException e) {
      log.error("A data key failed authentication under master key '{}'", masterKeyId);
      throw new DataKeyUnavailableException("a data key failed authentication");
    }
  }
}
