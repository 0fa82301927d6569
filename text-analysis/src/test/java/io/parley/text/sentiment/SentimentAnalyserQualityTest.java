package io.parley.text.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Measures the built-in analyser against the hand-labelled sentences in {@code
 * src/test/resources/sentiment}, prints the figures, and fails if any falls below its floor.
 *
 * <p>"sign": on sentences labelled positive or negative, the share whose polarity has the right
 * sign and is outside the neutral band (a polarity inside the band counts as wrong). "neutral": on
 * sentences labelled neutral, the share inside the band. "overall": the share of all sentences put
 * in the right one of the three classes. The analyser was tuned on the dev set only; the holdout
 * was scored once at the end. Each floor is the value measured when the floors were set ({@code
 * docs/cards.md}), rounded down to two decimals and then lowered by 0.02 at most: raising a floor
 * after an improvement is welcome, lowering one needs a reason in the commit.
 */
class SentimentAnalyserQualityTest {

  // Floors (see docs/cards.md, "Measured quality").
  static final double DEV_SIGN = 0.97;
  static final double DEV_NEUTRAL = 0.98;
  static final double HOLDOUT_SIGN = 0.87;
  static final double HOLDOUT_NEUTRAL = 0.94;
  static final double COMBINED_OVERALL = 0.93;

  private static final SentimentAnalyser ANALYSER = new SentimentAnalyser();

  record Example(String label, String text) {}

  /** Right and total, for one measure on one set. */
  record Share(int right, int total) {
    double value() {
      return total == 0 ? 0 : (double) right / total;
    }

    @Override
    public String toString() {
      return String.format("%.3f (%d/%d)", value(), right, total);
    }
  }

  static List<Example> load(String resource) throws IOException {
    try (InputStream in = SentimentAnalyserQualityTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      List<Example> examples = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 2);
        assertThat(parts).as(line).hasSize(2);
        assertThat(parts[0]).isIn("positive", "negative", "neutral");
        examples.add(new Example(parts[0], parts[1].strip()));
      }
      return examples;
    }
  }

  static String predicted(String text) {
    double polarity = ANALYSER.analyse(text).polarity();
    if (SentimentAnalyser.isNeutral(polarity)) {
      return "neutral";
    }
    return polarity > 0 ? "positive" : "negative";
  }

  static Share sign(List<Example> examples) {
    int right = 0;
    int total = 0;
    for (Example example : examples) {
      if (!example.label().equals("neutral")) {
        total++;
        right += predicted(example.text()).equals(example.label()) ? 1 : 0;
      }
    }
    return new Share(right, total);
  }

  static Share neutral(List<Example> examples) {
    int right = 0;
    int total = 0;
    for (Example example : examples) {
      if (example.label().equals("neutral")) {
        total++;
        right += predicted(example.text()).equals("neutral") ? 1 : 0;
      }
    }
    return new Share(right, total);
  }

  static Share overall(List<Example> examples) {
    int right = 0;
    for (Example example : examples) {
      right += predicted(example.text()).equals(example.label()) ? 1 : 0;
    }
    return new Share(right, examples.size());
  }

  @Test
  void meetsTheMeasuredAccuracyOnTheLabelledSets() throws IOException {
    List<Example> dev = load("/sentiment/labelled-dev.tsv");
    List<Example> holdout = load("/sentiment/labelled-holdout.tsv");
    List<Example> combined = new ArrayList<>(dev);
    combined.addAll(holdout);
    assertThat(combined).hasSizeGreaterThanOrEqualTo(300);
    for (Example example : dev) {
      if (!predicted(example.text()).equals(example.label())) {
        System.out.printf(
            "dev miss: %s -> %s (%.3f) %s%n",
            example.label(),
            predicted(example.text()),
            ANALYSER.analyse(example.text()).polarity(),
            example.text());
      }
    }
    for (String set : List.of("dev", "holdout", "combined")) {
      List<Example> examples = set.equals("dev") ? dev : set.equals("holdout") ? holdout : combined;
      System.out.printf(
          "%-8s sign %s  neutral %s  overall %s%n",
          set, sign(examples), neutral(examples), overall(examples));
    }
    assertThat(sign(dev).value()).as("dev sign").isGreaterThanOrEqualTo(DEV_SIGN);
    assertThat(neutral(dev).value()).as("dev neutral").isGreaterThanOrEqualTo(DEV_NEUTRAL);
    assertThat(sign(holdout).value()).as("holdout sign").isGreaterThanOrEqualTo(HOLDOUT_SIGN);
    assertThat(neutral(holdout).value())
        .as("holdout neutral")
        .isGreaterThanOrEqualTo(HOLDOUT_NEUTRAL);
    assertThat(overall(combined).value())
        .as("combined overall")
        .isGreaterThanOrEqualTo(COMBINED_OVERALL);
  }
}
