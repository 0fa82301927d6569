package io.parley.infra.axon;

import io.parley.infra.Causes;
import io.parley.infra.ParleyProperties;
import java.sql.SQLException;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Maps Axon's JDBC storage onto the snake_case tables that Flyway creates ({@code migrations}
 * V1–V4). Axon's auto-configuration builds the event store, token store, saga store and dead-letter
 * queues from these schemas; it creates no tables itself.
 */
@Configuration(proxyBeanMethods = false)
public class AxonStorageConfig {

  static final String UNIQUE_VIOLATION = "23505";

  /**
   * Recognises PostgreSQL's unique violations (SQLState 23505), also inside batch exceptions, so a
   * concurrent append surfaces as Axon's {@code ConcurrencyException} (retried by the gateway) and
   * a reused aggregate id as {@code AggregateStreamCreationException}. Axon's default JDBC resolver
   * looks for vendor error codes, which PostgreSQL does not use.
   */
  @Bean
  public PersistenceExceptionResolver persistenceExceptionResolver() {
    return AxonStorageConfig::isUniqueViolation;
  }

  static boolean isUniqueViolation(Throwable failure) {
    return Causes.find(failure, AxonStorageConfig::isOrChainsUniqueViolation).isPresent();
  }

  /** PostgreSQL's batch exceptions chain the real error through {@code getNextException}. */
  private static boolean isOrChainsUniqueViolation(Throwable t) {
    for (SQLException sql = t instanceof SQLException s ? s : null;
        sql != null;
        sql = sql.getNextException()) {
      if (UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  @Bean
  public EventSchema eventSchema() {
    return EventSchema.builder()
        .eventTable("domain_event_entry")
        .snapshotTable("snapshot_event_entry")
        .globalIndexColumn("global_index")
        .eventIdentifierColumn("event_identifier")
        .aggregateIdentifierColumn("aggregate_identifier")
        .sequenceNumberColumn("sequence_number")
        .typeColumn("type")
        .timestampColumn("time_stamp")
        .payloadTypeColumn("payload_type")
        .payloadRevisionColumn("payload_revision")
        .payloadColumn("payload")
        .metaDataColumn("meta_data")
        .build();
  }

  @Bean
  public TokenSchema tokenSchema() {
    return TokenSchema.builder()
        .setTokenTable("token_entry")
        .setProcessorNameColumn("processor_name")
        .setSegmentColumn("segment")
        .setTokenColumn("token")
        .setTokenTypeColumn("token_type")
        .setTimestampColumn("time_stamp")
        .setOwnerColumn("owner")
        .build();
  }

  /**
   * Axon's JDBC token store as its auto-configuration builds it, with this node's name ({@code
   * parley.node-id}) as the owner of the segments it claims.
   */
  @Bean
  public TokenStore tokenStore(
      ConnectionProvider connectionProvider,
      Serializer serializer,
      TokenSchema tokenSchema,
      TokenStoreProperties properties,
      ParleyProperties parley) {
    JdbcTokenStore.Builder builder =
        JdbcTokenStore.builder()
            .connectionProvider(connectionProvider)
            .schema(tokenSchema)
            .serializer(serializer)
            .claimTimeout(properties.getClaimTimeout());
    if (!parley.nodeId().isBlank()) {
      builder.nodeId(parley.nodeId());
    }
    return builder.build();
  }

  @Bean
  public SagaSqlSchema sagaSqlSchema() {
    return new PostgresSagaSqlSchema(
        SagaSchema.builder()
            .sagaEntryTable("saga_entry")
            .associationValueEntryTable("association_value_entry")
            .sagaIdColumn("saga_id")
            .revisionColumn("revision")
            .sagaTypeColumn("saga_type")
            .serializedSagaColumn("serialized_saga")
            .associationKeyColumn("association_key")
            .associationValueColumn("association_value")
            .build());
  }

  @Bean
  public DeadLetterSchema deadLetterSchema() {
    return DeadLetterSchema.builder()
        .deadLetterTable("dead_letter_entry")
        .deadLetterIdentifierColumn("dead_letter_id")
        .processingGroupColumn("processing_group")
        .sequenceIdentifierColumn("sequence_identifier")
        .sequenceIndexColumn("sequence_index")
        .messageTypeColumn("message_type")
        .eventIdentifierColumn("event_identifier")
        .timestampColumn("time_stamp")
        .payloadTypeColumn("payload_type")
        .payloadRevisionColumn("payload_revision")
        .payloadColumn("payload")
        .metaDataColumn("meta_data")
        .aggregateTypeColumn("aggregate_type")
        .aggregateIdentifierColumn("aggregate_identifier")
        .sequenceNumberColumn("sequence_number")
        .tokenTypeColumn("token_type")
        .tokenColumn("token")
        .enqueuedAtColumn("enqueued_at")
        .lastTouchedColumn("last_touched")
        .processingStartedColumn("processing_started")
        .causeTypeColumn("cause_type")
        .causeMessageColumn("cause_message")
        .diagnosticsColumn("diagnostics")
        .build();
  }
}
