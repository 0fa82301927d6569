package io.parley.api.moderation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A flag in the moderator queue. {@code reason} is null once the flagger's data is erased or
 * expired; {@code toxicity} is the message's score; {@code outcome} is null until resolved.
 */
public record FlagView(
    UUID flagId,
    UUID messageId,
    UUID conversationId,
    String reason,
    FlagSource source,
    FlagStatus status,
    Instant raisedAt,
    BigDecimal toxicity,
    FlagOutcome outcome) {}
