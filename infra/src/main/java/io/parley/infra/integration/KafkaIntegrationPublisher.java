package io.parley.infra.integration;

import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.infra.axon.AxonConfig;
import io.parley.query.PerBatch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Publishes every published domain event (see {@link IntegrationEventMapper}) to Kafka, from the
 * pooled streaming processor {@value #PROCESSING_GROUP} (ADR 0014): the event store is the outbox,
 * this processor's token the cursor. Each event of a batch is mapped and sent at once; when the
 * batch's unit of work prepares to commit (the commit that stores the token), the processor waits
 * until the broker acknowledged every record of the batch. If any failed, the batch rolls back, the
 * token stays before it, and Axon processes the batch again after its error back-off: at least
 * once, never lost, duplicates carrying the same {@code eventId}.
 *
 * <p>Records of the compacted subjects topic carry the subject's consents as of the event, read
 * from the subject's own stream: compaction keeps a subject's latest record, which then still says
 * every consent.
 *
 * <p>One segment and one thread: records leave in the order the processor receives the events, so
 * the records of one key are in event order. Replays are allowed (a reset publishes everything
 * again, which consumers deduplicate by {@code eventId}).
 */
@ProcessingGroup(KafkaIntegrationPublisher.PROCESSING_GROUP)
public class KafkaIntegrationPublisher {

  public static final String PROCESSING_GROUP = "integration-events";

  private static final String BATCH = KafkaIntegrationPublisher.class.getName() + ".batch";

  private final IntegrationEventMapper mapper;
  private final KafkaIntegrationProducer producer;
  private final EventStore eventStore;

  public KafkaIntegrationPublisher(
      IntegrationEventMapper mapper, KafkaIntegrationProducer producer, EventStore eventStore) {
    this.mapper = mapper;
    this.producer = producer;
    this.eventStore = eventStore;
  }

  /** Every event; those of a type that is not published are skipped without deserializing. */
  @EventHandler(payloadType = Object.class)
  void on(EventMessage<?> event, UnitOfWork<?> unitOfWork) {
    if (!mapper.publishes(event.getPayloadType())) {
      return;
    }
    IntegrationRecord record =
        mapper
            .map(
                event.getPayload(),
                event.getIdentifier(),
                event.getTimestamp(),
                () -> consentsAsOf(event))
            .orElseThrow();
    KafkaIntegrationProducer.Batch batch =
        PerBatch.of(
            unitOfWork, BATCH, KafkaIntegrationProducer.Batch::new, producer::awaitAcknowledged);
    Object correlationId = event.getMetaData().get(AxonConfig.CORRELATION_ID);
    producer.send(
        record,
        event.getTimestamp(),
        correlationId == null ? null : correlationId.toString(),
        batch);
  }

  /**
   * The subject's consents as of {@code event}, an event of their {@code DataSubjectAggregate}:
   * every purpose, granted or not, from their own stream up to and including this event (never what
   * came after it, so a replay publishes the same). Only consent events are deserialized.
   */
  Map<String, Boolean> consentsAsOf(EventMessage<?> event) {
    Map<String, Boolean> consents = new LinkedHashMap<>();
    for (ConsentPurpose purpose : ConsentPurpose.values()) {
      consents.put(purpose.name(), false);
    }
    if (!(event instanceof DomainEventMessage<?> subjectEvent)) {
      return consents;
    }
    DomainEventStream stream = eventStore.readEvents(subjectEvent.getAggregateIdentifier(), 0);
    while (stream.hasNext()) {
      DomainEventMessage<?> earlier = stream.next();
      if (earlier.getSequenceNumber() > subjectEvent.getSequenceNumber()) {
        break;
      }
      if (earlier.getPayloadType() == ConsentGrantedEvent.class) {
        consents.put(((ConsentGrantedEvent) earlier.getPayload()).purpose().name(), true);
      } else if (earlier.getPayloadType() == ConsentWithdrawnEvent.class) {
        consents.put(((ConsentWithdrawnEvent) earlier.getPayload()).purpose().name(), false);
      }
    }
    return consents;
  }
}
