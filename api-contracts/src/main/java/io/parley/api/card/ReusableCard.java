package io.parley.api.card;

import java.util.UUID;

/** What an earlier provider answer gave, to make an identical window's card without a call. */
public record ReusableCard(
    UUID cardId, double polarity, double confidence, String title, String caption) {

  @Override
  public String toString() {
    return "ReusableCard[cardId=" + cardId + "]";
  }
}
