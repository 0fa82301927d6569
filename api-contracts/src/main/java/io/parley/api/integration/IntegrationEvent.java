package io.parley.api.integration;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record Parley publishes to Kafka for other systems (API.md "Integration events (Kafka)"): PII
 * free, ids and counts only, versioned in its name ({@code MessageSentV1} is type {@code
 * MessageSent}, version 1). A new incompatible shape is a new record ({@code MessageSentV2}), never
 * a change to a published one. On the wire its value is JSON {@code {type, version, eventId,
 * occurredAt, …}}; {@code eventId} is the id of the stored domain event it was mapped from, the
 * same on every delivery (consumers deduplicate by it).
 */
public interface IntegrationEvent {

  /** The id of the domain event this record was mapped from; also the record's header. */
  String eventId();

  /** When the domain event happened (its stored timestamp). */
  Instant occurredAt();

  /** The record's type: its class name without the version suffix ({@code MessageSent}). */
  default String type() {
    return nameParts(getClass()).group(1);
  }

  /** The record's version, from its class name ({@code 1} for {@code MessageSentV1}). */
  default int version() {
    return Integer.parseInt(nameParts(getClass()).group(2));
  }

  private static Matcher nameParts(Class<?> type) {
    Matcher parts = Pattern.compile("(.+)V([0-9]+)").matcher(type.getSimpleName());
    if (!parts.matches()) {
      throw new IllegalStateException(type + " is not versioned in its name (…V<n>)");
    }
    return parts;
  }
}
