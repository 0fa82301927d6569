package io.parley.api.integration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A message scored at or above its conversation's block threshold and was delivered to no one
 * ({@link IntegrationTopics#MODERATION}, key {@code messageId}). Never its text or its sender.
 */
public record MessageBlockedV1(
    String eventId, Instant occurredAt, UUID conversationId, UUID messageId, BigDecimal toxicity)
    implements IntegrationEvent {}
