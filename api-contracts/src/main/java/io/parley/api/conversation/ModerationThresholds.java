package io.parley.api.conversation;

import java.math.BigDecimal;

/**
 * Toxicity thresholds of a conversation: warn at or above {@code warn}, block at or above {@code
 * block}.
 */
public record ModerationThresholds(BigDecimal warn, BigDecimal block) {

  public static final ModerationThresholds DEFAULT =
      new ModerationThresholds(new BigDecimal("0.6"), new BigDecimal("0.8"));

  /** {@code 0 < warn < block <= 1}. */
  public boolean isValid() {
    return warn != null
        && block != null
        && warn.signum() > 0
        && warn.compareTo(block) < 0
        && block.compareTo(BigDecimal.ONE) <= 0;
  }
}
