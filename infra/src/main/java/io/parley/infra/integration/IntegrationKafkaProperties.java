package io.parley.infra.integration;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka publisher's settings ({@code parley.kafka.*}, docs/integration-events.md).
 *
 * @param bootstrapServers the brokers ({@code PARLEY_KAFKA_BOOTSTRAP_SERVERS}); blank: the
 *     publisher is off on this node
 * @param partitions partitions of each topic Parley creates (existing topics are left alone)
 * @param replicationFactor replication of each topic Parley creates; unset: the broker's {@code
 *     default.replication.factor}
 * @param deliveryTimeout how long a batch's records may take to be acknowledged before the batch
 *     fails and is retried (Kafka's {@code delivery.timeout.ms}); keep it well under Axon's token
 *     claim timeout (10 s) so that another node does not take the segment over meanwhile
 * @param properties further Kafka client settings for the producer and the admin client (TLS, SASL,
 *     …), by Kafka's own names; they cannot turn off idempotence or {@code acks=all}
 */
@ConfigurationProperties("parley.kafka")
public record IntegrationKafkaProperties(
    String bootstrapServers,
    @DefaultValue("6") int partitions,
    Short replicationFactor,
    @DefaultValue("PT8S") Duration deliveryTimeout,
    Map<String, String> properties) {

  public IntegrationKafkaProperties {
    if (partitions < 1) {
      throw new IllegalArgumentException("parley.kafka.partitions must be at least 1");
    }
    if (deliveryTimeout.toMillis() < 2_000) {
      throw new IllegalArgumentException("parley.kafka.delivery-timeout must be at least 2s");
    }
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  public boolean enabled() {
    return bootstrapServers != null && !bootstrapServers.isBlank();
  }
}
