package io.parley.query.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One link of the audit hash chain (ADR 0013): {@code SHA-256(domain tag, previous hash, the stored
 * row's fields)}, each field length-prefixed (4 bytes big-endian; -1 for SQL NULL) so that no two
 * different rows encode to the same bytes. Not thread-safe: one instance per thread.
 */
final class AuditChainHash {

  static final int LENGTH = 32;

  /** The "previous hash" of the first link. */
  static final byte[] GENESIS = new byte[LENGTH];

  private static final byte[] DOMAIN = "parley-audit-chain-v1".getBytes(StandardCharsets.US_ASCII);

  private final MessageDigest sha256;
  private final byte[] scratch = new byte[8];

  AuditChainHash() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The link after {@code previous} for {@code row}. */
  byte[] next(byte[] previous, StoredEventRow row) {
    sha256.reset();
    sha256.update(DOMAIN);
    sha256.update(previous);
    putLong(row.globalIndex());
    put(row.payload());
    put(row.metaData());
    put(row.payloadType());
    put(row.payloadRevision());
    put(row.aggregateType());
    put(row.aggregateIdentifier());
    putLong(row.sequenceNumber());
    put(row.timeStamp());
    put(row.eventIdentifier());
    return sha256.digest();
  }

  private void put(String value) {
    put(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private void put(byte[] value) {
    putInt(value == null ? -1 : value.length);
    if (value != null) {
      sha256.update(value);
    }
  }

  private void putInt(int value) {
    for (int i = 0; i < 4; i++) {
      scratch[i] = (byte) (value >>> (24 - 8 * i));
    }
    sha256.update(scratch, 0, 4);
  }

  private void putLong(long value) {
    for (int i = 0; i < 8; i++) {
      scratch[i] = (byte) (value >>> (56 - 8 * i));
    }
    sha256.update(scratch, 0, 8);
  }
}
