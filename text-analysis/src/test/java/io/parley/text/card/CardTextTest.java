package io.parley.text.card;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.text.sentiment.ChatText;
import io.parley.text.sentiment.SentimentAnalyser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CardTextTest {

  private static final BuiltInCardGenerator GENERATOR = new BuiltInCardGenerator();
  private static final SentimentAnalyser ANALYSER = new SentimentAnalyser();

  private static GeneratedCard card(String... texts) {
    List<WindowMessage> window = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      window.add(new WindowMessage("user-" + (i % 3), texts[i]));
    }
    return GENERATOR.generate(window);
  }

  private static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * Every word of {@code output} is a word of the window (case aside); only a last word followed by
   * "…" may be cut short, and then it starts an input word.
   */
  private static void assertDrawnFrom(String output, List<WindowMessage> window) {
    Set<String> keys = new HashSet<>();
    for (WindowMessage message : window) {
      for (ChatText.Sentence sentence : ANALYSER.sentences(message.text())) {
        for (ChatText.Word word : sentence.words()) {
          keys.add(word.key());
        }
      }
    }
    List<ChatText.Sentence> sentences = ANALYSER.sentences(output);
    for (int s = 0; s < sentences.size(); s++) {
      List<ChatText.Word> words = sentences.get(s).words();
      for (int w = 0; w < words.size(); w++) {
        String key = words.get(w).key();
        boolean last = s == sentences.size() - 1 && w == words.size() - 1;
        if (last && output.endsWith(CardText.ELLIPSIS) && !keys.contains(key)) {
          assertThat(keys.stream().anyMatch(k -> k.startsWith(key)))
              .as("cut word '%s' starts an input word", key)
              .isTrue();
        } else {
          assertThat(keys).as("word of '%s'", output).contains(key);
        }
      }
    }
  }

  private static void assertWellFormed(GeneratedCard card, List<WindowMessage> window) {
    assertThat(card.title()).isNotBlank();
    assertThat(card.caption()).isNotBlank();
    assertThat(length(card.title())).isLessThanOrEqualTo(CardText.TITLE_LIMIT);
    assertThat(length(card.caption())).isLessThanOrEqualTo(CardText.CAPTION_LIMIT);
    assertDrawnFrom(card.title(), window);
    assertDrawnFrom(card.caption(), window);
  }

  @Test
  void title_isTheWindowsKeyPhraseAndCaptionItsMostRepresentativeSentence() {
    GeneratedCard card =
        card(
            "Is the coffee machine fixed yet?",
            "No, the coffee machine is still broken",
            "I brought my own coffee today",
            "The coffee machine leaks everywhere, what a mess",
            "The parking lot is full");
    assertThat(card.title()).startsWith("Coffee machine");
    assertThat(card.caption()).containsIgnoringCase("coffee machine");
    assertThat(card.caption())
        .isIn(
            "Is the coffee machine fixed yet?",
            "No, the coffee machine is still broken",
            "The coffee machine leaks everywhere, what a mess");
  }

  @Test
  void titleAndCaption_comeOnlyFromTheWindowsWords_overManyConversations() {
    SyntheticConversations conversations = new SyntheticConversations(2026);
    for (int i = 0; i < 300; i++) {
      List<WindowMessage> window = conversations.next();
      assertWellFormed(GENERATOR.generate(window), window);
    }
  }

  @Test
  void limitsHold_forVeryLongMessages() {
    String longSentence = "the quarterly planning spreadsheet ".repeat(60) + "is finally done";
    String oneGiantWord = "a".repeat(5_000);
    List<WindowMessage> window =
        List.of(new WindowMessage("a", longSentence), new WindowMessage("b", longSentence));
    assertWellFormed(GENERATOR.generate(window), window);
    List<WindowMessage> giant = List.of(new WindowMessage("a", oneGiantWord));
    GeneratedCard card = GENERATOR.generate(giant);
    assertWellFormed(card, giant);
    assertThat(card.title()).endsWith(CardText.ELLIPSIS);
  }

  @Test
  void limitsHold_forEmojiHeavyMessages() {
    List<WindowMessage> emoji =
        List.of(
            new WindowMessage("a", "🎉".repeat(300)),
            new WindowMessage("b", "👨‍👩‍👧👍🏽❤️".repeat(100)),
            new WindowMessage("c", "😂😂😂 party 🎉🎉 tonight 🥳"));
    GeneratedCard card = GENERATOR.generate(emoji);
    assertWellFormed(card, emoji);
    assertThat(card.title()).containsIgnoringCase("party");
    List<WindowMessage> onlyEmoji = List.of(new WindowMessage("a", "👨‍👩‍👧".repeat(200)));
    GeneratedCard emojiCard = GENERATOR.generate(onlyEmoji);
    assertWellFormed(emojiCard, onlyEmoji);
    // Cut between whole emoji: no joiner or lone surrogate left dangling.
    assertThat(emojiCard.title()).doesNotContain("\u200D…");
    assertThat(emojiCard.title().codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF))
        .isFalse();
  }

  @Test
  void neverEmpty_forSingleWordsStopWordsPunctuationAndBlanks() {
    for (List<WindowMessage> window :
        List.of(
            List.of(new WindowMessage("a", "hi")),
            List.of(new WindowMessage("a", "Pizza")),
            List.of(new WindowMessage("a", "ok"), new WindowMessage("b", "yes")),
            List.of(new WindowMessage("a", "?!?")),
            List.of(new WindowMessage("a", "   "), new WindowMessage("b", "")))) {
      GeneratedCard card = GENERATOR.generate(window);
      assertWellFormed(card, window);
    }
    assertThat(card("Pizza").title()).isEqualTo("Pizza");
    assertThat(card("hi").title()).isEqualTo("Hi");
    assertThat(card("?!?").title()).isEqualTo("?!?");
    assertThat(card("   ", "").title()).isEqualTo(CardText.ELLIPSIS);
  }

  @Test
  void randomText_keepsTheLimitsAndTheWords() {
    Random random = new Random(99);
    String alphabet = "abcdefghij klmnop qrst uvwxyz .,!?'’-😂🎉❤️\n ";
    for (int i = 0; i < 200; i++) {
      List<WindowMessage> window = new ArrayList<>();
      int messages = 1 + random.nextInt(6);
      for (int m = 0; m < messages; m++) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(700);
        for (int c = 0; c < length; c++) {
          text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        window.add(new WindowMessage("user-" + m, text.toString()));
      }
      assertWellFormed(GENERATOR.generate(window), window);
    }
  }

  @Test
  void fit_cutsAtAWordBoundaryAndMarksTheCut() {
    assertThat(CardText.fit("short", 60)).isEqualTo("short");
    String cut = CardText.fit("one two three four five six", 12);
    assertThat(cut).isEqualTo("one two…");
    assertThat(length(cut)).isLessThanOrEqualTo(12);
    assertThat(CardText.fit("alpha, beta gamma", 9)).isEqualTo("alpha…");
  }
}
