package io.parley.infra.ops;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.parley.axon.saga.JdbcSagaJournal;
import io.parley.axon.saga.SagaDeadlineIndex;
import io.parley.axon.saga.SagaJournalHandlerEnhancer;
import io.parley.infra.privacy.MasterKeys;
import io.parley.ops.saga.AssociationMask;
import io.parley.ops.saga.SagaReadService;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurationScopeAwareProvider;
import org.axonframework.config.SagaConfiguration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineManagerSpanFactory;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;

/**
 * The ops console's saga view ({@code ops} io.parley.ops.saga) and the saga journal it reads
 * ({@code axon-support} io.parley.axon.saga, table V25): the journal's handler enhancer, the
 * deadline manager that indexes saga deadlines, and the recurring prune (docs/ops.md "Sagas").
 */
@Configuration(proxyBeanMethods = false)
public class SagaOpsConfig {

  private static final Logger log = LoggerFactory.getLogger(SagaOpsConfig.class);

  static final String PRUNE_TASK = "saga-journal-prune";

  /** Handled events kept (and shown) per saga instance: the newest. */
  static final int EVENTS_PER_SAGA = 50;

  /** How long an ended saga's journal is kept. */
  static final Duration RETENTION = Duration.ofDays(7);

  static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

  /** Association keys whose UUID values name things, not people (AssociationMask). */
  static final Set<String> CLEAR_ASSOCIATION_KEYS = Set.of("cardId", "conversationId", "erasureId");

  @Bean
  public JdbcSagaJournal sagaJournal(ConnectionProvider connections) {
    return new JdbcSagaJournal(
        connections,
        EVENTS_PER_SAGA,
        "saga_entry",
        "scheduled_tasks",
        SagaReadService.DEADLINE_TASK);
  }

  @Bean
  public SagaJournalHandlerEnhancer sagaJournalHandlerEnhancer(
      JdbcSagaJournal journal, Clock clock) {
    return new SagaJournalHandlerEnhancer(journal, clock);
  }

  /**
   * The deadline index, where deadlines are db-scheduler's ({@code db-scheduler.enabled}, the
   * default). Axon's own db-scheduler configuration steps back when a {@link DeadlineManager} bean
   * exists, so the manager is built here as it would build it. With db-scheduler switched off (a
   * test node) Axon's default deadline manager is used unchanged and no deadline is shown.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "db-scheduler.enabled", havingValue = "true", matchIfMissing = true)
  static class DeadlineIndexConfig {

    /**
     * Axon's db-scheduler deadline manager, built as its auto-configuration would (which steps back
     * when a {@link DeadlineManager} bean exists); its deadline task looks it up by this type.
     */
    @Bean
    public DbSchedulerDeadlineManager dbSchedulerDeadlineManager(
        Scheduler scheduler,
        @Lazy org.axonframework.config.Configuration configuration,
        @Qualifier("eventSerializer") Serializer serializer,
        TransactionManager transactionManager,
        DeadlineManagerSpanFactory spanFactory) {
      return DbSchedulerDeadlineManager.builder()
          .scheduler(scheduler)
          .scopeAwareProvider(new ConfigurationScopeAwareProvider(configuration))
          .serializer(serializer)
          .transactionManager(transactionManager)
          .spanFactory(spanFactory)
          .startScheduler(false)
          .stopScheduler(false)
          .build();
    }

    /** The deadline manager sagas get: the one above, indexing which saga scheduled what. */
    @Bean
    @Primary
    public DeadlineManager deadlineManager(
        DbSchedulerDeadlineManager deadlines, JdbcSagaJournal journal, Clock clock) {
      return new SagaDeadlineIndex(deadlines, journal, clock);
    }
  }

  /** Deletes the journal of sagas ended more than {@link #RETENTION} ago, hourly, on one node. */
  @Bean
  public RecurringTask<Void> sagaJournalPruneTask(JdbcSagaJournal journal, Clock clock) {
    return Tasks.recurring(PRUNE_TASK, FixedDelay.of(PRUNE_INTERVAL))
        .execute(
            (instance, context) -> {
              JdbcSagaJournal.Pruned pruned = journal.prune(clock.instant(), RETENTION);
              log.debug("Saga journal pruned: {}", pruned);
            });
  }

  /**
   * The pseudonyms the operations console shows instead of values that may name a person: saga
   * associations and dead-letter sequences (docs/ops.md), keyed from the master key.
   */
  @Bean
  public AssociationMask opsPseudonyms(MasterKeys masterKeys) {
    return new AssociationMask(
        masterKeys.derive("parley-ops-association-pseudonym"), CLEAR_ASSOCIATION_KEYS);
  }

  @Bean
  public SagaReadService sagaReadService(
      DSLContext db, AssociationMask mask, @Lazy org.axonframework.config.Configuration axon) {
    return new SagaReadService(
        db,
        mask,
        () ->
            axon.eventProcessingConfiguration().sagaConfigurations().stream()
                .map(SagaConfiguration::type)
                .map(Class::getName)
                .toList(),
        EVENTS_PER_SAGA);
  }
}
