package io.parley.infra.axon;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.OptionalLong;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many stored events a streaming processor has yet to handle: the store's head position minus
 * the position of the processor's slowest segment, as its tokens in {@code token_entry} say. Read
 * from the token table, not from the processor's in-memory status, so every node reports the same
 * value, including a node that holds no segment, and a processor that stopped shows its lag growing
 * rather than nothing. Axon's own {@code eventProcessor.latency} is the complement in time: the age
 * of the last event a processor handled on this node, which stands still while nothing is handled.
 */
public class ProcessorLag {

  /** The gauge's name: {@code parley_processor_lag_events{processor}} in Prometheus. */
  public static final String METER = "parley.processor.lag";

  private final JdbcTemplate jdbc;
  private final Serializer tokenSerializer;
  private final StreamableMessageSource<?> store;

  /**
   * @param tokenSerializer the serializer Axon's JDBC token store writes tokens with (its general
   *     serializer)
   */
  public ProcessorLag(
      JdbcTemplate jdbc, Serializer tokenSerializer, StreamableMessageSource<?> store) {
    this.jdbc = jdbc;
    this.tokenSerializer = tokenSerializer;
    this.store = store;
  }

  /**
   * Events stored but not yet handled by {@code processor}; empty while it has no token (it never
   * ran against this store).
   */
  public OptionalLong behind(String processor) {
    List<Long> positions =
        jdbc.query(
            "select token, token_type from token_entry where processor_name = ?",
            (row, i) -> position(row.getBytes(1), row.getString(2)),
            processor);
    if (positions.isEmpty()) {
      return OptionalLong.empty();
    }
    long slowest = positions.stream().mapToLong(Long::longValue).min().orElseThrow();
    long head = position(store.createHeadToken());
    return OptionalLong.of(Math.max(0, head - slowest));
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

  private long position(byte[] token, String type) {
    if (token == null || type == null) {
      return -1; // a segment that has not handled anything yet
    }
    TrackingToken tracking =
        tokenSerializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
    return position(tracking);
  }

  private static long position(TrackingToken token) {
    return token == null ? -1 : token.position().orElse(-1);
  }
}
