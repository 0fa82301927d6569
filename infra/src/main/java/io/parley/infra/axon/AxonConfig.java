package io.parley.infra.axon;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.parley.command.conversation.ConversationAggregate;
import io.parley.infra.Causes;
import io.parley.infra.ParleyProperties;
import io.parley.infra.conversation.JooqClientMessageRegistry;
import io.parley.infra.privacy.SubjectOrderedSequencingPolicy;
import io.parley.infra.web.RequestCorrelation;
import io.parley.query.timeline.TimelineProjection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.RepositoryProvider;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon customisations: snapshots for conversations, optimistic-concurrency retries, and the request
 * id / actor carried from HTTP into every message's metadata.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {

  /** Metadata keys copied from each handled message onto the messages it causes. */
  public static final String CORRELATION_ID = "correlationId";

  public static final String ACTOR = "actor";

  @Bean
  public Clock clock() {
    return Clock.systemUTC();
  }

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
   * Replaces Axon's default provider: events carry the HTTP request id as {@code correlationId}
   * (API.md) and the caller as {@code actor}, and pass both on to everything they cause.
   */
  @Bean
  public CorrelationDataProvider correlationDataProvider() {
    return new SimpleCorrelationDataProvider(CORRELATION_ID, ACTOR);
  }

  /**
   * Conversations are cached (bounded by {@code parley.conversation-cache-size}) and caught up from
   * the event store before each command: see {@link CatchingUpCachingRepository}. Built here rather
   * than by Axon's defaults because Axon offers no catch-up on a cache hit.
   */
  @Bean(ConversationAggregate.REPOSITORY)
  public Repository<ConversationAggregate> conversationRepository(
      EventStore eventStore,
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
    return new CatchingUpCachingRepository<>(
        EventSourcingRepository.builder(ConversationAggregate.class)
            .snapshotTriggerDefinition(conversationSnapshotTrigger)
            .parameterResolverFactory(parameterResolverFactory)
            .handlerDefinition(handlerDefinition)
            .repositoryProvider(repositories),
        eventStore,
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

  /** A failing handler's batch is retried with a savepoint before its event is parked. */
  @Bean
  public ConfigurerModule deadLetterPolicy() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerDefaultDeadLetterPolicy(
                c -> SavepointOnRetryHandlerEnhancer.deadLetterPolicy());
  }

  /**
   * Commands sent with an {@code Idempotency-Key} answer a retry with the first outcome; see {@link
   * IdempotencyKeyInterceptor}. Axon's {@code InterceptorAutoConfiguration} registers a command
   * handler interceptor bean on the command bus (registering it here as well would run it twice),
   * where it runs inside the command's transaction.
   */
  @Bean
  public IdempotencyKeyInterceptor idempotencyKeyInterceptor(DSLContext db, Serializer serializer) {
    return new IdempotencyKeyInterceptor(db, serializer);
  }

  /**
   * Idempotency keys and {@code clientMessageId}s older than {@code
   * parley.idempotency-key-retention} are forgotten, once an hour.
   */
  @Bean
  public RecurringTask<Void> idempotencyKeyCleanupTask(
      IdempotencyKeyInterceptor keys,
      JooqClientMessageRegistry clientMessages,
      ParleyProperties properties) {
    Duration retention = properties.idempotencyKeyRetention();
    return Tasks.recurring("idempotency-key-cleanup", FixedDelay.of(Duration.ofHours(1)))
        .execute(
            (instance, context) -> {
              keys.forgetKeysOlderThan(retention);
              clientMessages.forgetOlderThan(retention);
            });
  }

  /** Retries only what a retry can fix: a concurrent append to the same aggregate. */
  @Bean
  public RetryScheduler commandRetryScheduler() {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    return IntervalRetryScheduler.builder()
        .retryExecutor(executor)
        .retryInterval(20)
        .maxRetryCount(5)
        .nonTransientFailurePredicate(failure -> !isConcurrencyFailure(failure))
        .build();
  }

  @Bean
  public CommandGateway commandGateway(CommandBus commandBus, RetryScheduler retryScheduler) {
    MessageDispatchInterceptor<CommandMessage<?>> correlation =
        messages -> (index, command) -> command.andMetaData(RequestCorrelation.currentMetaData());
    return DefaultCommandGateway.builder()
        .commandBus(commandBus)
        .retryScheduler(retryScheduler)
        .dispatchInterceptors(List.of(correlation))
        .build();
  }

  static boolean isConcurrencyFailure(Throwable failure) {
    return Causes.find(failure, ConcurrencyException.class::isInstance).isPresent();
  }
}
