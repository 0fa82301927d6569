package io.parley.api.error;

import java.time.Duration;

/** The caller sent too much too fast (429); {@code retryAfter} says when to try again. */
public class RateLimitedException extends ParleyException {

  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
