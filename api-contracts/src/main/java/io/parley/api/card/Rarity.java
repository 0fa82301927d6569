package io.parley.api.card;

/**
 * A card's rarity tier, from the most to the least frequent. The built-in rule (text-analysis's
 * {@code CardRarity}, documented in docs/cards.md) decides it from the window's sentiment intensity
 * and engagement, whoever wrote the title.
 */
public enum Rarity {
  COMMON,
  RARE,
  EPIC,
  LEGENDARY
}
