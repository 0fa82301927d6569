package io.parley.text.card;

import io.parley.api.card.Rarity;
import io.parley.text.sentiment.Sentiment;
import io.parley.text.sentiment.SentimentAnalyser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The built-in card generator: no network, no model, deterministic (the same messages always give
 * the same card, byte for byte), thread-safe (no state between calls), and it never logs the
 * messages. The one entry point the card saga's provider port calls when no external provider is
 * configured or allowed:
 *
 * <ol>
 *   <li>sentiment of the window ({@link SentimentAnalyser#analyseWindow});
 *   <li>rarity from its intensity and the window's engagement ({@link CardRarity});
 *   <li>title and caption from the window's own words ({@link CardText});
 *   <li>artwork from rarity, sentiment and the window's SHA-256 ({@link CardArtwork}, {@link
 *       WindowHash}).
 * </ol>
 *
 * The caller passes only the messages that may be used (consenting participants, delivered, not
 * removed), in conversation order; a window with no message is the caller's {@code
 * NO_CONSENTED_MESSAGES} case and is refused here.
 */
public final class BuiltInCardGenerator {

  /** The provider name a card made here records. */
  public static final String NAME = "builtin";

  private final SentimentAnalyser analyser;
  private final CardText text;

  /** The generator with the built-in lexicon. */
  public BuiltInCardGenerator() {
    this(new SentimentAnalyser());
  }

  /** The generator with {@code analyser}. */
  public BuiltInCardGenerator(SentimentAnalyser analyser) {
    this.analyser = Objects.requireNonNull(analyser, "analyser");
    this.text = new CardText(analyser);
  }

  /**
   * The card of a window.
   *
   * @throws IllegalArgumentException when {@code messages} is empty
   */
  public GeneratedCard generate(List<WindowMessage> messages) {
    Objects.requireNonNull(messages, "messages");
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("A card needs at least one message");
    }
    List<WindowMessage> window = List.copyOf(messages);
    Sentiment sentiment = sentimentOf(window);
    Rarity rarity = CardRarity.of(sentiment, window);
    CardText.TitleAndCaption words = text.of(window, sentiment);
    String svg = CardArtwork.render(rarity, sentiment, WindowHash.sha256(window));
    return new GeneratedCard(sentiment, rarity, words.title(), words.caption(), svg);
  }

  /** The window's sentiment alone. */
  public Sentiment sentimentOf(List<WindowMessage> messages) {
    List<String> texts = new ArrayList<>(messages.size());
    for (WindowMessage message : messages) {
      texts.add(message.text());
    }
    return analyser.analyseWindow(texts);
  }
}
