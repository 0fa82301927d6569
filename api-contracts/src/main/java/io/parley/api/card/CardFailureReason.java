package io.parley.api.card;

/** Why a card ended {@link CardStatus#FAILED} (API.md {@code failureReason}). */
public enum CardFailureReason {
  /** No message of the window was written by a participant who had granted CARD_GENERATION. */
  NO_CONSENTED_MESSAGES,
  /** The external provider did not answer usably and {@code parley.cards.fallback=fail}. */
  PROVIDER_FAILED,
  /** The card was not made within {@code parley.cards.timeout} (default 2 minutes). */
  TIMED_OUT
}
