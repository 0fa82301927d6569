package io.parley.api.card;

import java.util.List;
import java.util.UUID;

/**
 * What a card is made of once generated. {@code title} and {@code caption} are personal data of
 * every contributor; everything else is not.
 *
 * @param contributorIds senders of the messages the card drew on (sorted)
 * @param messageCount messages the card drew on
 * @param windowHash SHA-256 (hex) of the messages the card drew on (authors and texts, in order)
 * @param artworkSvg the card's artwork, drawn from rarity, sentiment and the window's hash (no
 *     text)
 * @param provider who wrote sentiment, title and caption: {@code builtin} or the configured name
 * @param model the external model, {@code null} for the built-in generator
 * @param fallbackReason why the built-in generator stood in for the external provider, else null
 * @param reusedFrom the earlier card of an identical window whose provider answer was reused
 */
public record CardContent(
    Rarity rarity,
    double polarity,
    double confidence,
    String title,
    String caption,
    List<String> contributorIds,
    int messageCount,
    String windowHash,
    String artworkSvg,
    String provider,
    String model,
    String fallbackReason,
    UUID reusedFrom) {

  @Override
  public String toString() {
    return "CardContent[rarity="
        + rarity
        + ", polarity="
        + polarity
        + ", messageCount="
        + messageCount
        + ", provider="
        + provider
        + "]";
  }
}
