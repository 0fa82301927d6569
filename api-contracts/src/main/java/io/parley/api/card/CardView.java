package io.parley.api.card;

import java.time.Instant;
import java.util.UUID;

/**
 * A card as API.md shows it. {@code title} and {@code caption} are null with {@code erased: true}
 * once any contributor is erased (or their messages expired); {@code artworkUrl} is set once READY.
 */
public record CardView(
    UUID cardId,
    UUID conversationId,
    CardStatus status,
    CardFailureReason failureReason,
    Rarity rarity,
    String title,
    String caption,
    Sentiment sentiment,
    int messageCount,
    String artworkUrl,
    Instant requestedAt,
    Instant generatedAt,
    String provider,
    boolean erased) {

  /** The path of a card's artwork. */
  public static String artworkPath(UUID cardId) {
    return "/api/v1/cards/" + cardId + "/artwork.svg";
  }

  /** Polarity −1..1 and the confidence 0..1 of the card's sentiment. */
  public record Sentiment(double polarity, double confidence) {}
}
