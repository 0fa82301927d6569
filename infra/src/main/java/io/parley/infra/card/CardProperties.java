package io.parley.infra.card;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Card generation settings ({@code parley.cards.*}; the external provider's own are {@code
 * parley.cards.provider.*}). See docs/cards.md.
 *
 * @param everyMessages a card is requested automatically every this many delivered messages of a
 *     conversation; 0 turns automatic cards off
 * @param timeout a card still pending this long after its request ends FAILED (TIMED_OUT)
 * @param windowRetry how soon the saga looks again at a window the read side has not caught up with
 * @param fallback what happens when the external provider gives no usable answer: {@code builtin}
 *     (the built-in generator makes the card, the reason is recorded on it) or {@code fail} (the
 *     card ends FAILED with PROVIDER_FAILED)
 */
@ConfigurationProperties("parley.cards")
public record CardProperties(
    @DefaultValue("50") int everyMessages,
    @DefaultValue("2m") Duration timeout,
    @DefaultValue("1s") Duration windowRetry,
    @DefaultValue("builtin") Fallback fallback) {

  /** {@code parley.cards.fallback}. */
  public enum Fallback {
    BUILTIN,
    FAIL
  }
}
