package io.parley.infra.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import io.parley.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The benchmark's switch (docs/integration-events.md): a node with Kafka configured but the
 * publisher's processor switched off with Axon's properties and the {@code noEvents} source
 * publishes nothing and keeps no token, while the other processors go on.
 */
class IntegrationPublisherSwitchedOffIT {

  static final String GROUP = KafkaIntegrationPublisher.PROCESSING_GROUP;

  @TempDir Path dataDir;

  @Test
  void aSwitchedOffPublisher_publishesNothing() {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    try (ConfigurableApplicationContext node =
        ParleyNode.start(
            dataDir,
            db,
            "--parley.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
            "--axon.eventhandling.processors." + GROUP + ".mode=subscribing",
            "--axon.eventhandling.processors." + GROUP + ".source=noEvents")) {
      assertThat(
              node.getBean(EventProcessingConfiguration.class)
                  .eventProcessor(GROUP, SubscribingEventProcessor.class))
          .isPresent();
      ApiClient api = ParleyNode.client(node);
      String alice = api.token("alice-switched-off", "USER");
      String room =
          api.postJson(
                  "/api/v1/conversations",
                  alice,
                  Map.of("title", "switched off", "participants", List.of("bob")))
              .json()
              .get("conversationId")
              .asText();
      assertThat(
              api.postJson(
                      "/api/v1/conversations/" + room + "/messages", alice, Map.of("text", "hi"))
                  .status())
          .isEqualTo(201);
      // The other processors handle the events: the message reaches the timeline.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                ApiClient.Response page =
                    api.get("/api/v1/conversations/" + room + "/messages", alice);
                return page.status() == 200 && page.json().get("items").size() == 1;
              });
      MeterRegistry meters = node.getBean(MeterRegistry.class);
      assertThat(
              meters.find("parley.integration.published").counters().stream()
                  .mapToDouble(c -> c.count())
                  .sum())
          .isZero();
      assertThat(
              node.getBean(JdbcTemplate.class)
                  .queryForObject(
                      "select count(*) from token_entry where processor_name = ?",
                      Integer.class,
                      GROUP))
          .isZero();
    } finally {
      TestDatabase.dropDatabase(db);
    }
  }
}
