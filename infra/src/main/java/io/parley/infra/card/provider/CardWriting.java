package io.parley.infra.card.provider;

import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import java.util.List;

/** How writing one card ended, with every provider call made for it. */
public sealed interface CardWriting {

  /**
   * The calls made for this card (all attempts, in order), each as this card saw it: a call that
   * answered the batch but whose entry for this card was missing or invalid is recorded here with
   * outcome {@code MALFORMED_RESPONSE} (same {@code callId}), while the batch's other cards record
   * {@code SUCCESS}. A call not made because the circuit was open or the rate limiter had no permit
   * is one entry with outcome {@code CIRCUIT_OPEN} or {@code THROTTLED}, latency 0 and no tokens.
   * Empty when the card was never sent (the queue was full, or the writer closed).
   */
  List<ProviderCall> calls();

  /** The provider answered: validated sentiment, title (≤ 60 chars) and caption (≤ 280 chars). */
  record Written(
      double polarity, double confidence, String title, String caption, List<ProviderCall> calls)
      implements CardWriting {
    @Override
    public String toString() {
      return "Written[polarity=" + polarity + ", calls=" + calls.size() + "]";
    }
  }

  /**
   * No usable answer: {@code reason} is the last call's outcome (as this card saw it); {@code
   * THROTTLED} or {@code ERROR} with no call when the card was never sent.
   */
  record NotWritten(ProviderCallOutcome reason, List<ProviderCall> calls) implements CardWriting {}
}
