package io.parley.infra.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Sends integration records to Kafka with {@code kafka-clients}: an idempotent producer, {@code
 * acks=all}, the key as a UTF-8 string, the value as JSON {@code {type, version, eventId,
 * occurredAt, …}} (or {@code null}, a tombstone), headers {@code eventId}, {@code eventType} and
 * {@code correlationId}, the record's timestamp the event's.
 *
 * <p>A {@link Batch} collects the sends of one batch of events; {@link #awaitAcknowledged} waits
 * until the broker acknowledged every one of them, or fails. After a failure the producer is closed
 * and the next batch opens a new one, creating any missing topic first (a broker that came back
 * empty, or a first start while the broker was down). Record values are never logged.
 *
 * <p>Meters: {@code parley.integration.published{topic}} (records acknowledged), {@code
 * parley.integration.publish.latency} (send to acknowledgement, per record) and {@code
 * parley.integration.errors{exception}} (failed batches by the failure's type).
 */
public class KafkaIntegrationProducer implements DisposableBean {

  public static final String EVENT_ID = "eventId";
  public static final String EVENT_TYPE = "eventType";
  public static final String CORRELATION_ID = "correlationId";

  private static final Logger log = LoggerFactory.getLogger(KafkaIntegrationProducer.class);

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final IntegrationKafkaProperties properties;
  private final KafkaIntegrationTopics topics;
  private final MeterRegistry meters;
  private final Timer latency;
  private final Map<String, Counter> published = new HashMap<>();
  private Producer<String, byte[]> producer;

  public KafkaIntegrationProducer(IntegrationKafkaProperties properties, MeterRegistry meters) {
    this.properties = properties;
    this.topics = new KafkaIntegrationTopics(properties);
    this.meters = meters;
    this.latency =
        Timer.builder("parley.integration.publish.latency")
            .description("Time from sending an integration record to the broker's acknowledgement")
            .register(meters);
    for (String topic : io.parley.api.integration.IntegrationTopics.ALL) {
      published.put(
          topic,
          Counter.builder("parley.integration.published")
              .description("Integration records the broker acknowledged, by topic")
              .tag("topic", topic)
              .register(meters));
    }
  }

  /** The sends of one batch of events. */
  public static final class Batch {
    private final List<Sent> sent = new ArrayList<>();
    private Throwable failure;

    public int size() {
      return sent.size();
    }
  }

  private record Sent(String topic, Future<RecordMetadata> acknowledged) {}

  /**
   * Sends {@code record} as part of {@code batch}. Does not throw for Kafka's failures: the batch
   * remembers the first and sends nothing more (each send could block for the broker), and {@link
   * #awaitAcknowledged} fails it.
   */
  public synchronized void send(
      IntegrationRecord record, Instant occurredAt, String correlationId, Batch batch) {
    if (batch.failure != null) {
      return;
    }
    byte[] value = record.isTombstone() ? null : json(record);
    RecordHeaders headers = new RecordHeaders();
    headers.add(EVENT_ID, utf8(record.eventId()));
    headers.add(EVENT_TYPE, utf8(record.type()));
    if (correlationId != null) {
      headers.add(CORRELATION_ID, utf8(correlationId));
    }
    ProducerRecord<String, byte[]> kafkaRecord =
        new ProducerRecord<>(
            record.topic(), null, occurredAt.toEpochMilli(), record.key(), value, headers);
    long start = System.nanoTime();
    try {
      Future<RecordMetadata> acknowledged =
          producer()
              .send(
                  kafkaRecord,
                  (metadata, exception) -> {
                    if (exception == null) {
                      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    }
                  });
      batch.sent.add(new Sent(record.topic(), acknowledged));
    } catch (RuntimeException failure) {
      batch.failure = failure;
    }
  }

  /**
   * Waits until the broker acknowledged every record of {@code batch}; throws {@link
   * KafkaUnavailableException} if any failed, so that the batch rolls back and the processor's
   * token stays before it.
   */
  public synchronized void awaitAcknowledged(Batch batch) {
    Throwable failure = batch.failure;
    if (failure == null && !batch.sent.isEmpty()) {
      try {
        producer.flush(); // sends what linger.ms still holds, waits for every acknowledgement
        for (Sent sent : batch.sent) {
          sent.acknowledged().get(properties.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (ExecutionException e) {
        failure = e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = e;
      } catch (TimeoutException | RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      String type = failure.getClass().getSimpleName();
      Counter.builder("parley.integration.errors")
          .description("Batches of integration records that failed to publish, by failure type")
          .tag("exception", type)
          .register(meters)
          .increment();
      log.warn(
          "Publishing a batch of {} integration records to Kafka failed ({}); it is retried",
          batch.sent.size(),
          type);
      discard();
      throw new KafkaUnavailableException(
          "Publishing " + batch.sent.size() + " integration records failed (" + type + ")",
          failure);
    }
    Map<String, Integer> perTopic = new LinkedHashMap<>();
    for (Sent sent : batch.sent) {
      perTopic.merge(sent.topic(), 1, Integer::sum);
    }
    perTopic.forEach((topic, count) -> published.get(topic).increment(count));
  }

  private Producer<String, byte[]> producer() {
    if (producer == null) {
      try (Admin admin = Admin.create(adminConfig())) {
        topics.createMissing(admin, properties.deliveryTimeout().toMillis());
      }
      producer = new KafkaProducer<>(producerConfig());
    }
    return producer;
  }

  /** Closes the producer after a failure; the next send opens a new one. */
  private void discard() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException ignored) {
        // closing a producer whose broker is gone: nothing to keep
      }
      producer = null;
    }
  }

  @Override
  public synchronized void destroy() {
    if (producer != null) {
      producer.close(properties.deliveryTimeout());
      producer = null;
    }
  }

  Map<String, Object> producerConfig() {
    long delivery = properties.deliveryTimeout().toMillis();
    Map<String, Object> config = new HashMap<>(properties.properties());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "parley-integration-events");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (delivery / 2));
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery / 2);
    config.putIfAbsent(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  Map<String, Object> adminConfig() {
    long delivery = properties.deliveryTimeout().toMillis();
    Map<String, Object> config = new HashMap<>(properties.properties());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
    config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "parley-integration-topics");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (delivery / 2));
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) delivery);
    return config;
  }

  /** The record's value: {@code {type, version, eventId, occurredAt, …its fields}}. */
  static byte[] json(IntegrationRecord record) {
    ObjectNode value = JSON.createObjectNode();
    value.put("type", record.value().type());
    value.put("version", record.value().version());
    value.setAll((ObjectNode) JSON.valueToTree(record.value()));
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a " + record.type() + " record", e);
    }
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
