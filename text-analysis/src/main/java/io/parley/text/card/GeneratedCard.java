package io.parley.text.card;

import io.parley.api.card.Rarity;
import io.parley.text.sentiment.Sentiment;
import java.util.Objects;

/**
 * What the built-in generator makes of a window: its sentiment, rarity, title (at most {@value
 * CardText#TITLE_LIMIT} characters), caption (at most {@value CardText#CAPTION_LIMIT}) and artwork
 * (an SVG document). Title and caption are personal data of every author of the window.
 */
public record GeneratedCard(
    Sentiment sentiment, Rarity rarity, String title, String caption, String svg) {

  /** Every part is required. */
  public GeneratedCard {
    Objects.requireNonNull(sentiment, "sentiment");
    Objects.requireNonNull(rarity, "rarity");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(caption, "caption");
    Objects.requireNonNull(svg, "svg");
  }

  /** Hides title and caption, which are personal data. */
  @Override
  public String toString() {
    return "GeneratedCard[sentiment="
        + sentiment
        + ", rarity="
        + rarity
        + ", svg=("
        + svg.length()
        + " chars)]";
  }
}
