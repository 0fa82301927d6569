package io.parley.api.card;

import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The card is made ({@code READY}). {@code title} and {@code caption} are personal data of every
 * contributor: stored under a key split between all of their message keys of the month the card was
 * made, so the erasure (or the retention) of any one contributor makes both unreadable for good
 * ({@code null}), while rarity and sentiment stay. See ADR 0016.
 */
@Revision("1")
public record CardGeneratedEvent(
    UUID cardId,
    UUID conversationId,
    Rarity rarity,
    double polarity,
    double confidence,
    @PersonalData(
            subject = "contributorIds",
            category = DataCategory.MESSAGE,
            datedBy = "generatedAt")
        String title,
    @PersonalData(
            subject = "contributorIds",
            category = DataCategory.MESSAGE,
            datedBy = "generatedAt")
        String caption,
    List<String> contributorIds,
    int messageCount,
    String windowHash,
    String artworkSvg,
    String provider,
    String model,
    String fallbackReason,
    UUID reusedFrom,
    Instant generatedAt) {

  @Override
  public String toString() {
    return "CardGeneratedEvent[cardId=" + cardId + ", rarity=" + rarity + "]";
  }
}
