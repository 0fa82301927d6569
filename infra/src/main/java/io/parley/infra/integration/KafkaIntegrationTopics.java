package io.parley.infra.integration;

import io.parley.api.integration.IntegrationTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Parley's topics if they are absent (existing topics are never changed): {@link
 * #partitions} partitions each, the configured replication (or the broker's default), {@code
 * cleanup.policy=delete} with the broker's retention, except {@link IntegrationTopics#SUBJECTS},
 * which is compacted so that a subject's tombstone removes their records.
 */
final class KafkaIntegrationTopics {

  private final int partitions;
  private final Optional<Short> replicationFactor;

  KafkaIntegrationTopics(IntegrationKafkaProperties properties) {
    this.partitions = properties.partitions();
    this.replicationFactor = Optional.ofNullable(properties.replicationFactor());
  }

  /** The topics as Parley creates them. */
  List<NewTopic> definitions() {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : IntegrationTopics.ALL) {
      String cleanup =
          name.equals(IntegrationTopics.SUBJECTS)
              ? TopicConfig.CLEANUP_POLICY_COMPACT
              : TopicConfig.CLEANUP_POLICY_DELETE;
      topics.add(
          new NewTopic(name, Optional.of(partitions), replicationFactor)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup)));
    }
    return topics;
  }

  /** Creates the topics that do not exist yet; fails if the broker cannot be asked in time. */
  void createMissing(Admin admin, long timeoutMillis) {
    try {
      Set<String> existing = admin.listTopics().names().get(timeoutMillis, TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          definitions().stream().filter(topic -> !existing.contains(topic.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      for (var created : admin.createTopics(missing).values().values()) {
        try {
          created.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e; // another node may have created it meanwhile: that one is fine
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating the Kafka topics", e);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException("Cannot create the Kafka topics", e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Cannot create the Kafka topics in time", e);
    }
  }
}
