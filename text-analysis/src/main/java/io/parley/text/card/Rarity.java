package io.parley.text.card;

/** A card's rarity tier, from the most to the least frequent. See {@link CardRarity}. */
public enum Rarity {
  COMMON,
  RARE,
  EPIC,
  LEGENDARY
}
