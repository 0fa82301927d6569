package io.parley.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuditChainHashTest {

  static final StoredEventRow ROW =
      new StoredEventRow(
          42,
          "9d2f6b1a-5c3e-4f70-8a19-6e4b2c7d0f35",
          "ConversationAggregate",
          "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41",
          7,
          "2026-12-01T09:15:02.481Z",
          "io.parley.api.conversation.MessageSentEvent",
          "2",
          "{\"text\":\"pd1:...\"}".getBytes(StandardCharsets.UTF_8),
          "{\"actor\":\"bob\"}".getBytes(StandardCharsets.UTF_8));

  final AuditChainHash hash = new AuditChainHash();

  @Test
  void next_isDeterministic_andDependsOnThePreviousLink() {
    byte[] first = hash.next(AuditChainHash.GENESIS, ROW);
    assertThat(first)
        .hasSize(AuditChainHash.LENGTH)
        .isEqualTo(hash.next(AuditChainHash.GENESIS, ROW));
    assertThat(hash.next(first, ROW)).isNotEqualTo(first);
  }

  @Test
  void next_changesWithEveryStoredField() {
    byte[] original = hash.next(AuditChainHash.GENESIS, ROW);
    byte[] payload = ROW.payload().clone();
    payload[0] ^= 1;
    StoredEventRow[] changed = {
      new StoredEventRow(
          43,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          7,
          ROW.timeStamp(),
          ROW.payloadType(),
          ROW.payloadRevision(),
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          "x",
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          7,
          ROW.timeStamp(),
          ROW.payloadType(),
          ROW.payloadRevision(),
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          null,
          ROW.aggregateIdentifier(),
          7,
          ROW.timeStamp(),
          ROW.payloadType(),
          ROW.payloadRevision(),
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          "x",
          7,
          ROW.timeStamp(),
          ROW.payloadType(),
          ROW.payloadRevision(),
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          8,
          ROW.timeStamp(),
          ROW.payloadType(),
          ROW.payloadRevision(),
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          7,
          "2026-12-01T09:15:02.482Z",
          ROW.payloadType(),
          ROW.payloadRevision(),
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          7,
          ROW.timeStamp(),
          "x",
          ROW.payloadRevision(),
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          7,
          ROW.timeStamp(),
          ROW.payloadType(),
          "1",
          ROW.payload(),
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          7,
          ROW.timeStamp(),
          ROW.payloadType(),
          ROW.payloadRevision(),
          payload,
          ROW.metaData()),
      new StoredEventRow(
          42,
          ROW.eventIdentifier(),
          ROW.aggregateType(),
          ROW.aggregateIdentifier(),
          7,
          ROW.timeStamp(),
          ROW.payloadType(),
          ROW.payloadRevision(),
          ROW.payload(),
          null),
    };
    for (StoredEventRow row : changed) {
      assertThat(hash.next(AuditChainHash.GENESIS, row)).as(row.toString()).isNotEqualTo(original);
    }
  }

  @Test
  void next_lengthPrefixesFields_soBytesCannotMoveFromOneFieldToTheNext() {
    StoredEventRow ab = new StoredEventRow(1, "e", "t", "a", 0, "ts", "ab", "c", new byte[0], null);
    StoredEventRow a = new StoredEventRow(1, "e", "t", "a", 0, "ts", "a", "bc", new byte[0], null);
    StoredEventRow empty =
        new StoredEventRow(1, "e", "t", "a", 0, "ts", "a", "", new byte[0], null);
    StoredEventRow nul =
        new StoredEventRow(1, "e", "t", "a", 0, "ts", "a", null, new byte[0], null);
    assertThat(hash.next(AuditChainHash.GENESIS, ab))
        .isNotEqualTo(hash.next(AuditChainHash.GENESIS, a));
    assertThat(hash.next(AuditChainHash.GENESIS, empty))
        .isNotEqualTo(hash.next(AuditChainHash.GENESIS, nul));
  }

  @Test
  void next_isSha256OfTheDocumentedEncoding() {
    // Pins the encoding (ADR 0013): changing it silently would break every stored chain.
    assertThat(HexFormat.of().formatHex(hash.next(AuditChainHash.GENESIS, ROW))).isEqualTo(PINNED);
  }

  static final String PINNED = "7cf8bef49a99736a209ca56336dfc0665e28f0b783162eebdba9cf3d150d29c7";
}
