package io.parley.infra.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A generator of test values: the whole of the randomness of a generated test (InputFuzzIT) flows
 * through the one {@link Random} handed to {@link #next}, so a seed gives the same values again, in
 * the same order. No shrinking, no edge-case mixing: a value is exactly what the combinators below
 * say, drawn uniformly unless {@link #frequency} weighs the choices.
 *
 * <p>A generator is a function; combine several by drawing from each in a lambda, in a fixed order
 * ({@code random -> new Pair(a.next(random), b.next(random))}).
 */
@FunctionalInterface
public interface Gen<T> {

  /** The next value, drawn from {@code random} only. */
  T next(Random random);

  /** This generator's value, transformed. */
  default <R> Gen<R> map(Function<? super T, ? extends R> mapper) {
    return random -> mapper.apply(next(random));
  }

  /** A value of the generator that this generator's value selects. */
  default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> mapper) {
    return random -> mapper.apply(next(random)).next(random);
  }

  /** Lists of {@code minSize} to {@code maxSize} (inclusive) independent values of this one. */
  default Gen<List<T>> list(int minSize, int maxSize) {
    Gen<Integer> size = integers(minSize, maxSize);
    return random -> {
      int n = size.next(random);
      List<T> values = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        values.add(next(random));
      }
      return values;
    };
  }

  /** Always {@code value}. */
  static <T> Gen<T> just(T value) {
    return random -> value;
  }

  /** One of {@code values}, each as likely (none may be null). */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return of(Arrays.asList(values));
  }

  /** One of {@code values}, each as likely (copied now; none may be null). */
  static <T> Gen<T> of(Collection<? extends T> values) {
    List<T> copy = List.copyOf(values);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    return random -> copy.get(random.nextInt(copy.size()));
  }

  /** A value of one of {@code gens}, each as likely. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return oneOf(Arrays.asList(gens));
  }

  /** A value of one of {@code gens}, each as likely. */
  static <T> Gen<T> oneOf(List<? extends Gen<? extends T>> gens) {
    List<Gen<? extends T>> copy = List.copyOf(gens);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("no generators");
    }
    return random -> copy.get(random.nextInt(copy.size())).next(random);
  }

  /** A generator and its weight, for {@link #frequency}. */
  record Weighted<T>(int weight, Gen<? extends T> gen) {
    public Weighted {
      if (weight < 0) {
        throw new IllegalArgumentException("negative weight " + weight);
      }
    }
  }

  /** {@code gen} with weight {@code weight} (zero: never drawn). */
  static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  /**
   * A value of one of the weighted generators, chosen with probability weight / sum of weights; a
   * generator of weight zero is never drawn from.
   */
  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
    List<Weighted<? extends T>> copy = List.of(choices);
    int total = copy.stream().mapToInt(Weighted::weight).sum();
    if (total <= 0) {
      throw new IllegalArgumentException("no positive weight");
    }
    return random -> {
      int pick = random.nextInt(total);
      for (Weighted<? extends T> choice : copy) {
        if (pick < choice.weight()) {
          return choice.gen().next(random);
        }
        pick -= choice.weight();
      }
      throw new IllegalStateException("unreachable");
    };
  }

  /** An int from {@code min} to {@code max}, both inclusive, each as likely. */
  static Gen<Integer> integers(int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException(min + " > " + max);
    }
    return random -> (int) random.nextLong(min, (long) max + 1);
  }

  /** Any long, each as likely. */
  static Gen<Long> longs() {
    return Random::nextLong;
  }

  /** A char from {@code from} to {@code to}, both inclusive, each as likely. */
  static Gen<Character> chars(char from, char to) {
    return integers(from, to).map(c -> (char) c.intValue());
  }

  /**
   * Any char of the Basic Multilingual Plane but surrogates, noncharacters and private use:
   * controls, format characters (such as U+202E, right-to-left override), letters of every script.
   */
  static Gen<Character> anyChar() {
    return random -> {
      while (true) {
        char c = (char) random.nextInt(Character.MAX_VALUE + 1);
        boolean surrogate = Character.isSurrogate(c);
        boolean noncharacter = (c >= '\uFDD0' && c <= '\uFDEF') || c == '\uFFFE' || c == '\uFFFF';
        boolean privateUse = c >= '\uE000' && c <= '\uF8FF';
        if (!surrogate && !noncharacter && !privateUse) {
          return c;
        }
      }
    };
  }

  /** Strings of {@code minLength} to {@code maxLength} (inclusive) chars of {@code chars}. */
  static Gen<String> strings(Gen<Character> chars, int minLength, int maxLength) {
    Gen<Integer> length = integers(minLength, maxLength);
    return random -> {
      int n = length.next(random);
      StringBuilder text = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        text.append(chars.next(random).charValue());
      }
      return text.toString();
    };
  }

  /** Arrays of {@code minLength} to {@code maxLength} (inclusive) arbitrary bytes. */
  static Gen<byte[]> bytes(int minLength, int maxLength) {
    Gen<Integer> length = integers(minLength, maxLength);
    return random -> {
      byte[] bytes = new byte[length.next(random)];
      random.nextBytes(bytes);
      return bytes;
    };
  }

  /** One value of each of {@code gens}, drawn in their order. */
  static <T> Gen<List<T>> all(List<? extends Gen<? extends T>> gens) {
    List<Gen<? extends T>> copy = List.copyOf(gens);
    return random -> {
      List<T> values = new ArrayList<>(copy.size());
      for (Gen<? extends T> gen : copy) {
        values.add(gen.next(random));
      }
      return values;
    };
  }
}
