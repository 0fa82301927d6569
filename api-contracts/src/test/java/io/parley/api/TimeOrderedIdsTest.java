package io.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  @Test
  void idsAreVersion7WithTheIetfVariantAndCarryTheirMillisecond() {
    long millis = 1_764_633_600_123L;
    UUID id = TimeOrderedIds.at(millis);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis);
  }

  @Test
  void idsOfLaterMillisecondsSortAfterEarlierOnes_andDoNotRepeat() {
    List<UUID> ids = new ArrayList<>();
    for (long ms = 1_000; ms < 1_100; ms++) {
      ids.add(TimeOrderedIds.at(ms));
    }
    // As PostgreSQL compares uuid values: byte by byte, unsigned.
    List<String> asText = ids.stream().map(UUID::toString).toList();
    assertThat(asText).isSorted();
    var many = new HashSet<UUID>();
    for (int i = 0; i < 100_000; i++) {
      many.add(TimeOrderedIds.next());
    }
    assertThat(many).hasSize(100_000);
  }
}
