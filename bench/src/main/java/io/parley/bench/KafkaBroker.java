package io.parley.bench;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A single-node KRaft broker in its own JVM for benchmark runs with the Kafka publisher on: the
 * in-process broker the tests use (spring-kafka-test), printed as one line {@code
 * bootstrap.servers=host:port} on standard output once it is up, stopped with the JVM.
 *
 * <pre>java -cp parley-bench.jar io.parley.bench.KafkaBroker</pre>
 */
public final class KafkaBroker {

  private KafkaBroker() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerListProperty(null);
    broker.brokerProperties(Map.of("auto.create.topics.enable", "false"));
    broker.afterPropertiesSet();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
    System.out.println("bootstrap.servers=" + broker.getBrokersAsString());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
