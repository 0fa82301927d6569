package io.parley.infra.conversation;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.parley.axon.cache.BoundedAggregateCache;
import io.parley.axon.cache.OptimisticCachingRepository;
import io.parley.command.conversation.ConversationAggregate;
import io.parley.command.conversation.SendRateLimit;
import io.parley.infra.ParleyProperties;
import io.parley.query.timeline.TimelineProjection;
import java.time.Duration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.RepositoryProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The conversation's adapters: its repository (cached, caught up, snapshotted), the send rate
 * limit's policy, the {@code clientMessageId} registry's cleanup, and the timeline's sequencing
 * policy.
 */
@Configuration(proxyBeanMethods = false)
public class ConversationConfig {

  static final String CLIENT_MESSAGE_CLEANUP_TASK = "client-message-id-cleanup";

  /**
   * Snapshot a conversation every N events, so loading one never replays more than N events
   * whatever its length.
   */
  @Bean
  public SnapshotTriggerDefinition conversationSnapshotTrigger(
      Snapshotter snapshotter, ParleyProperties properties) {
    return new EventCountSnapshotTriggerDefinition(
        snapshotter, properties.conversationSnapshotThreshold());
  }

  /**
   * Conversations are cached (bounded by {@code parley.conversation-cache-size}); a cached copy is
   * trusted for appends (a stale one fails on the (aggregate, sequence) key and is retried) and
   * checked against the store before a decision that appends nothing: see {@link
   * OptimisticCachingRepository}. Built here because Axon's caching repository does neither.
   */
  @Bean(ConversationAggregate.REPOSITORY)
  public Repository<ConversationAggregate> conversationRepository(
      EventStore eventStore,
      EventStorageEngine eventStorageEngine,
      SnapshotTriggerDefinition conversationSnapshotTrigger,
      ParameterResolverFactory parameterResolverFactory,
      HandlerDefinition handlerDefinition,
      ObjectProvider<org.axonframework.config.Configuration> axonConfiguration,
      ParleyProperties properties) {
    RepositoryProvider repositories =
        new RepositoryProvider() {
          @Override
          public <T> Repository<T> repositoryFor(Class<T> aggregateType) {
            return axonConfiguration.getObject().repository(aggregateType);
          }
        };
    return new OptimisticCachingRepository<>(
        EventSourcingRepository.builder(ConversationAggregate.class)
            .snapshotTriggerDefinition(conversationSnapshotTrigger)
            .parameterResolverFactory(parameterResolverFactory)
            .handlerDefinition(handlerDefinition)
            .repositoryProvider(repositories),
        eventStore,
        eventStorageEngine,
        new BoundedAggregateCache(properties.conversationCacheSize()));
  }

  /** The timeline is ordered by sender, so erasure can never be overtaken by a lagging segment. */
  @Bean
  public ConfigurerModule timelineSequencing() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerSequencingPolicy(
                TimelineProjection.PROCESSING_GROUP, c -> new SubjectOrderedSequencingPolicy());
  }

  /**
   * The send rate limit ({@code parley.rate-limit.*}). The conversation keeps its state and takes
   * this policy as a parameter of its send handler and of its event-sourcing handlers (Axon
   * resolves both through the repository's {@link ParameterResolverFactory}, Spring beans included;
   * ADR 0020).
   */
  @Bean
  public SendRateLimit sendRateLimit(RateLimitProperties properties) {
    return new SendRateLimit(properties.messages(), properties.period());
  }

  /** {@code clientMessageId}s older than {@code parley.idempotency-key-retention}, once an hour. */
  @Bean
  public RecurringTask<Void> clientMessageCleanupTask(
      JooqClientMessageRegistry clientMessages, ParleyProperties properties) {
    Duration retention = properties.idempotencyKeyRetention();
    return Tasks.recurring(CLIENT_MESSAGE_CLEANUP_TASK, FixedDelay.of(Duration.ofHours(1)))
        .execute((instance, context) -> clientMessages.forgetOlderThan(retention));
  }
}
