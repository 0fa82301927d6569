package io.parley.text.card;

import io.parley.api.card.Rarity;
import io.parley.text.sentiment.Sentiment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes sample artwork (one SVG per rarity, positive and negative, and one neutral) to a
 * directory, for looking at them rendered (docs/cards.md, "Artwork"). Not a test; run by hand:
 *
 * <pre>
 * java -cp text-analysis/target/classes:text-analysis/target/test-classes \
 *     io.parley.text.card.CardSamples /tmp/card-samples
 * </pre>
 */
public final class CardSamples {

  private CardSamples() {}

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args.length > 0 ? args[0] : "/tmp/card-samples");
    Files.createDirectories(directory);
    int n = 0;
    for (Rarity rarity : Rarity.values()) {
      for (double polarity : new double[] {0.75, -0.75}) {
        byte[] hash = WindowHash.sha256(List.of(new WindowMessage("sample", "window " + n++)));
        String svg = CardArtwork.render(rarity, Sentiment.of(polarity, 0.7), hash);
        String name = rarity.name().toLowerCase() + (polarity > 0 ? "-positive" : "-negative");
        Files.writeString(directory.resolve(name + ".svg"), svg, StandardCharsets.UTF_8);
      }
    }
    byte[] hash = WindowHash.sha256(List.of(new WindowMessage("sample", "neutral")));
    Files.writeString(
        directory.resolve("common-neutral.svg"),
        CardArtwork.render(Rarity.COMMON, Sentiment.of(0, 0.3), hash),
        StandardCharsets.UTF_8);
    System.out.println("wrote " + (n + 1) + " samples to " + directory);
  }
}
