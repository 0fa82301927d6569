package io.parley.api.integration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A conversation's moderation thresholds changed ({@link IntegrationTopics#CONVERSATIONS}, key
 * {@code conversationId}). Who changed them is not published.
 */
public record ModerationThresholdsChangedV1(
    String eventId,
    Instant occurredAt,
    UUID conversationId,
    BigDecimal warnThreshold,
    BigDecimal blockThreshold)
    implements IntegrationEvent {}
