package io.parley.infra.card.provider;

import io.parley.api.card.ProviderCall;
import io.parley.api.card.ProviderCallOutcome;
import java.util.List;

/** How writing one card ended, with every provider call made for it. */
public sealed interface CardWriting {

  /** The calls made for this card (all attempts, in order); empty when none was made. */
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

  /** No usable answer: {@code reason} is the last attempt's outcome. */
  record NotWritten(ProviderCallOutcome reason, List<ProviderCall> calls) implements CardWriting {}
}
