package io.parley.api.integration;

import java.time.Instant;
import java.util.UUID;

/**
 * A card was requested ({@link IntegrationTopics#CARDS}, key {@code cardId}): by a participant
 * ({@code trigger} {@code REQUESTED}) or automatically every {@code parley.cards.every-messages}
 * delivered messages ({@code AUTOMATIC}). It draws on the conversation's delivered messages at
 * positions {@code afterPosition < p <= upToPosition}; {@code number} is its number within the
 * conversation (1, 2, 3, …). Who requested it is a user id: not published.
 */
public record CardRequestedV1(
    String eventId,
    Instant occurredAt,
    UUID cardId,
    UUID conversationId,
    String trigger,
    long number,
    long afterPosition,
    long upToPosition)
    implements IntegrationEvent {}
