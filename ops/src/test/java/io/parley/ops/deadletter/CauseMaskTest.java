package io.parley.ops.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CauseMaskTest {

  @Test
  void mask_dropsQuotedLiterals() {
    assertThat(
            CauseMask.mask(
                "ERROR: duplicate key value violates unique constraint \"timeline_message_pk\""))
        .isEqualTo("ERROR: duplicate key value violates unique constraint ?");
    assertThat(CauseMask.mask("Cannot deserialize value of type 'Hello Bob, see you'"))
        .isEqualTo("Cannot deserialize value of type ?");
    assertThat(CauseMask.mask("Unclosed quote 'secret text")).isEqualTo("Unclosed quote ?");
  }

  @Test
  void mask_dropsBracketedValuesAndAssignments() {
    assertThat(CauseMask.mask("Key (sender_id)=(alice) already exists"))
        .isEqualTo("Key ? already exists");
    assertThat(CauseMask.mask("SQL [insert into t values (?, ?)]; failed"))
        .isEqualTo("SQL ?; failed");
    assertThat(CauseMask.mask("bad input name=bob age=7")).isEqualTo("bad input name=? age=?");
  }

  @Test
  void mask_dropsWordsWithDigitsAtSignsOrSlashes() {
    assertThat(
            CauseMask.mask(
                "Card 3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41 for bob@example.org at /home/bob failed"))
        .isEqualTo("Card ? for ? at ? failed");
    assertThat(CauseMask.mask("limit 42 exceeded")).isEqualTo("limit ? exceeded");
  }

  @Test
  void mask_keepsOnlyTheFirstLine() {
    assertThat(CauseMask.mask("ERROR: something broke\n  Detail: Key (text)=(my secret)"))
        .isEqualTo("ERROR: something broke");
  }

  @Test
  void mask_capsTheLength() {
    String masked = CauseMask.mask("word ".repeat(100));
    assertThat(masked).hasSize(CauseMask.MAX_LENGTH).endsWith("…");
  }

  @Test
  void mask_keepsNothingOfAMessageThatIsAllValues() {
    assertThat(CauseMask.mask("'a' \"b\" (c) 12 x@y")).isEqualTo("?");
    assertThat(CauseMask.mask(null)).isNull();
    assertThat(CauseMask.mask("  ")).isEmpty();
  }
}
