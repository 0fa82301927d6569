package io.parley.testsupport;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The one place tests get their Kafka broker, chosen in the same order as {@link TestDatabase}:
 *
 * <ol>
 *   <li>an external broker: {@code PARLEY_TEST_KAFKA} (its bootstrap servers);
 *   <li>Testcontainers' Kafka, when a Docker engine answers;
 *   <li>an in-process KRaft broker (spring-kafka-test's {@code EmbeddedKafkaKraftBroker}).
 * </ol>
 *
 * One broker per test JVM ({@link #bootstrapServers()}), stopped when the JVM ends. Topics are
 * shared across tests: a test recognises its own records (by event id), never assumes a topic is
 * empty. A test that must stop and restart its broker takes one of its own from {@link
 * #restartableBroker()}, always in-process, whatever the environment says.
 */
public final class TestKafka {

  private static String bootstrapServers;

  private TestKafka() {}

  /** The shared broker's bootstrap servers, started on first use. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers = start();
    }
    return bootstrapServers;
  }

  /**
   * A broker of this test's own, in-process, that it can stop and start again at the same address
   * ({@link RestartableKafka}).
   */
  public static RestartableKafka restartableBroker() {
    return RestartableKafka.open();
  }

  private static String start() {
    String external = System.getenv("PARLEY_TEST_KAFKA");
    if (external != null && !external.isBlank()) {
      return external;
    }
    if (TestDatabase.dockerAnswers()) {
      var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka-native:3.8.0");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return container.getBootstrapServers();
    }
    EmbeddedKafkaKraftBroker broker = inProcess(Map.of());
    Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
    return broker.getBrokersAsString();
  }

  /** A started single-node KRaft broker in this JVM, with {@code properties} on top. */
  static EmbeddedKafkaKraftBroker inProcess(Map<String, String> properties) {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    // No system property with its address (spring.kafka.bootstrap-servers by default): tests pass
    // the address on explicitly.
    broker.brokerListProperty(null);
    broker.brokerProperties(
        Map.of(
            "auto.create.topics.enable", "false",
            "log.cleaner.backoff.ms", "1000"));
    broker.brokerProperties(properties);
    try {
      broker.afterPropertiesSet();
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot start the in-process Kafka broker for tests", e);
    }
    return broker;
  }
}
