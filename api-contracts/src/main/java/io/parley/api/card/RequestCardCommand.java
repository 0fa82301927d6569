package io.parley.api.card;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A participant asks for a card of the conversation's messages since its previous card. Answered
 * with the card id; with an {@code Idempotency-Key}, a retry answers the first card's id.
 */
public record RequestCardCommand(
    @TargetAggregateIdentifier UUID conversationId, UUID cardId, String requesterId) {}
