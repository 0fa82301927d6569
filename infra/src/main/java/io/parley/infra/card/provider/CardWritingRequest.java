package io.parley.infra.card.provider;

import java.util.List;
import java.util.UUID;

/**
 * One card to write. {@code messages} are in conversation order, each with its author as a
 * pseudonym local to this card ({@code "A"}, {@code "B"}, …): providers never see user ids.
 */
public record CardWritingRequest(UUID cardId, List<Line> messages) {

  /** One message: a pseudonymous author and the text. */
  public record Line(String author, String text) {
    @Override
    public String toString() {
      return "Line[author=" + author + ", text=(" + text.length() + " chars)]";
    }
  }
}
