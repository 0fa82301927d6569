package io.parley.api.integration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A conversation began ({@link IntegrationTopics#CONVERSATIONS}, key {@code conversationId}). No
 * title, owner or participant ids: only how many took part from the start.
 */
public record ConversationStartedV1(
    String eventId,
    Instant occurredAt,
    UUID conversationId,
    int participantCount,
    BigDecimal warnThreshold,
    BigDecimal blockThreshold)
    implements IntegrationEvent {}
