package io.parley.infra.audit;

import io.parley.query.audit.AuditChainProjection;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon wiring of the audit processors (their handlers are in {@code query-side}). */
@Configuration(proxyBeanMethods = false)
public class AuditConfig {

  /**
   * The audit chain starts at the first stored event, as live events, not as a replay. Axon 4.13's
   * pooled processors start a new token as a replay up to the store's head, and the chain's handler
   * disallows replays ({@link AuditChainProjection}), so on a store that already had events (Parley
   * upgraded to a version with the audit) they would have been skipped and never chained.
   */
  @Bean
  public ConfigurerModule auditChainStartsAtTheTail() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerPooledStreamingEventProcessorConfiguration(
                AuditChainProjection.PROCESSING_GROUP,
                (axon, processor) ->
                    processor.initialToken(StreamableMessageSource::createTailToken));
  }
}
