package io.parley.api.card;

/** Why a card was requested. */
public enum CardTrigger {
  /** A participant asked for it ({@code POST /api/v1/conversations/{id}/cards}). */
  REQUESTED,
  /** Every {@code parley.cards.every-messages} delivered messages. */
  AUTOMATIC
}
