package io.parley.infra.privacy;

import io.parley.command.subject.SubjectKeyShredder;
import io.parley.saga.retention.RetentionKeyShredder;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Where data keys live (ADR 0007): one AES-256 key per {@link DataKeyRef}, created on first write,
 * destroyed by erasure ({@link #shredAllKeysOf}, the command side's port) and retention ({@link
 * #destroyExpired}, the retention sweep's port). A destroyed key is gone for good: a later write
 * under the same name gets a new key, which does not open what the old one sealed.
 *
 * <p>{@link JooqDataKeyStore} is the store; unit tests use an in-memory one.
 */
interface DataKeyStore extends SubjectKeyShredder, RetentionKeyShredder {

  /**
   * The key for new data under {@code ref}, created if there is none. Callers that race to create
   * the same key all get the one that was stored.
   */
  SecretKey keyForWriting(DataKeyRef ref);

  /**
   * The key to read data under {@code ref}, or empty when there is none (destroyed, or never
   * written); never creates one. A key that exists but cannot be used throws {@link
   * DataKeyUnavailableException}: a fault to fix, not an erasure.
   */
  Optional<SecretKey> keyForReading(DataKeyRef ref);
}
