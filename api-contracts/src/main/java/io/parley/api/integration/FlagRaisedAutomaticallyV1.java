package io.parley.api.integration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The scorer flagged a delivered message for a moderator ({@link IntegrationTopics#MODERATION}, key
 * {@code messageId}).
 */
public record FlagRaisedAutomaticallyV1(
    String eventId,
    Instant occurredAt,
    UUID flagId,
    UUID messageId,
    UUID conversationId,
    BigDecimal toxicity)
    implements IntegrationEvent {}
