package io.parley.text.toxicity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Measures the built-in scorer against the hand-labelled sets in {@code
 * src/test/resources/moderation} at the default thresholds, prints precision and recall, and fails
 * if any falls below its floor.
 *
 * <p>"warn": positive = {@code toxic} or {@code severe}, predicted = highest ≥ 0.6. "block":
 * positive = {@code severe}, predicted = highest ≥ 0.8. The lexicon was tuned on the dev set only;
 * the holdout set was read once, to measure. Each floor is the value measured when the floors were
 * set (docs/toxicity-scorer.md), rounded down to two decimals: raising a floor after an improvement
 * is welcome, lowering one needs a reason in the commit.
 */
class LexiconToxicityScorerQualityTest {

  private static final double WARN = 0.6;
  private static final double BLOCK = 0.8;

  // Floors: measured precision / recall, rounded down to two decimals.
  static final double DEV_WARN_PRECISION = 1.00;
  static final double DEV_WARN_RECALL = 1.00;
  static final double DEV_BLOCK_PRECISION = 1.00;
  static final double DEV_BLOCK_RECALL = 1.00;
  static final double HOLDOUT_WARN_PRECISION = 0.97;
  static final double HOLDOUT_WARN_RECALL = 0.51;
  static final double HOLDOUT_BLOCK_PRECISION = 0.87;
  static final double HOLDOUT_BLOCK_RECALL = 0.58;
  static final double COMBINED_WARN_PRECISION = 0.99;
  static final double COMBINED_WARN_RECALL = 0.72;
  static final double COMBINED_BLOCK_PRECISION = 0.94;
  static final double COMBINED_BLOCK_RECALL = 0.76;

  private static final LexiconToxicityScorer SCORER = new LexiconToxicityScorer();

  record Example(String label, String text) {}

  /** Counts for one task on one set. */
  record Counts(int truePositives, int falsePositives, int falseNegatives, int total) {

    double precision() {
      int predicted = truePositives + falsePositives;
      return predicted == 0 ? 0 : (double) truePositives / predicted;
    }

    double recall() {
      int positives = truePositives + falseNegatives;
      return positives == 0 ? 0 : (double) truePositives / positives;
    }

    @Override
    public String toString() {
      return String.format(
          "P=%.3f R=%.3f (tp=%d fp=%d fn=%d of %d)",
          precision(), recall(), truePositives, falsePositives, falseNegatives, total);
    }
  }

  static List<Example> load(String resource) throws IOException {
    try (InputStream in = LexiconToxicityScorerQualityTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      List<Example> examples = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t", 2);
        assertThat(parts).as(line).hasSize(2);
        assertThat(parts[0]).isIn("benign", "toxic", "severe");
        examples.add(new Example(parts[0], parts[1].strip()));
      }
      return examples;
    }
  }

  static Counts warn(List<Example> examples) {
    return count(examples, e -> !e.label().equals("benign"), WARN);
  }

  static Counts block(List<Example> examples) {
    return count(examples, e -> e.label().equals("severe"), BLOCK);
  }

  private static Counts count(
      List<Example> examples, java.util.function.Predicate<Example> positive, double threshold) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (Example example : examples) {
      boolean predicted = SCORER.score(example.text()).highest().doubleValue() >= threshold;
      boolean actual = positive.test(example);
      tp += predicted && actual ? 1 : 0;
      fp += predicted && !actual ? 1 : 0;
      fn += !predicted && actual ? 1 : 0;
    }
    return new Counts(tp, fp, fn, examples.size());
  }

  private static void check(
      String set, List<Example> examples, double[] floors /* warnP, warnR, blockP, blockR */) {
    Counts warn = warn(examples);
    Counts block = block(examples);
    System.out.printf("%-8s warn  %s%n%-8s block %s%n", set, warn, set, block);
    assertThat(warn.precision()).as(set + " warn precision").isGreaterThanOrEqualTo(floors[0]);
    assertThat(warn.recall()).as(set + " warn recall").isGreaterThanOrEqualTo(floors[1]);
    assertThat(block.precision()).as(set + " block precision").isGreaterThanOrEqualTo(floors[2]);
    assertThat(block.recall()).as(set + " block recall").isGreaterThanOrEqualTo(floors[3]);
  }

  @Test
  void meetsTheMeasuredPrecisionAndRecallOnTheLabelledSets() throws IOException {
    List<Example> dev = load("/toxicity/labelled-dev.tsv");
    List<Example> holdout = load("/toxicity/labelled-holdout.tsv");
    List<Example> combined = new ArrayList<>(dev);
    combined.addAll(holdout);
    check(
        "dev",
        dev,
        new double[] {DEV_WARN_PRECISION, DEV_WARN_RECALL, DEV_BLOCK_PRECISION, DEV_BLOCK_RECALL});
    check(
        "holdout",
        holdout,
        new double[] {
          HOLDOUT_WARN_PRECISION, HOLDOUT_WARN_RECALL, HOLDOUT_BLOCK_PRECISION, HOLDOUT_BLOCK_RECALL
        });
    check(
        "combined",
        combined,
        new double[] {
          COMBINED_WARN_PRECISION,
          COMBINED_WARN_RECALL,
          COMBINED_BLOCK_PRECISION,
          COMBINED_BLOCK_RECALL
        });
  }
}
