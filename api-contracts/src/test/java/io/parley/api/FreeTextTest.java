package io.parley.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class FreeTextTest {

  @Test
  void require_stripsSurroundingWhiteSpace() {
    assertThat(FreeText.require("text", "  hello there \n", 20)).isEqualTo("hello there");
  }

  @Test
  void require_acceptsExactlyMaxCharactersAfterStripping() {
    assertThat(FreeText.require("title", " " + "a".repeat(5) + " ", 5)).isEqualTo("aaaaa");
    assertThatThrownBy(() -> FreeText.require("title", "a".repeat(6), 5))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.problems()).singleElement().extracting("field").isEqualTo("title"));
  }

  @Test
  void require_refusesAbsentEmptyAndBlankText() {
    for (String value : new String[] {null, "", " \t\n "}) {
      assertThatThrownBy(() -> FreeText.require("reason", value, 10))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void require_keepsTabsAndLineBreaksInside_butRefusesOtherControlCharacters() {
    assertThat(FreeText.require("text", "a\tb\r\nc", 10)).isEqualTo("a\tb\r\nc");
    for (String control : new String[] {"\u0000", "\u0007", "\u001b", "\u007f", "\u0085"}) {
      assertThatThrownBy(() -> FreeText.require("text", "a" + control + "b", 10))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void require_neverQuotesTheValueInItsError() {
    assertThatThrownBy(() -> FreeText.require("text", "secret\u0000", 100))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.problems().get(0).message()).doesNotContain("secret"));
  }

  @Test
  void optional_isNullForAbsentOrBlankText_andOtherwiseTheSameRule() {
    assertThat(FreeText.optional("note", null, 10)).isNull();
    assertThat(FreeText.optional("note", "   ", 10)).isNull();
    assertThat(FreeText.optional("note", " ok ", 10)).isEqualTo("ok");
    assertThatThrownBy(() -> FreeText.optional("note", "x".repeat(11), 10))
        .isInstanceOf(InvalidInputException.class);
  }
}
