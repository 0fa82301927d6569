package io.parley.text.card;

import io.parley.api.card.Rarity;
import io.parley.text.sentiment.Sentiment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rarity rule: a score from how strongly and surely the window feels (intensity) and how much
 * took part in it (engagement), cut into tiers. Deterministic: the same sentiment and messages
 * always give the same tier.
 *
 * <pre>
 * intensity  I = |polarity| × confidence                                        (0..1)
 * engagement E = 0.5 · min(1, ln(1 + messages) / ln(1 + 200))                   (0..1)
 *              + 0.3 · min(1, (distinct authors − 1) / 4)
 *              + 0.2 · min(1, mean words per message / 20)
 * score      S = 0.6 · I + 0.4 · E
 *
 * LEGENDARY  S ≥ 0.48 and at least 3 distinct authors
 * EPIC       S ≥ 0.40 and at least 2 distinct authors
 * RARE       S ≥ 0.31
 * COMMON     otherwise
 * </pre>
 *
 * A window is at most 200 messages (API.md), hence the 200. A card from one person talking to
 * themselves can be at most RARE; a legend needs a crowd. The thresholds were set on 1,000
 * synthetic conversations of one seed (about 2/3 COMMON, 1/4 RARE, 6 % EPIC, 2–3 % LEGENDARY);
 * {@code CardRarityTest} checks the order of the tiers on another seed (docs/cards.md).
 */
public final class CardRarity {

  static final double INTENSITY_WEIGHT = 0.6;
  static final double ENGAGEMENT_WEIGHT = 0.4;
  static final int FULL_WINDOW = 200;
  static final double RARE = 0.31;
  static final double EPIC = 0.40;
  static final double LEGENDARY = 0.48;
  static final int EPIC_AUTHORS = 2;
  static final int LEGENDARY_AUTHORS = 3;

  private CardRarity() {}

  /** The tier of a window with this sentiment. */
  public static Rarity of(Sentiment sentiment, List<WindowMessage> messages) {
    int authors = distinctAuthors(messages);
    double score = score(sentiment, messages);
    if (score >= LEGENDARY && authors >= LEGENDARY_AUTHORS) {
      return Rarity.LEGENDARY;
    }
    if (score >= EPIC && authors >= EPIC_AUTHORS) {
      return Rarity.EPIC;
    }
    if (score >= RARE) {
      return Rarity.RARE;
    }
    return Rarity.COMMON;
  }

  /** The score {@code S} of the rule, 0..1. */
  static double score(Sentiment sentiment, List<WindowMessage> messages) {
    return INTENSITY_WEIGHT * sentiment.intensity() + ENGAGEMENT_WEIGHT * engagement(messages);
  }

  /** The engagement {@code E} of the rule, 0..1. */
  static double engagement(List<WindowMessage> messages) {
    if (messages.isEmpty()) {
      return 0;
    }
    int count = messages.size();
    double volume = Math.min(1, Math.log1p(count) / Math.log1p(FULL_WINDOW));
    double crowd = Math.min(1, (distinctAuthors(messages) - 1) / 4.0);
    long words = 0;
    for (WindowMessage message : messages) {
      words += wordCount(message.text());
    }
    double length = Math.min(1, ((double) words / count) / 20.0);
    return 0.5 * volume + 0.3 * crowd + 0.2 * length;
  }

  static int distinctAuthors(List<WindowMessage> messages) {
    Set<String> authors = new HashSet<>();
    for (WindowMessage message : messages) {
      authors.add(message.authorId());
    }
    return authors.size();
  }

  /** Runs of non-white-space characters. */
  private static int wordCount(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return words;
  }
}
