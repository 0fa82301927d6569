package io.parley.infra.analytics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.parley.infra.axon.ProcessorLag;
import io.parley.query.analytics.AnalyticsProjection;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The analytics projection's wiring (its handlers are in {@code query-side}; its processor's
 * settings, one segment, in application.yml): how far its tables lag behind the store, {@code
 * parley_processor_lag_events{processor="analytics"}} (docs/analytics.md).
 */
@Configuration(proxyBeanMethods = false)
public class AnalyticsConfig {

  @Bean
  public ProcessorLag processorLag(JdbcTemplate jdbc, Serializer serializer, EventStore store) {
    return new ProcessorLag(jdbc, serializer, store);
  }

  @Bean
  public MeterBinder analyticsLag(ProcessorLag lag) {
    return registry -> lag.register(registry, AnalyticsProjection.PROCESSING_GROUP);
  }
}
