package io.parley.api.moderation;

/** Where a flag is in the moderator workflow: PENDING → REVIEWING → RESOLVED. */
public enum FlagStatus {
  PENDING,
  REVIEWING,
  RESOLVED
}
