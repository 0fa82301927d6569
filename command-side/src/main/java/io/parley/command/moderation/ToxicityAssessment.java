package io.parley.command.moderation;

import io.parley.api.moderation.ToxicityScores;
import java.util.Objects;

/**
 * What a {@link ToxicityScorer} answered: the scores, the name of the scorer that produced them
 * (for example {@code builtin-lexicon} or {@code perspective}), and, when the configured scorer
 * failed and another one answered instead, why (for example {@code perspective:timeout}); {@code
 * null} when no fallback happened.
 */
public record ToxicityAssessment(ToxicityScores scores, String scorer, String fallbackReason) {

  public ToxicityAssessment {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(scorer, "scorer");
  }

  /** An assessment from the scorer that was asked. */
  public static ToxicityAssessment by(String scorer, ToxicityScores scores) {
    return new ToxicityAssessment(scores, scorer, null);
  }

  /** The same scores, marked as a fallback for {@code reason}. */
  public ToxicityAssessment asFallback(String reason) {
    return new ToxicityAssessment(scores, scorer, reason);
  }

  public boolean fellBack() {
    return fallbackReason != null;
  }
}
