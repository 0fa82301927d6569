package io.parley.infra.integration;

import io.parley.api.integration.IntegrationTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads Parley's topics from the beginning, as raw bytes, the way an outside consumer would: no
 * consumer group, every partition. Test code.
 */
final class TopicReader implements AutoCloseable {

  /** One consumed record, with its raw bytes. */
  record Received(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      Map<String, byte[]> headers) {

    String keyText() {
      return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    String valueText() {
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    String header(String name) {
      byte[] bytes = headers.get(name);
      return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    boolean isTombstone() {
      return value == null;
    }

    /** Every byte of the record: key, value, header names and values. */
    List<byte[]> allBytes() {
      List<byte[]> all = new ArrayList<>();
      if (key != null) {
        all.add(key);
      }
      if (value != null) {
        all.add(value);
      }
      headers.forEach(
          (name, bytes) -> {
            all.add(name.getBytes(StandardCharsets.UTF_8));
            if (bytes != null) {
              all.add(bytes);
            }
          });
      return all;
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Received> received = new ArrayList<>();

  TopicReader(String bootstrapServers) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
  }

  /**
   * Polls every partition of Parley's topics from the beginning until {@code until} holds for
   * everything received so far, or fails after {@code timeout}. The topics must exist.
   */
  List<Received> readUntil(Predicate<List<Received>> until, Duration timeout) {
    if (consumer.assignment().isEmpty()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : IntegrationTopics.ALL) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(10))
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    Instant deadline = Instant.now().plus(timeout);
    while (!until.test(received)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "Not all expected records arrived within " + timeout + "; got " + received.size());
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        Map<String, byte[]> headers = new java.util.LinkedHashMap<>();
        for (Header header : record.headers()) {
          headers.put(header.key(), header.value());
        }
        received.add(
            new Received(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                headers));
      }
    }
    return List.copyOf(received);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
