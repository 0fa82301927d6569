package io.parley.api.card;

import java.util.UUID;

/**
 * A page of a conversation's cards, newest first: at most {@code limit} cards whose number is below
 * {@code beforeNumber} (all when null). Participants only. Answered with a {@link CardsPage}.
 */
public record FetchCardsQuery(UUID conversationId, String callerId, int limit, Long beforeNumber) {}
