package io.parley.api.integration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A card was made, {@code READY} ({@link IntegrationTopics#CARDS}, key {@code cardId}): its rarity,
 * sentiment ({@code polarity} -1..1, {@code confidence} 0..1, to three decimals as the API shows
 * them), how many messages and how many people it drew on, and which generator made it ({@code
 * provider}, {@code model} or null for the built-in one; {@code fallback} when the built-in
 * generator stood in for an external provider). Its title and caption (personal data of every
 * contributor), the contributors' ids, the window's hash and the artwork are not published.
 */
public record CardGeneratedV1(
    String eventId,
    Instant occurredAt,
    UUID cardId,
    UUID conversationId,
    String rarity,
    BigDecimal polarity,
    BigDecimal confidence,
    int messageCount,
    int contributorCount,
    String provider,
    String model,
    boolean fallback)
    implements IntegrationEvent {}
