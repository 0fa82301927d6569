package io.parley.infra.privacy;

import static io.parley.migrations.jooq.Tables.DATA_KEY;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.privacy.DataCategory;
import io.parley.testsupport.MigratedDatabase;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Map;
import javax.crypto.SecretKey;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link JooqDataKeyStore} keeps the {@link DataKeyStoreContract}, on a fresh database of its own
 * (migrated with the application's scripts; no Spring context), with a cache as in production.
 */
class JooqDataKeyStoreIT extends DataKeyStoreContract {

  static final SecretKey MASTER = randomMasterKey();
  static MigratedDatabase database;
  static DSLContext db;

  @BeforeAll
  static void migrateAFreshDatabase() {
    database = MigratedDatabase.create(8); // the racing threads
    db = database.dsl();
  }

  @AfterAll
  static void dropTheDatabase() {
    database.close();
  }

  @Override
  DataKeyStore newStore() {
    db.truncate(DATA_KEY).execute();
    return store(Map.of("k1", MASTER), "k1");
  }

  /** Not part of the port's contract: only a store that wraps keys can fail to unwrap one. */
  @Test
  void keyForReading_ofAKeyUnderAnUnknownMasterKey_failsInsteadOfReadingAsDestroyed() {
    DataKeyRef ref = ref("alice", DataCategory.MESSAGE, YearMonth.of(2026, 1));
    store.keyForWriting(ref);
    JooqDataKeyStore otherNode = store(Map.of("k2", randomMasterKey()), "k2");
    assertThatThrownBy(() -> otherNode.keyForReading(ref))
        .isInstanceOf(DataKeyUnavailableException.class);
  }

  static JooqDataKeyStore store(Map<String, SecretKey> masterKeys, String active) {
    return new JooqDataKeyStore(
        db,
        new MasterKeys(masterKeys, active),
        new CryptoProperties(Map.of(), active, Duration.ofSeconds(60)),
        new SimpleMeterRegistry());
  }

  static SecretKey randomMasterKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return MasterKeys.aesKey(bytes);
  }
}
