package io.parley.text.toxicity;

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
 * The weighted terms and context words of the {@link LexiconToxicityScorer}, parsed from the
 * tab-separated format documented at the top of {@code /toxicity/lexicon.tsv} and in {@code
 * docs/toxicity-scorer.md}. Immutable once built, so safe to share between threads.
 *
 * <p>Each line is a term (a word or a phrase, with {@code a|b} alternatives, {@code {a|b}} groups,
 * {@code @set} references and a trailing {@code *} for "any word starting with") and four weights,
 * or {@code benign} for an idiom that cancels any term it overlaps. {@code @set} lines name word
 * sets, used both inside terms and as the scorer's context words ({@code you}, {@code me}, {@code
 * negation}, {@code reporting}, …).
 */
public final class Lexicon {

  /** The classpath resource of the built-in lexicon. */
  public static final String BUILT_IN = "/toxicity/lexicon.tsv";

  private static final int MAX_EXPANSIONS_PER_LINE = 20_000;

  /** One word of a term: its normalised form, and whether any word starting with it matches. */
  record Word(String form, String collapsed, boolean prefix) {}

  /** A term: a phrase of one or more words, its weights, and how context changes them. */
  record Entry(
      List<Word> words,
      double toxicity,
      double severeToxicity,
      double insult,
      double threat,
      boolean needsTarget,
      boolean benign,
      int order) {

    int length() {
      return words.size();
    }

    /**
     * Identity: every entry is one phrase of one lexicon line, told apart by its {@code order}. A
     * record's own hash would walk every word of the phrase each time (when scoring kept entries in
     * hash sets, that was most of the scoring time).
     */
    @Override
    public boolean equals(Object other) {
      return this == other;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  private final List<Entry> entries;
  private final Map<String, Set<String>> sets;
  private final PhraseTrie phrases;
  private final int longestWord;

  private Lexicon(List<Entry> entries, Map<String, Set<String>> sets) {
    this.entries = List.copyOf(entries);
    this.sets = Map.copyOf(sets);
    int word = 0;
    for (Entry entry : this.entries) {
      for (Word w : entry.words()) {
        word = Math.max(word, w.form().length());
      }
    }
    this.longestWord = word;
    this.phrases = new PhraseTrie(this.entries, word);
  }

  /** The built-in lexicon, from {@link #BUILT_IN} on the classpath. */
  public static Lexicon builtIn() {
    try (InputStream in = Lexicon.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException("The built-in lexicon " + BUILT_IN + " is missing");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the built-in lexicon " + BUILT_IN, e);
    }
  }

  /** A lexicon from text in the lexicon format. */
  public static Lexicon parse(String tsv) {
    return parse(new StringReader(tsv));
  }

  /**
   * A lexicon from a reader in the lexicon format; throws {@link IllegalArgumentException} naming
   * the line of the first malformed entry.
   */
  public static Lexicon parse(Reader reader) {
    List<Entry> entries = new ArrayList<>();
    Map<String, Set<String>> sets = new HashMap<>();
    BufferedReader lines = new BufferedReader(reader);
    int number = 0;
    try {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] columns = trimmed.split("\t+");
        try {
          if (columns[0].equals("@set")) {
            parseSet(columns, sets);
          } else {
            parseEntry(columns, sets, entries);
          }
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("Lexicon line " + number + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Lexicon(entries, sets);
  }

  private static void parseSet(String[] columns, Map<String, Set<String>> sets) {
    if (columns.length != 3) {
      throw new IllegalArgumentException("expected @set<TAB>name<TAB>word|word|…");
    }
    Set<String> words = new LinkedHashSet<>();
    for (String alternative : expand(columns[2], sets)) {
      words.add(String.join(" ", normalisedWords(alternative)));
    }
    sets.put(columns[1], Collections.unmodifiableSet(words));
  }

  private static void parseEntry(
      String[] columns, Map<String, Set<String>> sets, List<Entry> entries) {
    boolean benign = columns.length >= 2 && columns[1].equals("benign");
    double[] weights = new double[4];
    boolean needsTarget = false;
    if (!benign) {
      if (columns.length < 5 || columns.length > 6) {
        throw new IllegalArgumentException(
            "expected term<TAB>toxicity<TAB>severe_toxicity<TAB>insult<TAB>threat[<TAB>flags]");
      }
      for (int i = 0; i < 4; i++) {
        weights[i] = Double.parseDouble(columns[i + 1]);
        if (!(weights[i] >= 0 && weights[i] <= 1)) {
          throw new IllegalArgumentException("weights are between 0 and 1");
        }
      }
      if (columns.length == 6) {
        for (String flag : columns[5].split(",")) {
          switch (flag.strip()) {
            case "target" -> needsTarget = true;
            case "" -> {}
            default -> throw new IllegalArgumentException("unknown flag " + flag.strip());
          }
        }
      }
    }
    for (String phrase : expand(columns[0], sets)) {
      List<Word> words = new ArrayList<>();
      for (String raw : phrase.strip().split(" +")) {
        boolean prefix = raw.endsWith("*");
        String form =
            DeobfuscatedWords.normaliseWord(prefix ? raw.substring(0, raw.length() - 1) : raw);
        if (!form.isEmpty()) {
          words.add(new Word(form, DeobfuscatedWords.collapse(form), prefix));
        }
      }
      if (!words.isEmpty()) {
        entries.add(
            new Entry(
                List.copyOf(words),
                weights[0],
                weights[1],
                weights[2],
                weights[3],
                needsTarget,
                benign,
                entries.size()));
      }
    }
  }

  private static List<String> normalisedWords(String phrase) {
    List<String> words = new ArrayList<>();
    for (String raw : phrase.strip().split(" +")) {
      String form = DeobfuscatedWords.normaliseWord(raw);
      if (!form.isEmpty()) {
        words.add(form);
      }
    }
    return words;
  }

  /**
   * Expands {@code a|b}, {@code {a|b}} groups (an empty alternative makes a word optional)
   * and @sets.
   */
  static List<String> expand(String term, Map<String, Set<String>> sets) {
    List<String> out = new ArrayList<>();
    for (String alternative : splitTopLevel(term)) {
      expandGroups(resolveSets(alternative, sets), out);
    }
    return out;
  }

  private static String resolveSets(String term, Map<String, Set<String>> sets) {
    StringBuilder resolved = new StringBuilder();
    int i = 0;
    while (i < term.length()) {
      char c = term.charAt(i);
      if (c == '@') {
        int end = i + 1;
        while (end < term.length()
            && (Character.isLetterOrDigit(term.charAt(end)) || term.charAt(end) == '_')) {
          end++;
        }
        String name = term.substring(i + 1, end);
        Set<String> set = sets.get(name);
        if (set == null) {
          throw new IllegalArgumentException("unknown set @" + name + " (define it above)");
        }
        resolved.append('{').append(String.join("|", set)).append('}');
        i = end;
      } else {
        resolved.append(c);
        i++;
      }
    }
    return resolved.toString();
  }

  private static void expandGroups(String term, List<String> out) {
    int open = term.indexOf('{');
    if (open < 0) {
      if (out.size() >= MAX_EXPANSIONS_PER_LINE) {
        throw new IllegalArgumentException("expands to too many phrases");
      }
      out.add(term.strip().replaceAll(" +", " "));
      return;
    }
    int close = open;
    for (int depth = 0; close < term.length(); close++) {
      char c = term.charAt(close);
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (depth == 0) {
        break;
      }
    }
    if (close == term.length()) {
      throw new IllegalArgumentException("unclosed {");
    }
    String head = term.substring(0, open);
    String tail = term.substring(close + 1);
    for (String alternative : splitTopLevel(term.substring(open + 1, close))) {
      expandGroups(head + alternative + tail, out);
    }
  }

  private static List<String> splitTopLevel(String term) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (c == '|' && depth == 0) {
        parts.add(term.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(term.substring(start));
    return parts;
  }

  /** The words of the set {@code name} (normalised), empty when the lexicon defines no such set. */
  Set<String> set(String name) {
    return sets.getOrDefault(name, Set.of());
  }

  int size() {
    return entries.size();
  }

  int longestWord() {
    return longestWord;
  }

  /**
   * Reports every entry (term or idiom) whose phrase starts at token {@code start} and ends in the
   * same sentence, each once. See {@link PhraseTrie} for how a word matches a token.
   */
  void findAt(List<DeobfuscatedWords.Token> tokens, int start, PhraseTrie.Found found) {
    phrases.findAt(tokens, start, found);
  }

  /** Whether {@code token} may begin a scored (not benign) term. */
  boolean startsATerm(DeobfuscatedWords.Token token) {
    return phrases.startsATerm(token);
  }
}
