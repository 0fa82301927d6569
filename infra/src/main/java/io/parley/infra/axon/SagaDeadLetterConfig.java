package io.parley.infra.axon;

import io.parley.axon.saga.SagaDeadLetterEnhancer;
import io.parley.axon.saga.SagaDeadLetterProcessor;
import io.parley.axon.saga.SagaDeadLetteringErrorHandler;
import io.parley.ops.deadletter.DeadLetterProcessors;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.LoggingErrorHandler;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Dead-letter queues for sagas (ADR 0017): a saga handler that fails parks its event in {@code
 * dead_letter_entry} under the saga processor's name, with the saga id as sequence identifier,
 * instead of the event being logged and dropped; later events for that saga are parked behind it;
 * the ops API lists, retries and evicts them like a projection's. Axon's {@code
 * EventProcessingConfiguration.deadLetterQueue(group)} returns these queues; the retry goes through
 * {@link DeadLetterProcessors}, which knows the saga processors' {@link SagaDeadLetterProcessor}s
 * besides Axon's own.
 */
@Configuration(proxyBeanMethods = false)
public class SagaDeadLetterConfig {

  /**
   * Every saga type of the application: the beans Axon's Spring support registers as sagas
   * ({@code @Saga}), so a new saga gets its dead-letter queue without being listed anywhere.
   */
  static List<Class<?>> sagaTypes(ListableBeanFactory beans) {
    return Arrays.stream(beans.getBeanNamesForAnnotation(Saga.class))
        .map(beans::getType)
        .filter(Objects::nonNull)
        .<Class<?>>map(ClassUtils::getUserClass)
        .distinct()
        .toList();
  }

  /**
   * The processing group Axon gives a saga: its {@code @ProcessingGroup}, else name + "Processor".
   */
  static String processingGroupOf(Class<?> sagaType) {
    ProcessingGroup group = sagaType.getAnnotation(ProcessingGroup.class);
    return group != null ? group.value() : sagaType.getSimpleName() + "Processor";
  }

  /** Parks an event behind a saga's dead letters; remembers a saga's state before its handler. */
  @Bean
  public SagaDeadLetterEnhancer sagaDeadLetterEnhancer(
      ObjectProvider<EventProcessingConfiguration> processing,
      ObjectProvider<Serializer> serializer,
      ListableBeanFactory beans) {
    List<Class<?>> sagas = sagaTypes(beans);
    return new SagaDeadLetterEnhancer(
        type ->
            sagas.contains(type)
                ? processing.getObject().deadLetterQueue(processingGroupOf(type))
                : Optional.empty(),
        serializer::getObject);
  }

  /**
   * A JDBC dead-letter queue (built as Axon's auto-configuration builds a projection's) and the
   * parking error handler for each saga processing group.
   */
  @Bean
  public ConfigurerModule sagaDeadLetterQueues(
      ConnectionProvider connectionProvider,
      TransactionManager transactionManager,
      DeadLetterSchema schema,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      Serializer genericSerializer,
      ListableBeanFactory beans) {
    List<Class<?>> sagas = sagaTypes(beans);
    return configurer -> {
      for (Class<?> saga : sagas) {
        String group = processingGroupOf(saga);
        configurer
            .eventProcessing()
            .registerDeadLetterQueue(
                group,
                c ->
                    JdbcSequencedDeadLetterQueue.builder()
                        .processingGroup(group)
                        .connectionProvider(connectionProvider)
                        .transactionManager(transactionManager)
                        .schema(schema)
                        .genericSerializer(genericSerializer)
                        .eventSerializer(eventSerializer)
                        .build())
            .registerListenerInvocationErrorHandler(
                group,
                c ->
                    new SagaDeadLetteringErrorHandler(
                        () -> c.eventProcessingConfiguration().deadLetterQueue(group).orElseThrow(),
                        c.eventProcessingConfiguration().deadLetterPolicy(group).orElseThrow(),
                        () -> genericSerializer,
                        new LoggingErrorHandler()));
      }
    };
  }

  /**
   * The retry port of the ops API: Axon's processor for a projection's group, a {@link
   * SagaDeadLetterProcessor} (over the saga's repository, with the processors' correlation data)
   * for a saga's.
   */
  @Bean
  public DeadLetterProcessors deadLetterProcessors(
      EventProcessingConfiguration processing,
      TransactionManager transactionManager,
      Serializer genericSerializer,
      List<CorrelationDataProvider> correlationDataProviders,
      ListableBeanFactory beans) {
    List<Class<?>> sagas = sagaTypes(beans);
    Map<String, SequencedDeadLetterProcessor<EventMessage<?>>> sagaProcessors =
        new ConcurrentHashMap<>();
    return group ->
        processing
            .sequencedDeadLetterProcessor(group)
            .or(
                () ->
                    sagas.stream()
                        .filter(saga -> processingGroupOf(saga).equals(group))
                        .findFirst()
                        .map(
                            saga ->
                                sagaProcessors.computeIfAbsent(
                                    group,
                                    g ->
                                        new SagaDeadLetterProcessor(
                                            processing.deadLetterQueue(g).orElseThrow(),
                                            processing.sagaConfiguration(saga).repository(),
                                            transactionManager,
                                            processing.deadLetterPolicy(g).orElseThrow(),
                                            genericSerializer,
                                            correlationDataProviders))));
  }
}
