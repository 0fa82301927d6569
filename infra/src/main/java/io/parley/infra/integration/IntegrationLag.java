package io.parley.infra.integration;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * {@code parley.integration.lag}: how many events the publisher is behind the store, the store's
 * head global index minus the processor's position (the lowest of its segments on this node). Not a
 * number (NaN) on a node that holds none of the processor's segments, or before it has a position.
 */
public final class IntegrationLag {

  private final EventStore eventStore;
  private final EventProcessingConfiguration processing;

  IntegrationLag(EventStore eventStore, EventProcessingConfiguration processing) {
    this.eventStore = eventStore;
    this.processing = processing;
  }

  static void register(
      MeterRegistry meters, EventStore eventStore, EventProcessingConfiguration processing) {
    Gauge.builder(
            "parley.integration.lag", new IntegrationLag(eventStore, processing), l -> l.lag())
        .description(
            "Events in the store not yet published to Kafka (head minus the publisher's position)")
        .strongReference(true) // nothing else holds it: a weak reference would read NaN after GC
        .register(meters);
  }

  double lag() {
    StreamingEventProcessor processor =
        processing
            .eventProcessor(
                KafkaIntegrationPublisher.PROCESSING_GROUP, StreamingEventProcessor.class)
            .orElse(null);
    if (processor == null) {
      return Double.NaN;
    }
    Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
    if (segments.isEmpty()) {
      return Double.NaN;
    }
    long position = Long.MAX_VALUE;
    for (EventTrackerStatus segment : segments.values()) {
      OptionalLong current = segment.getCurrentPosition();
      if (current.isEmpty()) {
        return Double.NaN;
      }
      position = Math.min(position, current.getAsLong());
    }
    TrackingToken head = eventStore.createHeadToken();
    long headIndex = head == null ? -1 : head.position().orElse(-1);
    return Math.max(0, headIndex - position);
  }
}
