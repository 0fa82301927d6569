package io.parley.infra.axon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.axon.cache.RecheckCachedAggregatesInterceptor;
import io.parley.axon.commandbatch.GroupCommitCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.springframework.context.annotation.Bean;

/**
 * The command bus: Axon's simple bus with group commit ({@link GroupCommitCommandBus}, ADR 0021),
 * built with what Axon's auto-configuration gives its own (transaction manager, monitors, spans,
 * correlation data). Closing the context lets the committer finish what is queued ({@link
 * GroupCommitCommandBus#close()}). Handler interceptor beans (idempotency keys, the cache re-check)
 * are registered on it by Axon's {@code InterceptorAutoConfiguration}.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class CommandBusConfig {

  /** Batch sizes: how many commands shared a transaction. */
  static final String BATCH_SIZE = "parley.command.batch.size";

  /** Commands waiting for the committer. */
  static final String QUEUED = "parley.command.batch.queued";

  /** Batches rolled back and handled one command at a time. */
  static final String BATCHES_HANDLED_ALONE = "parley.command.batch.handled.alone";

  @Bean
  public GroupCommitCommandBus commandBus(
      TransactionManager transactionManager,
      Configuration axonConfiguration,
      DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
      CommandBatchProperties properties,
      MeterRegistry meters) {
    DistributionSummary sizes =
        DistributionSummary.builder(BATCH_SIZE)
            .description("Commands handled in one transaction (group commit)")
            .register(meters);
    Counter alone =
        Counter.builder(BATCHES_HANDLED_ALONE)
            .description("Command batches rolled back and handled one command at a time")
            .register(meters);
    GroupCommitCommandBus.Builder builder =
        GroupCommitCommandBus.builder()
            .maxBatchSize(properties.maxSize())
            .committers(properties.committers())
            .window(properties.window())
            .observer(
                new GroupCommitCommandBus.BatchObserver() {
                  @Override
                  public void batchStarted(int size) {
                    sizes.record(size);
                  }

                  @Override
                  public void batchHandledAlone(int size) {
                    alone.increment();
                  }
                })
            .transactionManager(transactionManager);
    builder
        .duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
        .spanFactory(axonConfiguration.getComponent(CommandBusSpanFactory.class))
        .messageMonitor(axonConfiguration.messageMonitor(CommandBus.class, "commandBus"));
    GroupCommitCommandBus bus = builder.build();
    bus.registerHandlerInterceptor(
        new CorrelationDataInterceptor<>(axonConfiguration.correlationDataProviders()));
    Gauge.builder(QUEUED, bus, GroupCommitCommandBus::queued)
        .description("Commands waiting for the command batch thread")
        .register(meters);
    return bus;
  }

  /** A decision that appended nothing on a cached aggregate is checked against the store. */
  @Bean
  public RecheckCachedAggregatesInterceptor recheckCachedAggregatesInterceptor() {
    return new RecheckCachedAggregatesInterceptor();
  }
}
