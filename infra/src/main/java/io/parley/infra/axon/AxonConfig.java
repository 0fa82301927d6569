package io.parley.infra.axon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.parley.axon.savepoint.SavepointOnRetryHandlerEnhancer;
import io.parley.infra.Causes;
import io.parley.ops.processor.TokenTable;
import java.time.Clock;
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
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.SubscribableMessageSource;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Axon wiring every aggregate and processor shares: the clock, the metadata passed from message to
 * message, optimistic-concurrency retries of commands, and retries with a savepoint before an event
 * is dead-lettered. What belongs to one port lives with it ({@code infra.conversation}, {@code
 * infra.idempotency}); the storage engines are in {@link AxonStorageConfig}.
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
   * Replaces Axon's default provider: events carry the HTTP request id as {@code correlationId}
   * (API.md) and the caller as {@code actor}, and pass both on to everything they cause.
   */
  @Bean
  public CorrelationDataProvider correlationDataProvider() {
    return new SimpleCorrelationDataProvider(CORRELATION_ID, ACTOR);
  }

  /** A failing handler's batch is retried with a savepoint before its event is parked. */
  @Bean
  public SavepointOnRetryHandlerEnhancer savepointOnRetryHandlerEnhancer(
      PlatformTransactionManager transactionManager) {
    return new SavepointOnRetryHandlerEnhancer(transactionManager);
  }

  /** Events the savepoint retry failed on too are parked in the dead-letter queue. */
  @Bean
  public ConfigurerModule deadLetterPolicy() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerDefaultDeadLetterPolicy(
                c -> SavepointOnRetryHandlerEnhancer.deadLetterPolicy());
  }

  /**
   * An event source that never delivers anything: the source of a processor this node does not run.
   * Axon's own processor properties switch one off, for instance the audit chain in a benchmark run
   * measuring what it costs:
   *
   * <pre>
   * --axon.eventhandling.processors.audit-chain.mode=subscribing
   * --axon.eventhandling.processors.audit-chain.source=noEvents
   * </pre>
   *
   * Its handlers stay in the context (queries over its tables answer as before); its token is left
   * as it was, so switching it back on resumes from there.
   */
  @Bean
  public SubscribableMessageSource<EventMessage<?>> noEvents() {
    return processor -> () -> true;
  }

  /** How far each streaming processor is behind the store, read from its tokens. */
  @Bean
  public ProcessorLag processorLag(TokenTable tokens) {
    return new ProcessorLag(tokens);
  }

  /**
   * {@code parley.processor.lag{processor}} for every processor configured under {@code
   * axon.eventhandling.processors} (all of Parley's): the same value on every node, also for a
   * processor switched off or stopped (docs/architecture.md).
   */
  @Bean
  public MeterBinder processorLagGauges(ProcessorLag lag, EventProcessorProperties processors) {
    return registry -> processors.getProcessors().keySet().forEach(p -> lag.register(registry, p));
  }

  /**
   * Retries only what a retry can fix: a concurrent append to the same aggregate, or a decision
   * taken on a stale cached copy (both a {@link ConcurrencyException}). A stale copy is evicted
   * when its command fails, so the retry loads afresh.
   */
  @Bean
  public RetryScheduler commandRetryScheduler(MeterRegistry meters) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    Counter retries =
        Counter.builder(COMMAND_RETRIES)
            .description("Commands retried after a conflicting append or a stale cached copy")
            .register(meters);
    return new ConcurrencyRetryScheduler(
        IntervalRetryScheduler.builder().retryExecutor(executor).retryInterval(20).maxRetryCount(5),
        retries);
  }

  /** Commands the gateway retried (a conflict on the aggregate's sequence, a stale cached copy). */
  public static final String COMMAND_RETRIES = "parley.command.retries";

  /**
   * Axon's interval scheduler, deciding on the whole failure: Axon tests its predicate against the
   * failure and each of its causes on their own, so the SQL exception under a conflicting append's
   * {@code ConcurrencyException} would make the conflict look non-transient and never retried.
   */
  static final class ConcurrencyRetryScheduler extends IntervalRetryScheduler {
    private final Counter retries;

    ConcurrencyRetryScheduler(IntervalRetryScheduler.Builder builder, Counter retries) {
      super(builder);
      this.retries = retries;
    }

    @Override
    protected boolean isExplicitlyNonTransient(Throwable failure) {
      return !isConcurrencyFailure(failure);
    }

    @Override
    public boolean scheduleRetry(
        CommandMessage commandMessage,
        RuntimeException lastFailure,
        List<Class<? extends Throwable>[]> failures,
        Runnable dispatchTask) {
      boolean scheduled = super.scheduleRetry(commandMessage, lastFailure, failures, dispatchTask);
      if (scheduled) {
        retries.increment();
      }
      return scheduled;
    }
  }

  /**
   * Axon's gateway with {@link #commandRetryScheduler()}. Dispatch interceptor beans (the request's
   * correlation, actor and idempotency key) are registered on it by Axon's {@code
   * InterceptorAutoConfiguration}.
   */
  @Bean
  public CommandGateway commandGateway(CommandBus commandBus, RetryScheduler retryScheduler) {
    return DefaultCommandGateway.builder()
        .commandBus(commandBus)
        .retryScheduler(retryScheduler)
        .build();
  }

  static boolean isConcurrencyFailure(Throwable failure) {
    return Causes.find(failure, ConcurrencyException.class::isInstance).isPresent();
  }
}
