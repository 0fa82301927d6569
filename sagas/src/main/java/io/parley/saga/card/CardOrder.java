package io.parley.saga.card;

import io.parley.api.card.CardWindowMessage;
import java.util.List;
import java.util.UUID;

/** One card to make from its qualifying messages (never empty), in conversation order. */
public record CardOrder(UUID cardId, UUID conversationId, List<CardWindowMessage> messages) {

  public CardOrder {
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("A card is made from at least one message");
    }
  }
}
