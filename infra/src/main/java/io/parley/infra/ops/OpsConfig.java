package io.parley.infra.ops;

import io.parley.ops.processor.ProcessorOverview;
import io.parley.ops.processor.ReplayCoordinator;
import io.parley.ops.processor.TokenTable;
import java.time.Clock;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.jooq.DSLContext;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The operations console's parts ({@code ops}) on this node's Axon configuration. */
@Configuration(proxyBeanMethods = false)
public class OpsConfig {

  /** The token store's rows, read with the serializer Axon's JDBC token store writes them with. */
  @Bean
  public TokenTable tokenTable(
      DSLContext db,
      Serializer serializer,
      EventStore store,
      TokenStoreProperties tokenStore,
      Clock clock) {
    return new TokenTable(db, serializer, store, tokenStore.getClaimTimeout(), clock);
  }

  /**
   * Cluster-wide replays. Each node polls {@code processor_replay} for unfinished replays every
   * {@code parley.ops.replay-poll-interval} (one indexed read of a table of a few rows).
   */
  @Bean
  public ReplayCoordinator replayCoordinator(
      EventProcessingConfiguration processing,
      TokenStore tokenStore,
      TokenTable tokens,
      DSLContext db,
      PlatformTransactionManager transactionManager,
      Clock clock,
      OpsProperties properties) {
    return new ReplayCoordinator(
        processing,
        tokenStore,
        tokens,
        db,
        new TransactionTemplate(transactionManager),
        clock,
        properties.replayPollInterval());
  }

  /** Dead letters, active sagas and readiness as gauges for the dashboard and alert rules. */
  @Bean
  public OpsMetrics opsMetrics(
      EventProcessingConfiguration processing, JdbcTemplate jdbc, HealthEndpoint health) {
    return new OpsMetrics(processing, jdbc, health);
  }

  @Bean
  public ProcessorOverview processorOverview(
      EventProcessingConfiguration processing,
      TokenTable tokens,
      ReplayCoordinator replays,
      Clock clock) {
    return new ProcessorOverview(processing, tokens, replays, clock);
  }
}
