package io.parley.api.card;

import java.util.UUID;

/**
 * The messages a card may draw on: delivered messages at positions {@code afterPosition < p <=
 * upToPosition}, at most the latest {@link #WINDOW_MAX}, neither removed by moderation nor erased,
 * whose sender has granted CARD_GENERATION now. Answered with a {@link CardWindow}.
 */
public record FetchCardWindowQuery(UUID conversationId, long afterPosition, long upToPosition) {

  /** The most messages one card draws on (API.md: "at most the latest 200"). */
  public static final int WINDOW_MAX = 200;
}
