package io.parley.text.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A chat message cut into sentences and words, in one left-to-right pass without regular
 * expressions. A sentence ends at a line break, or at {@code . ! ? …} followed by a space or the
 * end (so "10.40" and "v2.1" stay whole). Words keep their surface form (as written, for titles and
 * captions) and a key (lower case, apostrophes dropped: "Don't" → "dont") for look-ups. Each emoji
 * is a word of its own (with its variation selectors, skin tones and joiners kept in the surface),
 * and an emoticon such as {@code :)} is a word when the given predicate knows it.
 */
public final class ChatText {

  /**
   * A word: as written, its look-up key, whether it is an emoji or emoticon, whether a clause mark
   * ({@code , ; : ( ) – —}) comes between it and the word before, and whether it is written in
   * capitals (at least two letters, all upper case).
   */
  public record Word(
      String surface, String key, boolean emoji, boolean clauseBefore, boolean allCaps) {

    /** Written with an apostrophe ("I'll", "don't"): its key may collide with another word's. */
    public boolean contracted() {
      return !emoji && (surface.indexOf('\'') >= 0 || surface.indexOf('’') >= 0);
    }
  }

  /** A sentence: its text (trimmed, runs of white space as one space), its words, its "!" count. */
  public record Sentence(String text, List<Word> words, int exclamations) {}

  private static final String TERMINALS = ".!?…";
  private static final String CLOSERS = "\"')]}”’»";
  private static final String CLAUSE_MARKS = ",;:()[]{}–—";

  private ChatText() {}

