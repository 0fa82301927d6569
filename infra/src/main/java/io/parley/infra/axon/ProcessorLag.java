package io.parley.infra.axon;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.ops.processor.TokenTable;
import java.util.List;
import java.util.OptionalLong;

/**
 * How many stored events a streaming processor has yet to handle: the store's head position minus
 * the position of the processor's slowest segment, as its tokens in {@code token_entry} say ({@link
 * TokenTable}, which the operations console reads too). So every node reports the same value,
 * including a node that holds no segment, and a processor that stopped shows its lag growing rather
 * than nothing. Axon's own {@code eventProcessor.latency} is the complement in time: the age of the
 * last event a processor handled on this node, which stands still while nothing is handled.
 */
public class ProcessorLag {

  /** The gauge's name: {@code parley_processor_lag_events{processor}} in Prometheus. */
  public static final String METER = "parley.processor.lag";

  private final TokenTable tokens;

  public ProcessorLag(TokenTable tokens) {
    this.tokens = tokens;
  }

  /**
   * Events stored but not yet handled by {@code processor}; empty while it has no token (it never
   * ran against this store).
   */
  public OptionalLong behind(String processor) {
    List<TokenTable.SegmentToken> segments = tokens.segments(processor);
    if (segments.isEmpty()) {
      return OptionalLong.empty();
    }
    long slowest =
        segments.stream().mapToLong(TokenTable.SegmentToken::position).min().orElseThrow();
    return OptionalLong.of(Math.max(0, tokens.head() - slowest));
  }

  /** Registers {@value #METER}{processor} (events; NaN while it has no token). */
  public Gauge register(MeterRegistry registry, String processor) {
    return Gauge.builder(
            METER,
            this,
            lag -> lag.behind(processor).stream().asDoubleStream().findFirst().orElse(Double.NaN))
        .description("Stored events the processor has yet to handle (head minus its slowest token)")
        .baseUnit("events")
        .tag("processor", processor)
        .register(registry);
  }
}
