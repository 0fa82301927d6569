package io.parley.api.privacy;

/**
 * Kinds of personal data, each with its own keys so that each can expire on its own schedule
 * (retention periods are configuration: {@code parley.retention.*}).
 */
public enum DataCategory {
  /** Delivered message text: expires after the message retention period (default 365 days). */
  MESSAGE(true),
  /** Text of blocked messages, kept for audit: default 30 days. */
  BLOCKED_MESSAGE(true),
  /** Free-text flag notes and evidence: default 90 days. */
  FLAG_EVIDENCE(true),
  /** Titles and other things that live as long as the subject's account: erasure only. */
  PROFILE(false);

  private final boolean expires;

  DataCategory(boolean expires) {
    this.expires = expires;
  }

  /** Whether keys of this category are destroyed by retention (else only by erasure). */
  public boolean expires() {
    return expires;
  }
}