  /** The sentences of {@code text} that contain at least one word. */
  public static List<Sentence> sentences(String text, Predicate<String> isEmoticon) {
    List<Sentence> sentences = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return sentences;
    }
    int n = text.length();
    int start = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        add(sentences, text, start, i, isEmoticon);
        start = i + 1;
        i++;
      } else if (TERMINALS.indexOf(c) >= 0) {
        int j = i;
        while (j < n
            && (TERMINALS.indexOf(text.charAt(j)) >= 0 || CLOSERS.indexOf(text.charAt(j)) >= 0)) {
          j++;
        }
        if (j == n || Character.isWhitespace(text.charAt(j))) {
          add(sentences, text, start, j, isEmoticon);
          start = j;
        }
        i = j;
      } else {
        i++;
      }
    }
    add(sentences, text, start, n, isEmoticon);
    return sentences;
  }

  private static void add(
      List<Sentence> sentences, String text, int start, int end, Predicate<String> isEmoticon) {
    if (end <= start) {
      return;
    }
    String span = text.substring(start, end);
    List<Word> words = words(span, isEmoticon);
    if (words.isEmpty()) {
      return;
    }
    int exclamations = 0;
    for (int k = 0; k < span.length(); k++) {
      if (span.charAt(k) == '!') {
        exclamations++;
      }
    }
    sentences.add(new Sentence(collapseSpaces(span), List.copyOf(words), exclamations));
  }

  /** The words of {@code span}. */
  static List<Word> words(String span, Predicate<String> isEmoticon) {
    List<Word> words = new ArrayList<>();
    boolean clause = false;
    int n = span.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(span.charAt(i))) {
        i++;
      }
      int chunkEnd = i;
      while (chunkEnd < n && !Character.isWhitespace(span.charAt(chunkEnd))) {
        chunkEnd++;
      }
      if (i >= chunkEnd) {
        break;
      }
      String chunk = span.substring(i, chunkEnd);
      String lower = chunk.toLowerCase(Locale.ROOT);
      if (!isAllLettersOrDigits(chunk) && isEmoticon.test(lower)) {
        words.add(new Word(chunk, lower, true, clause, false));
        clause = false;
      } else {
        clause = chunkWords(chunk, words, clause);
      }
      i = chunkEnd;
    }
    return words;
  }

  /** Adds the words of one chunk (no white space in it); returns whether a clause mark ends it. */
  private static boolean chunkWords(String chunk, List<Word> words, boolean clauseBefore) {
    boolean clause = clauseBefore;
    int n = chunk.length();
    int i = 0;
    while (i < n) {
      int cp = chunk.codePointAt(i);
      if (isEmoji(cp)) {
        int j = i + Character.charCount(cp);
        while (j < n && isEmojiModifier(chunk.codePointAt(j), chunk, j)) {
          int m = chunk.codePointAt(j);
          j += Character.charCount(m);
          if (m == 0x200D && j < n) { // a joiner glues the next emoji to this one
            j += Character.charCount(chunk.codePointAt(j));
          }
        }
        words.add(
            new Word(
                chunk.substring(i, j), new String(Character.toChars(cp)), true, clause, false));
        clause = false;
        i = j;
      } else if (Character.isLetterOrDigit(cp)) {
        int j = i;
        while (j < n) {
          int c = chunk.codePointAt(j);
          if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
            j += Character.charCount(c);
          } else if (isJoiner(c) && j + 1 < n && j > i && joins(chunk, j, c)) {
            j += Character.charCount(c);
          } else {
            break;
          }
        }
        String surface = chunk.substring(i, j);
        words.add(new Word(surface, key(surface), false, clause, allCaps(surface)));
        clause = false;
        i = j;
      } else {
        if (CLAUSE_MARKS.indexOf(cp) >= 0) {
          clause = true;
        }
        i += Character.charCount(cp);
      }
    }
    return clause;
  }

  private static boolean isJoiner(int c) {
    return c == '\'' || c == '’' || c == '-' || c == '.' || c == ',' || c == ':';
  }

  /** An apostrophe or hyphen between letters, or {@code . , :} between digits ("10:40", "3.5"). */
  private static boolean joins(String chunk, int at, int c) {
    int before = chunk.codePointBefore(at);
    int after = chunk.codePointAt(at + 1);
    if (c == '\'' || c == '’' || c == '-') {
      return Character.isLetterOrDigit(before) && Character.isLetterOrDigit(after);
    }
    return Character.isDigit(before) && Character.isDigit(after);
  }

  /** Pictographs and symbols (emoji, ♥, ☹, ✨…), not letters, digits or punctuation. */
  static boolean isEmoji(int cp) {
    return Character.getType(cp) == Character.OTHER_SYMBOL
        || (cp >= 0x1F000 && cp <= 0x1FAFF)
        || (cp >= 0x2600 && cp <= 0x27BF);
  }

  private static boolean isEmojiModifier(int cp, String chunk, int at) {
    return cp == 0xFE0F
        || cp == 0xFE0E
        || cp == 0x200D
        || cp == 0x20E3
        || (cp >= 0x1F3FB && cp <= 0x1F3FF)
        || (cp >= 0xE0020 && cp <= 0xE007F);
  }

  private static boolean isAllLettersOrDigits(String chunk) {
    for (int k = 0; k < chunk.length(); k++) {
      if (!Character.isLetterOrDigit(chunk.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** Lower case, without apostrophes: the form the lexicon is written in. */
  public static String key(String surface) {
    String lower = surface.toLowerCase(Locale.ROOT);
    StringBuilder key = new StringBuilder(lower.length());
    for (int k = 0; k < lower.length(); k++) {
      char c = lower.charAt(k);
      if (c != '\'' && c != '’') {
        key.append(c);
      }
    }
    return key.toString();
  }

  private static boolean allCaps(String surface) {
    int letters = 0;
    for (int k = 0; k < surface.length(); k++) {
      char c = surface.charAt(k);
      if (Character.isLetter(c)) {
        if (!Character.isUpperCase(c)) {
          return false;
        }
        letters++;
      }
    }
    return letters >= 2;
  }

  static String collapseSpaces(String span) {
    StringBuilder out = new StringBuilder(span.length());
    boolean space = false;
    for (int k = 0; k < span.length(); k++) {
      char c = span.charAt(k);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
