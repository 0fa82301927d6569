package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.privacy.DataCategory;
import io.parley.infra.support.ParleyIntegrationTest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Master key rotation re-wraps data keys — never the events: data written under the old master key
 * reads back after rotation, and still does once the old master key is retired.
 */
class MasterKeyRotationIT extends ParleyIntegrationTest {

  @Autowired DSLContext db;
  @Autowired JdbcTemplate jdbc;

  @Test
  void rotationRewrapsKeys_andOldDataStillReads() {
    SecretKey k1 = random();
    SecretKey k2 = random();
    String subject = "rotating-" + UUID.randomUUID().toString().substring(0, 8);

    PersonalDataCipher before = cipher(Map.of("k1", k1), "k1");
    String envelope =
        before.encrypt("kept across rotation", subject, DataCategory.MESSAGE, Instant.now());
    assertThat(masterKeyOf(subject)).isEqualTo("k1");

    JooqDataKeyStore during = store(Map.of("k1", k1, "k2", k2), "k2");
    assertThat(during.rewrapAll()).isGreaterThanOrEqualTo(1);
    assertThat(masterKeyOf(subject)).isEqualTo("k2");
    assertThat(during.rewrapAll()).isZero(); // idempotent

    PersonalDataCipher after = cipher(Map.of("k2", k2), "k2"); // k1 retired
    assertThat(after.decrypt(envelope)).isEqualTo("kept across rotation");
    // Leave the shared database with keys only under the application's own master key.
    jdbc.update("delete from data_key where subject_id = ?", subject);
  }

  String masterKeyOf(String subject) {
    return jdbc.queryForObject(
        "select master_key_id from data_key where subject_id = ?", String.class, subject);
  }

  PersonalDataCipher cipher(Map<String, SecretKey> keys, String active) {
    return new PersonalDataCipher(store(keys, active), new SimpleMeterRegistry());
  }

  JooqDataKeyStore store(Map<String, SecretKey> keys, String active) {
    return new JooqDataKeyStore(
        db,
        new MasterKeys(new LinkedHashMap<>(keys), active),
        new CryptoProperties(Map.of(), active, Duration.ZERO),
        new SimpleMeterRegistry());
  }

  static SecretKey random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return MasterKeys.aesKey(bytes);
  }
}
