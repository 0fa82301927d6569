package io.parley.infra.integration;

import io.parley.api.integration.IntegrationEvent;

/**
 * One record to publish: its topic, key and value, and its {@code eventType} and {@code eventId}
 * headers. A {@code null} value is a tombstone (a subject's erasure on the compacted subjects
 * topic), which still names the event it comes from in its headers.
 */
public record IntegrationRecord(
    String topic, String key, String type, String eventId, IntegrationEvent value) {

  public boolean isTombstone() {
    return value == null;
  }
}
