package io.parley.infra.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The gauges the operations dashboard and alert rules ({@code docs/ops/}) read beside Axon's own
 * meters, each read from the database at scrape time, so every node reports the cluster's value:
 *
 * <ul>
 *   <li>{@code parley.deadletters{processor}}: dead letters parked for each processor (its dead
 *       letter queue; sagas' too);
 *   <li>{@code parley.sagas.active{type}}: saga instances running, per saga type;
 *   <li>{@code parley.readiness}: 1 while this node's readiness group is UP (the database
 *       included), else 0 — what a load balancer sees, as a metric an alert can use.
 * </ul>
 */
public class OpsMetrics implements MeterBinder {

  private final EventProcessingConfiguration processing;
  private final JdbcTemplate jdbc;
  private final HealthEndpoint health;

  public OpsMetrics(
      EventProcessingConfiguration processing, JdbcTemplate jdbc, HealthEndpoint health) {
    this.processing = processing;
    this.jdbc = jdbc;
    this.health = health;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    processing
        .eventProcessors()
        .keySet()
        .forEach(
            processor ->
                Gauge.builder("parley.deadletters", () -> deadLetters(processor))
                    .description("Events parked in the processor's dead-letter queue")
                    .tag("processor", processor)
                    .register(registry));
    processing
        .sagaConfigurations()
        .forEach(
            saga -> {
              String type = saga.type().getName();
              Gauge.builder("parley.sagas.active", () -> activeSagas(type))
                  .description("Saga instances that have started and not ended")
                  .tag("type", saga.type().getSimpleName())
                  .register(registry);
            });
    Gauge.builder("parley.readiness", this::ready)
        .description("1 while the node's readiness group (the database included) is UP, else 0")
        .register(registry);
  }

  private long deadLetters(String processor) {
    return jdbc.queryForObject(
        "select count(*) from dead_letter_entry where processing_group = ?", Long.class, processor);
  }

  private long activeSagas(String type) {
    return jdbc.queryForObject(
        "select count(*) from saga_entry where saga_type = ?", Long.class, type);
  }

  private double ready() {
    HealthComponent readiness = health.healthForPath("readiness");
    return readiness != null && Status.UP.equals(readiness.getStatus()) ? 1 : 0;
  }
}
