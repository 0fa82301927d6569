package io.parley.infra.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ParleyIntegrationTest;
import org.axonframework.config.EventProcessingConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Without {@code parley.kafka.bootstrap-servers} (the shared test context sets none) the publisher
 * is off: no publisher, no producer, no {@code integration-events} processor and no token of it,
 * while every other processor runs.
 */
class IntegrationPublisherOffIT extends ParleyIntegrationTest {

  @Autowired ApplicationContext context;
  @Autowired EventProcessingConfiguration processing;
  @Autowired JdbcTemplate jdbc;

  @Test
  void withoutBootstrapServers_thereIsNoPublisherAndNoProcessor() {
    assertThat(context.getBeansOfType(KafkaIntegrationPublisher.class)).isEmpty();
    assertThat(context.getBeansOfType(KafkaIntegrationProducer.class)).isEmpty();
    assertThat(processing.eventProcessor(KafkaIntegrationPublisher.PROCESSING_GROUP)).isEmpty();
    assertThat(processing.eventProcessor("timeline")).isPresent(); // the check can see processors
    assertThat(
            jdbc.queryForObject(
                "select count(*) from token_entry where processor_name = ?",
                Integer.class,
                KafkaIntegrationPublisher.PROCESSING_GROUP))
        .isZero();
  }
}
