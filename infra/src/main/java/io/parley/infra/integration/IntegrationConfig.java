package io.parley.infra.integration;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka publisher of integration events (docs/integration-events.md, ADR 0014), on when {@code
 * parley.kafka.bootstrap-servers} ({@code PARLEY_KAFKA_BOOTSTRAP_SERVERS}) is set. Off, there is no
 * handler, so no {@value KafkaIntegrationPublisher#PROCESSING_GROUP} processor and no token, and
 * one INFO line says so.
 */
@Configuration(proxyBeanMethods = false)
public class IntegrationConfig {

  static final String ON = "!'${parley.kafka.bootstrap-servers:}'.isBlank()";
  static final String OFF = "'${parley.kafka.bootstrap-servers:}'.isBlank()";

  private static final Logger log = LoggerFactory.getLogger(IntegrationConfig.class);

  @Bean
  @ConditionalOnExpression(ON)
  public KafkaIntegrationProducer kafkaIntegrationProducer(
      IntegrationKafkaProperties properties, MeterRegistry meters) {
    return new KafkaIntegrationProducer(properties, meters);
  }

  @Bean
  @ConditionalOnExpression(ON)
  public KafkaIntegrationPublisher kafkaIntegrationPublisher(
      KafkaIntegrationProducer producer, EventStore eventStore) {
    return new KafkaIntegrationPublisher(new IntegrationEventMapper(), producer, eventStore);
  }

  /**
   * The publisher starts at the first stored event, as live events: the event store is the outbox,
   * so a first start publishes the whole history. (Axon 4.13's pooled processors would start a new
   * token as a replay up to the head, as for a projection.) A handler failure is never skipped: it
   * fails the batch, which is retried (no dead-letter queue: a broker outage would park
   * everything).
   */
  @Bean
  @ConditionalOnExpression(ON)
  public ConfigurerModule integrationEventsFromTheTail() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerPooledStreamingEventProcessorConfiguration(
                KafkaIntegrationPublisher.PROCESSING_GROUP,
                (axon, processor) ->
                    processor.initialToken(StreamableMessageSource::createTailToken))
            .registerListenerInvocationErrorHandler(
                KafkaIntegrationPublisher.PROCESSING_GROUP,
                axon -> PropagatingErrorHandler.instance());
  }

  @Bean
  @ConditionalOnExpression(ON)
  public SmartInitializingSingleton integrationEventsOn(IntegrationKafkaProperties properties) {
    return () ->
        log.info(
            "Publishing integration events to Kafka at {} (processor {})",
            properties.bootstrapServers(),
            KafkaIntegrationPublisher.PROCESSING_GROUP);
  }

  @Bean
  @ConditionalOnExpression(OFF)
  public SmartInitializingSingleton integrationEventsOff() {
    return () ->
        log.info(
            "Kafka publisher off: PARLEY_KAFKA_BOOTSTRAP_SERVERS (parley.kafka.bootstrap-servers)"
                + " is not set; no integration events are published");
  }
}
