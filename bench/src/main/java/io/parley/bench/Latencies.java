package io.parley.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A growable list of durations in nanoseconds, with exact percentiles (nearest rank). */
final class Latencies {

  private long[] values = new long[1024];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[size++] = nanos;
  }

  void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int size() {
    return size;
  }

  /** An immutable summary, in milliseconds. */
  record Summary(
      int count,
      double mean,
      double p50,
      double p90,
      double p95,
      double p99,
      double p999,
      double max,
      double min) {

    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("meanMs", round(mean));
      m.put("minMs", round(min));
      m.put("p50Ms", round(p50));
      m.put("p90Ms", round(p90));
      m.put("p95Ms", round(p95));
      m.put("p99Ms", round(p99));
      m.put("p999Ms", round(p999));
      m.put("maxMs", round(max));
      return m;
    }

    String line() {
      if (count == 0) {
        return "n=0";
      }
      return String.format(
          "n=%d  p50=%.2f  p90=%.2f  p95=%.2f  p99=%.2f  p99.9=%.2f  max=%.2f  mean=%.2f ms",
          count, p50, p90, p95, p99, p999, max, mean);
    }
  }

  Summary summary() {
    if (size == 0) {
      return new Summary(
          0,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN);
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    double sum = 0;
    for (long v : sorted) {
      sum += v;
    }
    return new Summary(
        size,
        ms(sum / size),
        ms(rank(sorted, 0.50)),
        ms(rank(sorted, 0.90)),
        ms(rank(sorted, 0.95)),
        ms(rank(sorted, 0.99)),
        ms(rank(sorted, 0.999)),
        ms(sorted[size - 1]),
        ms(sorted[0]));
  }

  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(double nanos) {
    return nanos / 1_000_000.0;
  }

  static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 1000.0) / 1000.0;
  }
}
