package io.parley.infra.integration;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.infra.ParleyApplication;
import io.parley.infra.axon.ProcessorLag;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.BulkStore;
import io.parley.infra.support.BulkStore.Cpu;
import io.parley.infra.support.IsolatedDatabaseInitializer;
import io.parley.testsupport.TestKafka;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Not part of the test suite (its name matches neither *Test nor *IT): the Kafka publisher catching
 * up a store of {@code -Dbench.events} events (default 100,000) into the in-process broker
 * (docs/benchmarks.md "Kafka publisher"). Real events from the API are cloned in bulk while every
 * processor is stopped; then the publisher alone publishes them: events/s, and this JVM's and
 * PostgreSQL's CPU per event (the broker runs in this JVM too). Run:
 *
 * <pre>
 * mvn -B verify -pl infra -am -Dtest=KafkaPublisherBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Djacoco.skip=true -Dbench.events=100000
 * </pre>
 */
@SpringBootTest(
    classes = ParleyApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"parley.data-dir=target/it-data", "parley.rate-limit.messages=100000"})
@ContextConfiguration(initializers = IsolatedDatabaseInitializer.class)
class KafkaPublisherBenchmark {

  static final long EVENTS = Long.getLong("bench.events", 100_000);

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry properties) {
    properties.add("parley.kafka.bootstrap-servers", TestKafka::bootstrapServers);
  }

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired EventProcessingConfiguration processing;
  @Autowired MeterRegistry meters;

  @Test
  void catchUpAHundredThousandEvents() throws Exception {
    BulkStore store = new BulkStore(jdbc);
    BulkStore.conversations(new ApiClient(port), 20);
    awaitPublished();
    processing.eventProcessors().values().forEach(EventProcessor::shutDown);
    double publishedBefore = published();

    long started = System.nanoTime();
    long stored = store.fillTo(EVENTS);
    report("bulk fill to %,d rows: %.1f s", stored, BulkStore.seconds(started));

    Cpu before = store.cpu();
    started = System.nanoTime();
    processing
        .eventProcessorByProcessingGroup(KafkaIntegrationPublisher.PROCESSING_GROUP)
        .orElseThrow()
        .start();
    awaitPublished();
    double seconds = BulkStore.seconds(started);
    Cpu used = store.cpu().minus(before);
    double records = published() - publishedBefore;
    report(
        "publisher catch-up: %,.0f records in %.1f s (%.0f events/s); CPU per event: JVM (with"
            + " the broker) %.1f µs, PostgreSQL %.1f µs",
        records,
        seconds,
        records / seconds,
        used.jvmNanos() / 1e3 / records,
        used.postgresNanos() / 1e3 / records);
  }

  private void awaitPublished() {
    Awaitility.await()
        .atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lag() == 0);
  }

  private double lag() {
    return meters
        .get(ProcessorLag.METER)
        .tag("processor", KafkaIntegrationPublisher.PROCESSING_GROUP)
        .gauge()
        .value();
  }

  private double published() {
    return meters.get("parley.integration.published").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static void report(String format, Object... arguments) {
    System.out.println("KAFKA-PUBLISHER-BENCH " + String.format(format, arguments));
  }
}
