package io.parley.api.integration;

import java.time.Instant;
import java.util.UUID;

/**
 * A card ended {@code FAILED} ({@link IntegrationTopics#CARDS}, key {@code cardId}); {@code reason}
 * is {@code NO_CONSENTED_MESSAGES}, {@code PROVIDER_FAILED} or {@code TIMED_OUT}.
 */
public record CardFailedV1(
    String eventId, Instant occurredAt, UUID cardId, UUID conversationId, String reason)
    implements IntegrationEvent {}
