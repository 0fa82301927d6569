package io.parley.text.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInCardGeneratorTest {

  private static final BuiltInCardGenerator GENERATOR = new BuiltInCardGenerator();

  private static final List<WindowMessage> LAUNCH =
      List.of(
          new WindowMessage("ana", "The launch went really well, great job everyone!"),
          new WindowMessage("ben", "Thanks! The launch party was so much fun"),
          new WindowMessage("cat", "I'm proud of this team, the launch numbers look amazing"),
          new WindowMessage("ben", "Drinks on me tonight 🎉"));

  private static final List<WindowMessage> OUTAGE =
      List.of(
          new WindowMessage("ana", "The server is down again, this is terrible"),
          new WindowMessage("ben", "Customers are furious about the outage"),
          new WindowMessage("cat", "I hate these outages, the server keeps crashing"));

  @Test
  void generate_makesEveryPartOfTheCard() throws Exception {
    GeneratedCard card = GENERATOR.generate(LAUNCH);
    assertThat(card.sentiment().polarity()).isGreaterThan(0.3);
    assertThat(card.sentiment().confidence()).isBetween(0.0, 1.0);
    assertThat(card.title()).containsIgnoringCase("launch");
    assertThat(card.caption()).containsIgnoringCase("launch");
    assertThat(card.rarity()).isNotNull();
    CardArtworkTest.assertSafe(card.svg());
  }

  @Test
  void generate_readsTheWindowsFeeling() {
    assertThat(GENERATOR.generate(LAUNCH).sentiment().polarity()).isPositive();
    assertThat(GENERATOR.generate(OUTAGE).sentiment().polarity()).isNegative();
    assertThat(GENERATOR.generate(OUTAGE).title()).containsIgnoringCase("server");
  }

  @Test
  void generate_isDeterministicByteForByte() {
    GeneratedCard first = GENERATOR.generate(LAUNCH);
    GeneratedCard again = new BuiltInCardGenerator().generate(new ArrayList<>(LAUNCH));
    assertThat(again).isEqualTo(first);
  }

  @Test
  void generate_drawsOtherArtworkForAnotherWindow() {
    List<WindowMessage> reordered = new ArrayList<>(LAUNCH);
    java.util.Collections.reverse(reordered);
    assertThat(GENERATOR.generate(reordered).svg()).isNotEqualTo(GENERATOR.generate(LAUNCH).svg());
  }

  @Test
  void generate_refusesAnEmptyWindow() {
    assertThatThrownBy(() -> GENERATOR.generate(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_neverShowsMessageTextTitleOrCaption() {
    GeneratedCard card = GENERATOR.generate(LAUNCH);
    assertThat(card.toString()).doesNotContainIgnoringCase("launch");
    assertThat(LAUNCH.get(0).toString()).doesNotContainIgnoringCase("launch").contains("ana");
  }

  @Test
  void windowHash_changesWithAuthorTextOrOrder() {
    String hash = WindowHash.sha256Hex(LAUNCH);
    assertThat(hash).hasSize(64).isEqualTo(WindowHash.sha256Hex(new ArrayList<>(LAUNCH)));
    List<WindowMessage> otherAuthor = new ArrayList<>(LAUNCH);
    otherAuthor.set(0, new WindowMessage("zed", LAUNCH.get(0).text()));
    assertThat(WindowHash.sha256Hex(otherAuthor)).isNotEqualTo(hash);
    // The NUL separators keep "ab"+"c" apart from "a"+"bc".
    assertThat(WindowHash.sha256Hex(List.of(new WindowMessage("ab", "c"))))
        .isNotEqualTo(WindowHash.sha256Hex(List.of(new WindowMessage("a", "bc"))));
  }
}
