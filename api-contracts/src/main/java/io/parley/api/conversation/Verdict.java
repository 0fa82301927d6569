package io.parley.api.conversation;

/** The moderation outcome of a message. */
public enum Verdict {
  ALLOWED,
  WARNED,
  BLOCKED
}
