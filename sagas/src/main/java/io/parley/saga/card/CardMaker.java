package io.parley.saga.card;

import java.util.concurrent.CompletableFuture;

/**
 * The port the card generation saga calls to make a card from its window: the built-in generator,
 * or an external AI provider chosen by configuration and consent (infra's {@code
 * RoutingCardMaker}). It works off the saga's thread and completes the future when the card is made
 * or cannot be; the future never completes exceptionally.
 */
public interface CardMaker {

  CompletableFuture<CardOutcome> make(CardOrder order);
}
