package io.parley.api.moderation;

/** A moderator's decision: UPHELD removes the message from every timeline; DISMISSED keeps it. */
public enum FlagOutcome {
  UPHELD,
  DISMISSED
}
