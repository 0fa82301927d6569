package io.parley.infra.support;

import static io.parley.infra.support.Gen.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenTest {

  /** A generator using most combinators, as a fuzz test would. */
  private static final Gen<String> MIXED =
      Gen.oneOf(
              Gen.strings(Gen.anyChar(), 0, 20),
              Gen.of("a", "b", "c"),
              Gen.integers(-5, 5).map(String::valueOf),
              Gen.longs().map(String::valueOf),
              Gen.bytes(0, 8).map(b -> b.length + " bytes"))
          .list(0, 4)
          .map(String::valueOf);

  @Test
  void theSameSeedGivesTheSameSequence() {
    assertThat(sample(MIXED, 42, 500)).isEqualTo(sample(MIXED, 42, 500));
    assertThat(sample(MIXED, 42, 500)).isNotEqualTo(sample(MIXED, 43, 500));
  }

  @Test
  void frequencyNeverDrawsAGeneratorOfWeightZero() {
    Gen<String> gen =
        Gen.frequency(
            weighted(0, Gen.just("never")),
            weighted(3, Gen.just("often")),
            weighted(0, Gen.just("never either")),
            weighted(1, Gen.just("sometimes")));
    List<String> values = sample(gen, 7, 10_000);
    assertThat(values).containsOnly("often", "sometimes");
    long often = values.stream().filter("often"::equals).count();
    assertThat(often).isBetween(7_000L, 8_000L); // 3 in 4
  }

  @Test
  void betweenStaysInItsBoundsAndReachesThem() {
    Set<Integer> seen = new HashSet<>(sample(Gen.integers(-3, 3), 1, 1_000));
    assertThat(seen).containsExactlyInAnyOrder(-3, -2, -1, 0, 1, 2, 3);
    assertThat(sample(Gen.integers(Integer.MIN_VALUE, Integer.MAX_VALUE), 1, 1_000))
        .hasSize(1_000); // no overflow
    assertThat(sample(Gen.integers(Integer.MAX_VALUE, Integer.MAX_VALUE), 1, 10))
        .containsOnly(Integer.MAX_VALUE);
    assertThat(sample(Gen.strings(Gen.chars('a', 'c'), 2, 4), 1, 1_000))
        .allMatch(s -> s.length() >= 2 && s.length() <= 4 && s.matches("[a-c]*"));
    assertThat(sample(Gen.just("x").list(1, 3), 1, 1_000))
        .allMatch(l -> !l.isEmpty() && l.size() <= 3);
    assertThat(sample(Gen.anyChar(), 1, 10_000)).noneMatch(Character::isSurrogate);
  }

  private static <T> List<T> sample(Gen<T> gen, long seed, int count) {
    Random random = new Random(seed);
    List<T> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(gen.next(random));
    }
    return values;
  }
}
