package io.parley.api.integration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A participant flagged a message ({@link IntegrationTopics#MODERATION}, key {@code messageId}).
 * The flagger's reason and note are their own words, and the flagger and sender are user ids: none
 * is published. {@code toxicity} is the message's score when it was sent.
 */
public record FlagRaisedV1(
    String eventId,
    Instant occurredAt,
    UUID flagId,
    UUID messageId,
    UUID conversationId,
    BigDecimal toxicity)
    implements IntegrationEvent {}
