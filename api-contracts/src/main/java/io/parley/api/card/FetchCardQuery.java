package io.parley.api.card;

import java.util.UUID;

/**
 * One card, for a participant of its conversation: a {@link CardView} (404 unknown, 403 for anyone
 * else).
 */
public record FetchCardQuery(UUID cardId, String callerId) {}
