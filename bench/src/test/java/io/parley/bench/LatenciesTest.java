package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void nearestRankPercentilesInMilliseconds() {
    Latencies l = new Latencies();
    for (int i = 100; i >= 1; i--) { // 1..100 ms, out of order, past the initial capacity
      for (int copy = 0; copy < 20; copy++) {
        l.add(i * 1_000_000L);
      }
    }
    Latencies.Summary s = l.summary();
    assertThat(s.count()).isEqualTo(2000);
    assertThat(s.p50()).isEqualTo(50.0);
    assertThat(s.p95()).isEqualTo(95.0);
    assertThat(s.p99()).isEqualTo(99.0);
    assertThat(s.max()).isEqualTo(100.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.mean()).isEqualTo(50.5);
  }

  @Test
  void emptyHasNoPercentiles() {
    assertThat(new Latencies().summary().count()).isZero();
    assertThat(new Latencies().summary().p99()).isNaN();
  }
}
