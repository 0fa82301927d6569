package io.parley.api.card;

import java.util.UUID;

/**
 * A card's artwork (SVG text), for a participant of its conversation; 404 while the card is not
 * READY.
 */
public record FetchCardArtworkQuery(UUID cardId, String callerId) {}
