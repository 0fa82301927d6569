package io.parley.api.card;

/** Where a card is in its life: requested, then made or failed, never both. */
public enum CardStatus {
  PENDING,
  READY,
  FAILED
}
