package io.parley.api.moderation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.stream.Stream;

/**
 * How toxic a text is, per attribute, each 0..1 with three decimals (the precision of a
 * conversation's thresholds). The attributes follow Perspective API's: toxicity, severe toxicity,
 * insult and threat.
 */
public record ToxicityScores(
    BigDecimal toxicity, BigDecimal severeToxicity, BigDecimal insult, BigDecimal threat) {

  /** Every score at three decimals, however it was written (storage may drop trailing zeros). */
  public ToxicityScores {
    toxicity = threeDecimals(toxicity);
    severeToxicity = threeDecimals(severeToxicity);
    insult = threeDecimals(insult);
    threat = threeDecimals(threat);
  }

  /** Scores of a text with nothing toxic in it. */
  public static final ToxicityScores NONE = of(0, 0, 0, 0);

  /** Scores from raw probabilities: clamped to 0..1 and rounded half-up to three decimals. */
  public static ToxicityScores of(
      double toxicity, double severeToxicity, double insult, double threat) {
    return new ToxicityScores(
        rounded(toxicity), rounded(severeToxicity), rounded(insult), rounded(threat));
  }

  /**
   * The score a verdict is decided on: the highest attribute, so that a threat or an insult is
   * caught even when a scorer rates its general toxicity lower.
   */
  public BigDecimal highest() {
    return Stream.of(toxicity, severeToxicity, insult, threat)
        .max(BigDecimal::compareTo)
        .orElseThrow();
  }

  private static BigDecimal threeDecimals(BigDecimal score) {
    if (score == null) {
      throw new IllegalArgumentException("Every score is required");
    }
    return score.setScale(3, RoundingMode.HALF_UP);
  }

  private static BigDecimal rounded(double probability) {
    if (Double.isNaN(probability)) {
      throw new IllegalArgumentException("A score must be a number");
    }
    double clamped = Math.max(0.0, Math.min(1.0, probability));
    return BigDecimal.valueOf(clamped).setScale(3, RoundingMode.HALF_UP);
  }
}
