package io.parley.api.card;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The conversation asked for a card (an event of the conversation: it decides who may ask and which
 * messages the card covers). The card draws on the delivered messages at positions {@code
 * afterPosition < p <= upToPosition}, at most the latest 200. {@code number} is the card's number
 * within the conversation (1, 2, 3, … without gaps): the card list's order and cursor. {@code
 * requestedBy} is null for automatic cards.
 */
@Revision("1")
public record CardRequestedEvent(
    UUID cardId,
    UUID conversationId,
    long number,
    CardTrigger trigger,
    String requestedBy,
    long afterPosition,
    long upToPosition,
    Instant requestedAt) {}
