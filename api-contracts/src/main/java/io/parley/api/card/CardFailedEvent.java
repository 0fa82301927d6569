package io.parley.api.card;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/** The card ended {@code FAILED}. */
@Revision("1")
public record CardFailedEvent(
    UUID cardId, UUID conversationId, CardFailureReason reason, Instant failedAt) {}
