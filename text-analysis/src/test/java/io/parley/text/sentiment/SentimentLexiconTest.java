package io.parley.text.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentimentLexiconTest {

  @Test
  void builtIn_loadsVaderAndParleysAdditions() {
    SentimentLexicon lexicon = SentimentLexicon.builtIn();
    assertThat(lexicon.size()).isGreaterThan(7000);
    assertThat(lexicon.valence("good")).isPositive(); // VADER
    assertThat(lexicon.valence("gutted")).isNegative(); // Parley's file only
    assertThat(lexicon.valence("please")).isZero(); // Parley's file overrides VADER's 1.3
    assertThat(lexicon.set("negation")).contains("not", "dont", "never");
    assertThat(lexicon.set("booster")).contains("very", "extremely");
    assertThat(lexicon.set("dampener")).contains("slightly", "kind of");
    assertThat(lexicon.set("contrast")).contains("but");
  }

  @Test
  void parse_letsLaterFilesOverrideEarlierOnes() {
    SentimentLexicon lexicon =
        SentimentLexicon.parse(
            List.of(new StringReader("good\t1.9\nbad\t-2.5\n"), new StringReader("good\t0.5\n")));
    assertThat(lexicon.valence("good")).isEqualTo(0.5);
    assertThat(lexicon.valence("bad")).isEqualTo(-2.5);
  }

  @Test
  void parse_normalisesKeysLikeTheAnalyser() {
    SentimentLexicon lexicon =
        SentimentLexicon.parse("Can't  Stand\t-2.4\n@set\tnegation\tDon't|never\n");
    assertThat(lexicon.valence("cant stand")).isEqualTo(-2.4);
    assertThat(lexicon.set("negation")).containsExactly("dont", "never");
    assertThat(lexicon.longestPhrase()).isEqualTo(2);
  }

  @Test
  void parse_namesTheLineOfAMalformedEntry() {
    assertThatThrownBy(() -> SentimentLexicon.parse("# comment\ngood\t1.9\nbad\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 3");
    assertThatThrownBy(() -> SentimentLexicon.parse("good\t9\n"))
        .hasMessageContaining("line 1")
        .hasMessageContaining("between -4 and 4");
    assertThatThrownBy(() -> SentimentLexicon.parse("good\tvery\n")).hasMessageContaining("line 1");
  }
}
