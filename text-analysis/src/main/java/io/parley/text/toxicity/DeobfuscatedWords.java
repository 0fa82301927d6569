package io.parley.text.toxicity;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A text cut into normalised word tokens, in one left-to-right pass (no regular expressions, so
 * linear in the text's length): case folded, accents and zero-width characters removed, look-alike
 * letters and leetspeak mapped back to letters, runs of three or more identical letters shortened
 * to two, and letters spelt out one by one ("f.u.c.k", "i d i o t") joined back into the word they
 * spell. Each token knows its clause and sentence; spans between closed quotation marks are kept
 * for the reported-speech rule.
 */
final class DeobfuscatedWords {

  /**
   * A word: its spelling variants (the first is the main one; "1" may be an i or an l, "*" may mask
   * a letter or separate them) and, for each, the form with every repeated letter collapsed, or
   * {@code null} when it has none.
   */
  record Token(String[] forms, String[] collapsed, int clause, int sentence) {

    String form() {
      return forms[0];
    }

    boolean isAnyOf(Set<String> words) {
      for (String form : forms) {
        if (words.contains(form)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Token indices {@code start..end} (inclusive) between a pair of quotation marks. */
  record Span(int start, int end) {}

  static final String NUMBER = "#";

  private static final String CLAUSE_MARKS = ",;:()[]{}–—…";
  private static final String SENTENCE_MARKS = ".!?\n\r";
  private static final String LETTER_SEPARATORS = " .-_*/+~";
  private static final Set<String> CLAUSE_WORDS = Set.of("but", "although", "though", "however");

  final List<Token> tokens;
  final List<Span> quotes;

  private DeobfuscatedWords(List<Token> tokens, List<Span> quotes) {
    this.tokens = tokens;
    this.quotes = quotes;
  }

  // ---------------------------------------------------------------------------------------------
  // Character folding

  /** Case folded, compatibility-decomposed, without marks, format characters or look-alikes. */
  static String fold(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder folded = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      switch (Character.getType(cp)) {
        case Character.NON_SPACING_MARK,
            Character.ENCLOSING_MARK,
            Character.COMBINING_SPACING_MARK,
            Character.FORMAT -> {
          continue;
        }
        default -> {}
      }
      int lower = Character.toLowerCase(cp);
      folded.append(lookAlike(lower));
    }
    return folded.toString();
  }

  /** Cyrillic and Greek letters that look like Latin ones, as those Latin letters. */
  private static char lookAlike(int cp) {
    return switch (cp) {
      case 'а' -> 'a';
      case 'в' -> 'b';
      case 'е', 'ё', 'ε' -> 'e';
      case 'і', 'ı', 'ι' -> 'i';
      case 'к', 'κ' -> 'k';
      case 'м' -> 'm';
      case 'н', 'η' -> 'n';
      case 'о', 'ο' -> 'o';
      case 'р', 'ρ' -> 'p';
      case 'с' -> 'c';
      case 'т', 'τ' -> 't';
      case 'у', 'υ' -> 'y';
      case 'х', 'χ' -> 'x';
      case 'ѕ' -> 's';
      case 'ј' -> 'j';
      case 'α' -> 'a';
      case 'ν' -> 'v';
      case 'ß' -> 's';
      default -> cp <= Character.MAX_VALUE ? (char) cp : '\uFFFD';
    };
  }

  /** A lexicon word in the same form the tokens of a text take. */
  static String normaliseWord(String raw) {
    String folded = fold(raw);
    StringBuilder word = new StringBuilder(folded.length());
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        word.append(c);
      }
    }
    return shortenRuns(word.toString());
  }

  /** Runs of three or more identical characters shortened to two ("stuuupid" → "stuupid"). */
  static String shortenRuns(String form) {
    if (!hasRunOfThree(form)) {
      return form;
    }
    StringBuilder out = new StringBuilder(form.length());
    for (int i = 0; i < form.length(); i++) {
      char c = form.charAt(i);
      int len = out.length();
      if (len >= 2 && out.charAt(len - 1) == c && out.charAt(len - 2) == c) {
        continue;
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean hasRunOfThree(String form) {
    for (int i = 2; i < form.length(); i++) {
      char c = form.charAt(i);
      if (form.charAt(i - 1) == c && form.charAt(i - 2) == c) {
        return true;
      }
    }
    return false;
  }

  /** Every run of identical characters shortened to one ("stuupid" → "stupid"). */
  static String collapse(String form) {
    StringBuilder out = new StringBuilder(form.length());
    for (int i = 0; i < form.length(); i++) {
      char c = form.charAt(i);
      if (out.isEmpty() || out.charAt(out.length() - 1) != c) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean hasRepeat(String form) {
    for (int i = 1; i < form.length(); i++) {
      if (form.charAt(i) == form.charAt(i - 1) && form.charAt(i) != '*') {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Tokenising

  private static boolean isAlnum(String s, int i) {
    return i >= 0 && i < s.length() && Character.isLetterOrDigit(s.charAt(i));
  }

  private static boolean startsWord(String s, int i) {
    char c = s.charAt(i);
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    return (c == '$' || c == '@')
        && i + 1 < s.length()
        && (isAlnum(s, i + 1) || s.charAt(i + 1) == '$' || s.charAt(i + 1) == '@');
  }

  private static boolean continuesWord(String s, int i) {
    char c = s.charAt(i);
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    return switch (c) {
      case '$', '@' -> true;
      case '*' -> isAlnum(s, i - 1) || isAlnum(s, i + 1) || s.charAt(i - 1) == '*';
      case '!', '|' -> isAlnum(s, i + 1);
      case '\'', '’', '‘' -> isAlnum(s, i + 1) && isAlnum(s, i - 1);
      default -> false;
    };
  }

  /** A raw word (letters, digits and leet characters) as a token, before joining. */
  private static Token token(String raw, int clause, int sentence) {
    int start = 0;
    int end = raw.length();
    while (start < end && raw.charAt(start) == '*') {
      start++;
    }
    while (end > start && (raw.charAt(end - 1) == '*' || raw.charAt(end - 1) == '|')) {
      end--;
    }
    String word = raw.substring(start, end);
    boolean hasLetter = false;
    for (int i = 0; i < word.length() && !hasLetter; i++) {
      char c = word.charAt(i);
      hasLetter = Character.isLetter(c) || c == '@' || c == '$';
    }
    if (!hasLetter) {
      return new Token(new String[] {NUMBER}, new String[] {null}, clause, sentence);
    }
    boolean ambiguous = false; // a '1', '!' or '|': an i or an l
    boolean masked = false; // a '*': a masked letter or a separator
    boolean asWritten = true; // no apostrophe, no leet character
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      ambiguous |= c == '1' || c == '!' || c == '|';
      masked |= c == '*';
      asWritten &= !isApostrophe(c) && leet(c) == c;
    }
    if (!ambiguous && !masked) {
      // Most words: the alternative and unmasked spellings below would equal the main one.
      String main = asWritten ? word : spelling(word, false, false);
      return withForms(new String[] {shortenRuns(main)}, clause, sentence);
    }
    Set<String> forms = new LinkedHashSet<>();
    forms.add(shortenRuns(spelling(word, false, false)));
    forms.add(shortenRuns(spelling(word, true, false)));
    String unmasked = spelling(word, false, true);
    if (unmasked.length() >= 2) {
      forms.add(shortenRuns(unmasked));
    }
    return withForms(forms.toArray(String[]::new), clause, sentence);
  }

  /**
   * The letters of a raw word, without apostrophes, leet characters read as letters: the main
   * spelling, or the {@code alternative} one ("1" and "!" as l, "|" as i), or the main one without
   * the {@code *} masks ({@code unmasked}).
   */
  private static String spelling(String word, boolean alternative, boolean unmasked) {
    StringBuilder letters = new StringBuilder(word.length());
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (isApostrophe(c) || (unmasked && c == '*')) {
        continue;
      }
      if (alternative && (c == '1' || c == '!')) {
        letters.append('l');
      } else if (alternative && c == '|') {
        letters.append('i');
      } else {
        letters.append(leet(c));
      }
    }
    return letters.toString();
  }

  private static boolean isApostrophe(char c) {
    return c == '\'' || c == '’' || c == '‘';
  }

  private static Token withForms(String[] forms, int clause, int sentence) {
    String[] collapsed = new String[forms.length];
    for (int i = 0; i < forms.length; i++) {
      collapsed[i] = hasRepeat(forms[i]) ? collapse(forms[i]) : null;
    }
    return new Token(forms, collapsed, clause, sentence);
  }

  private static char leet(char c) {
    return switch (c) {
      case '0' -> 'o';
      case '1', '!' -> 'i';
      case '3' -> 'e';
      case '4', '@' -> 'a';
      case '5', '$' -> 's';
      case '7', '+' -> 't';
      case '8' -> 'b';
      case '9' -> 'g';
      case '|' -> 'l';
      default -> c;
    };
  }

  private static boolean isSingleLetter(Token token) {
    String form = token.form();
    return form.length() == 1 && Character.isLetter(form.charAt(0));
  }

  /** Tokenises {@code text}; {@code lexicon} decides which spelt-out letters form a word. */
  static DeobfuscatedWords of(String text, Lexicon lexicon) {
    String s = fold(text);
    List<Token> raw = new ArrayList<>();
    List<Boolean> joinable = new ArrayList<>();
    List<int[]> quoteSpans = new ArrayList<>();
    int clause = 0;
    int sentence = 0;
    boolean clauseEnded = false;
    boolean sentenceEnded = false;
    boolean gapSeparatesLetters = true;
    int gapLength = 0;
    int doubleOpen = -1;
    int singleOpen = -1;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (startsWord(s, i)) {
        int j = i;
        while (j < n && continuesWord(s, j)) {
          j++;
        }
        Token candidate = token(s.substring(i, j), 0, 0);
        boolean joins =
            !raw.isEmpty()
                && isSingleLetter(raw.get(raw.size() - 1))
                && isSingleLetter(candidate)
                && gapSeparatesLetters
                && gapLength <= 3;
        if (!joins && !raw.isEmpty()) {
          if (sentenceEnded) {
            sentence++;
            clause++;
          } else if (clauseEnded) {
            clause++;
          }
        }
        Token token = new Token(candidate.forms(), candidate.collapsed(), clause, sentence);
        raw.add(token);
        joinable.add(joins);
        clauseEnded = CLAUSE_WORDS.contains(token.form());
        sentenceEnded = false;
        gapSeparatesLetters = true;
        gapLength = 0;
        i = j;
        continue;
      }
      gapLength++;
      if (LETTER_SEPARATORS.indexOf(c) < 0) {
        gapSeparatesLetters = false;
      }
      if (SENTENCE_MARKS.indexOf(c) >= 0) {
        sentenceEnded = true;
      } else if (CLAUSE_MARKS.indexOf(c) >= 0) {
        clauseEnded = true;
      }
      switch (c) {
        case '"', '“', '”', '«', '»', '„' -> {
          boolean opens = c == '“' || c == '«' || c == '„';
          boolean closes = c == '”' || c == '»';
          if (doubleOpen >= 0 && !opens) {
            quoteSpans.add(new int[] {doubleOpen, raw.size() - 1});
            doubleOpen = -1;
          } else if (!closes || doubleOpen < 0) {
            doubleOpen = raw.size();
          }
        }
        case '\'', '‘', '’', '`' -> {
          if (isAlnum(s, i - 1)) {
            if (singleOpen >= 0) {
              quoteSpans.add(new int[] {singleOpen, raw.size() - 1});
              singleOpen = -1;
            }
          } else if (isAlnum(s, i + 1) || (i + 1 < n && startsWord(s, i + 1))) {
            singleOpen = raw.size();
          }
        }
        default -> {}
      }
      i++;
    }
    return join(raw, joinable, quoteSpans, lexicon);
  }

  /** Joins runs of spelt-out letters that spell a lexicon word; re-indexes the quote spans. */
  private static DeobfuscatedWords join(
      List<Token> raw, List<Boolean> joinable, List<int[]> quoteSpans, Lexicon lexicon) {
    List<Token> tokens = new ArrayList<>(raw.size());
    int[] newIndex = new int[raw.size() + 1];
    int i = 0;
    while (i < raw.size()) {
      int runEnd = i + 1;
      while (runEnd < raw.size() && joinable.get(runEnd)) {
        runEnd++;
      }
      if (runEnd - i < 3) {
        newIndex[i] = tokens.size();
        tokens.add(raw.get(i));
        i++;
        continue;
      }
      // a run of single letters i..runEnd-1: join the longest stretches that spell a term
      int j = i;
      while (j < runEnd) {
        int joinedEnd = -1;
        Token joined = null;
        // every token of the run is one letter: each stretch j..k-1 is a prefix of the longest
        StringBuilder letters = new StringBuilder();
        for (int m = j; m < Math.min(runEnd, j + lexicon.longestWord() + 4); m++) {
          letters.append(raw.get(m).form());
        }
        for (int k = j + letters.length(); k >= j + 3; k--) {
          Token candidate =
              withForms(
                  new String[] {shortenRuns(letters.substring(0, k - j))},
                  raw.get(j).clause(),
                  raw.get(j).sentence());
          if (lexicon.startsATerm(candidate)) {
            joined = candidate;
            joinedEnd = k;
            break;
          }
        }
        if (joined == null) {
          newIndex[j] = tokens.size();
          tokens.add(raw.get(j));
          j++;
        } else {
          for (int m = j; m < joinedEnd; m++) {
            newIndex[m] = tokens.size();
          }
          tokens.add(joined);
          j = joinedEnd;
        }
      }
      i = runEnd;
    }
    newIndex[raw.size()] = tokens.size();
    List<Span> quotes = new ArrayList<>();
    for (int[] span : quoteSpans) {
      if (span[1] >= span[0] && span[0] < raw.size()) {
        quotes.add(new Span(newIndex[span[0]], newIndex[span[1]]));
      }
    }
    return new DeobfuscatedWords(List.copyOf(tokens), List.copyOf(quotes));
  }
}
