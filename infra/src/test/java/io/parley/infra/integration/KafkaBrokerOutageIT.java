package io.parley.infra.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.integration.IntegrationTopics;
import io.parley.infra.axon.ProcessorLag;
import io.parley.infra.integration.TopicReader.Received;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.RestartableKafka;
import io.parley.testsupport.TestDatabase;
import io.parley.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A broker outage delays publishing and loses nothing. A node publishes to a broker of the test's
 * own ({@link RestartableKafka}); the test reads what it published, stops the broker, goes on
 * sending messages (the API does not wait for Kafka), sees the publisher fail and its token stay
 * behind, starts a broker again at the same address and reads what is published then.
 *
 * <p>The in-process broker restarts empty (a fresh log directory: spring-kafka-test's KRaft broker
 * cannot reopen one), so the records published before the stop are read from the first broker
 * before it stops, and the union of both reads is checked: every stored event of a published type
 * is there at least once, no record names an event that is not stored, and the copies of one event
 * (a batch published again after a failure) are the same record — same topic, key and value. Topics
 * are created again on the new broker by the publisher itself (it creates missing topics whenever
 * it opens a producer after a failure).
 */
class KafkaBrokerOutageIT {

  @TempDir Path dataDir;

  @Test
  void aBrokerOutage_delaysPublishing_andLosesNothing() throws Exception {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    try (RestartableKafka kafka = TestKafka.restartableBroker();
        ConfigurableApplicationContext node =
            ParleyNode.start(
                dataDir,
                db,
                "--parley.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--parley.kafka.delivery-timeout=PT3S")) {
      ApiClient api = ParleyNode.client(node);
      JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
      MeterRegistry meters = node.getBean(MeterRegistry.class);
      String alice = api.token("alice-outage", "USER");
      String room =
          api.postJson(
                  "/api/v1/conversations",
                  alice,
                  Map.of("title", "outage", "participants", List.of("bob-outage")))
              .json()
              .get("conversationId")
              .asText();
      send(api, alice, room, 0, 5);

      // Before the outage: everything so far is on the first broker.
      List<Received> before = readUntilPublished(kafka, jdbc, List.of());
      assertThat(before).isNotEmpty();

      kafka.stop();
      send(api, alice, room, 5, 10); // answered at once: the store is the outbox
      long head = head(jdbc);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> errors(meters) > 0); // the publisher tried, and the batch failed
      assertThat(position(jdbc)).isLessThan(head); // its token did not pass the unpublished events

      kafka.start();
      List<Received> after = readUntilPublished(kafka, jdbc, before);

      List<Received> all = new ArrayList<>(before);
      all.addAll(after);
      Set<String> storedIds =
          new HashSet<>(
              jdbc.queryForList("select event_identifier from domain_event_entry", String.class));
      Set<String> publishedIds = publishedEventIds(jdbc);
      Map<String, List<Received>> byEventId =
          all.stream().collect(Collectors.groupingBy(r -> r.header("eventId")));
      assertThat(byEventId.keySet()).containsAll(publishedIds); // none missing
      assertThat(storedIds).containsAll(byEventId.keySet()); // nothing invented
      byEventId.forEach(
          (eventId, copies) -> {
            Received first = copies.get(0);
            for (Received copy : copies) {
              assertThat(copy.topic()).isEqualTo(first.topic());
              assertThat(copy.keyText()).isEqualTo(first.keyText());
              assertThat(Arrays.equals(copy.value(), first.value())).as(eventId).isTrue();
            }
          });
      assertThat(after.stream().filter(r -> "MessageSent".equals(r.header("eventType"))).count())
          .as("the messages sent during the outage, published after it")
          .isGreaterThanOrEqualTo(5);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  meters
                          .get(ProcessorLag.METER)
                          .tag("processor", KafkaIntegrationPublisher.PROCESSING_GROUP)
                          .gauge()
                          .value()
                      == 0.0);
    } finally {
      TestDatabase.dropDatabase(db);
    }
  }

  static void send(ApiClient api, String token, String room, int from, int to) {
    for (int i = from; i < to; i++) {
      assertThat(
              api.postJson(
                      "/api/v1/conversations/" + room + "/messages",
                      token,
                      Map.of("text", "message " + i))
                  .status())
          .isEqualTo(201);
    }
  }

  /**
   * Reads the broker from the beginning until it and {@code earlier} (read from a broker before a
   * restart) hold every stored event of a published type present now.
   */
  static List<Received> readUntilPublished(
      RestartableKafka kafka, JdbcTemplate jdbc, List<Received> earlier) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      await()
          .atMost(Duration.ofSeconds(45))
          .until(() -> admin.listTopics().names().get().containsAll(IntegrationTopics.ALL));
    }
    Set<String> expected = publishedEventIds(jdbc);
    earlier.forEach(r -> expected.remove(r.header("eventId")));
    try (TopicReader reader = new TopicReader(kafka.bootstrapServers())) {
      return reader.readUntil(
          received ->
              received.stream()
                  .map(r -> r.header("eventId"))
                  .collect(Collectors.toSet())
                  .containsAll(expected),
          Duration.ofSeconds(45));
    }
  }

  static Set<String> publishedEventIds(JdbcTemplate jdbc) {
    Map<String, String> types = new HashMap<>(KafkaIntegrationPublisherIT.TOPIC_OF);
    return new HashSet<>(
        jdbc.queryForList(
            "select event_identifier from domain_event_entry where payload_type in ("
                + String.join(",", types.keySet().stream().map(t -> "'" + t + "'").toList())
                + ")",
            String.class));
  }

  static long head(JdbcTemplate jdbc) {
    return jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
  }

  /** The publisher's stored token position (its JSON token's {@code index}). */
  static long position(JdbcTemplate jdbc) {
    String token =
        jdbc.queryForObject(
            "select convert_from(token, 'UTF8') from token_entry where processor_name = ?",
            String.class,
            KafkaIntegrationPublisher.PROCESSING_GROUP);
    var index = java.util.regex.Pattern.compile("\"index\"\\s*:\\s*(\\d+)").matcher(token);
    assertThat(index.find()).as(token).isTrue();
    return Long.parseLong(index.group(1));
  }

  static double errors(MeterRegistry meters) {
    return meters.find("parley.integration.errors").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
