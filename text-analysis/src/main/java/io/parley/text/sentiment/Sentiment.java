package io.parley.text.sentiment;

/**
 * The feeling of a text: {@code polarity} from −1 (negative) through 0 (neutral) to +1 (positive),
 * and {@code confidence} from 0 to 1, how much the text's words support that polarity. Both are
 * rounded to three decimals, so that the same text always serialises the same way.
 */
public record Sentiment(double polarity, double confidence) {

  /** No feeling and no evidence: what an empty text gets. */
  public static final Sentiment NONE = new Sentiment(0, 0);

  /** Checks the ranges. */
  public Sentiment {
    if (!(polarity >= -1 && polarity <= 1)) {
      throw new IllegalArgumentException("polarity is between -1 and 1");
    }
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence is between 0 and 1");
    }
  }

  /** A sentiment from raw values: clamped to their ranges and rounded half-up to three decimals. */
  public static Sentiment of(double polarity, double confidence) {
    if (Double.isNaN(polarity) || Double.isNaN(confidence)) {
      throw new IllegalArgumentException("polarity and confidence are numbers");
    }
    return new Sentiment(
        rounded(Math.max(-1, Math.min(1, polarity))),
        rounded(Math.max(0, Math.min(1, confidence))));
  }

  /** How strongly felt and how surely: {@code |polarity| × confidence}, 0..1. */
  public double intensity() {
    return Math.abs(polarity) * confidence;
  }

  private static double rounded(double value) {
    double r = Math.round(value * 1000) / 1000.0;
    return r == 0 ? 0 : r; // no −0.0
  }
}
