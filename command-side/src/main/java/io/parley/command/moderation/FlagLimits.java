package io.parley.command.moderation;

/** Sizes of what a flagger may write. */
public final class FlagLimits {

  /** A reason is a short label ("spam", "harassment"): 1..100 characters after trimming. */
  public static final int REASON_MAX = 100;

  /** An optional free-text note: up to 2,000 characters. */
  public static final int NOTE_MAX = 2_000;

  private FlagLimits() {}
}
