package io.parley.saga.card;

import java.time.Duration;

/**
 * How long a card may take ({@code parley.cards.timeout}, default 2 minutes: then it ends FAILED
 * with TIMED_OUT) and how soon the saga looks again at a window the read side has not caught up
 * with ({@code parley.cards.window-retry}, default 1 second).
 */
public record CardGenerationSettings(Duration timeout, Duration windowRetry) {

  public CardGenerationSettings {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("parley.cards.timeout must be positive");
    }
    if (windowRetry == null || windowRetry.isNegative() || windowRetry.isZero()) {
      throw new IllegalArgumentException("parley.cards.window-retry must be positive");
    }
  }
}
