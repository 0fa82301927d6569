package io.parley.infra.axon;

import io.parley.api.TimeOrderedIds;
import org.axonframework.common.IdentifierFactory;

/**
 * Axon's identifiers (every event's {@code event_identifier}, messages' ids) as time-ordered UUIDs
 * ({@link TimeOrderedIds}), so the event table's unique index on them takes new entries at its end
 * instead of on a random page. Axon finds it through {@code
 * META-INF/services/org.axonframework.common.IdentifierFactory}.
 */
public class TimeOrderedIdentifierFactory extends IdentifierFactory {

  @Override
  public String generateIdentifier() {
    return TimeOrderedIds.next().toString();
  }
}
