package io.parley.api.card;

import java.util.List;

/**
 * The answer to {@link FetchCardWindowQuery}: the qualifying messages in position order. {@code
 * complete} is false while the read side has not yet seen the window's last message (it is
 * eventually consistent); then the messages are not to be used yet.
 */
public record CardWindow(boolean complete, List<CardWindowMessage> messages) {

  /** A window whose read side has not caught up yet. */
  public static CardWindow incomplete() {
    return new CardWindow(false, List.of());
  }
}
