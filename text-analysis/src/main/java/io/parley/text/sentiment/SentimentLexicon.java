package io.parley.text.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The valences (−4..+4) of words, phrases, emoticons and emoji, and the context words, of the
 * {@link SentimentAnalyser}. The built-in one is the VADER lexicon ({@value #VADER}, MIT licence,
 * C.J. Hutto) overlaid with Parley's own file ({@value #PARLEY}), whose lines replace VADER's for
 * the same key. Immutable, so safe to share between threads.
 *
 * <p>Format, one entry a line, TAB-separated, {@code #} comments: {@code word-or-phrase <TAB>
 * valence}, or {@code @set <TAB> name <TAB> word|word|…}. Keys are lower case without apostrophes.
 */
public final class SentimentLexicon {

  /** The VADER lexicon on the classpath (two columns of the original kept). */
  public static final String VADER = "/sentiment/vader-lexicon.tsv";

  /** Parley's additions and corrections on the classpath, read after VADER's. */
  public static final String PARLEY = "/sentiment/parley-sentiment.tsv";

  private static final class BuiltIn {
    static final SentimentLexicon INSTANCE = load();

    private static SentimentLexicon load() {
      return parse(List.of(resource(VADER), resource(PARLEY)));
    }

    private static Reader resource(String name) {
      InputStream in = SentimentLexicon.class.getResourceAsStream(name);
      if (in == null) {
        throw new IllegalStateException("The built-in sentiment lexicon " + name + " is missing");
      }
      return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
  }

  private final Map<String, Double> valences;
  private final Map<String, Set<String>> sets;
  private final int longestPhrase;

  private SentimentLexicon(Map<String, Double> valences, Map<String, Set<String>> sets) {
    this.valences = Map.copyOf(valences);
    this.sets = Map.copyOf(sets);
    int longest = 1;
    for (String key : valences.keySet()) {
      longest = Math.max(longest, key.split(" ").length);
    }
    this.longestPhrase = longest;
  }

  /** VADER's lexicon with Parley's file over it, loaded once. */
  public static SentimentLexicon builtIn() {
    return BuiltIn.INSTANCE;
  }

  /** A lexicon from one text in the lexicon format. */
  public static SentimentLexicon parse(String tsv) {
    return parse(List.of(new StringReader(tsv)));
  }

  /**
   * A lexicon from readers in the lexicon format, later ones overriding earlier ones; throws {@link
   * IllegalArgumentException} naming the line of the first malformed entry. Closes the readers.
   */
  public static SentimentLexicon parse(List<Reader> readers) {
    Map<String, Double> valences = new HashMap<>();
    Map<String, Set<String>> sets = new HashMap<>();
    for (Reader reader : readers) {
      try (BufferedReader lines = new BufferedReader(reader)) {
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          number++;
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          String[] columns = line.strip().split("\t+");
          try {
            if (columns[0].equals("@set")) {
              if (columns.length != 3) {
                throw new IllegalArgumentException("expected @set<TAB>name<TAB>word|word|…");
              }
              Set<String> words = new LinkedHashSet<>();
              for (String word : columns[2].split("\\|")) {
                words.add(normalise(word));
              }
              sets.put(columns[1], Collections.unmodifiableSet(words));
            } else {
              if (columns.length != 2) {
                throw new IllegalArgumentException("expected word<TAB>valence");
              }
              double valence = Double.parseDouble(columns[1]);
              if (!(valence >= -4 && valence <= 4)) {
                throw new IllegalArgumentException("a valence is between -4 and 4");
              }
              valences.put(normalise(columns[0]), valence);
            }
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                "Sentiment lexicon line " + number + ": " + e.getMessage(), e);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the sentiment lexicon", e);
      }
    }
    return new SentimentLexicon(valences, sets);
  }

  /** Keys as the analyser makes them: lower case, no apostrophes, single spaces. */
  private static String normalise(String entry) {
    List<String> words = new ArrayList<>();
    for (String word : entry.strip().split(" +")) {
      words.add(ChatText.key(word));
    }
    return String.join(" ", words);
  }

  /** The valence of a key (a word, or words joined by single spaces), or {@code null}. */
  Double valence(String key) {
    return valences.get(key);
  }

  /** Whether {@code key} is an emoticon or symbol the lexicon rates (":)", "<3"). */
  boolean isEmoticon(String key) {
    return valences.containsKey(key);
  }

  /** The words of the set {@code name}, empty when the lexicon defines no such set. */
  Set<String> set(String name) {
    return sets.getOrDefault(name, Set.of());
  }

  /** The most words in one entry. */
  int longestPhrase() {
    return longestPhrase;
  }

  /** The number of entries. */
  int size() {
    return valences.size();
  }
}
