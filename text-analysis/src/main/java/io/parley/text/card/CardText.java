package io.parley.text.card;

import io.parley.text.sentiment.ChatText;
import io.parley.text.sentiment.Sentiment;
import io.parley.text.sentiment.SentimentAnalyser;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A card's title and caption, drawn only from the window's own words: nothing is paraphrased,
 * translated or added except the joiner {@code " & "} between two key phrases, an ellipsis where a
 * text is cut, and a capital first letter in the title.
 *
 * <ul>
 *   <li><b>Key phrases</b>: every run of one to three consecutive content words (not a stop word,
 *       not a number, not a single letter, not an emoji) within a clause. A phrase scores the sum
 *       of its words' frequencies in the window, divided by words^0.3, times {@code 1 + ln(how
 *       often the phrase itself occurs)}: a phrase whose words keep occurring together beats its
 *       parts. The best phrase, as first written, is the title; the next best that shares no word
 *       with it is joined with " & " when the first has fewer than three words, the second occurs
 *       at least twice and scores at least half as much, and both fit.
 *   <li><b>Caption</b>: the most representative sentence: the one whose content words are closest
 *       (cosine) to the window's word frequencies, a little more for a sentence whose feeling goes
 *       the window's way, a little less for one with fewer than three content words.
 *   <li><b>Limits</b>: title at most {@value #TITLE_LIMIT}, caption at most {@value #CAPTION_LIMIT}
 *       characters (Unicode code points); a longer text is cut at the last word boundary that fits
 *       and ends with "…" (a single word longer than the limit is cut between characters).
 *   <li><b>Fallbacks</b>, never empty: without any content word, the first sentence is the title
 *       and the longest the caption (emoji-only windows keep their emoji); without any word or
 *       emoji, the first non-blank message as written; with only blank messages, "…".
 * </ul>
 */
public final class CardText {

  /** The most characters (code points) in a title. */
  public static final int TITLE_LIMIT = 60;

  /** The most characters (code points) in a caption. */
  public static final int CAPTION_LIMIT = 280;

  static final String ELLIPSIS = "…";
  static final String JOINER = " & ";
  static final int PHRASE_WORDS = 3;
  static final double LENGTH_DAMPING = 0.3;
  static final double SECOND_PHRASE = 0.5;

  /** Words that say little about what a conversation is about (English; chat fillers included). */
  static final Set<String> STOP_WORDS =
      Set.of(
          "a",
          "about",
          "above",
          "after",
          "again",
          "against",
          "all",
          "also",
          "am",
          "an",
          "and",
          "any",
          "are",
          "arent",
          "around",
          "as",
          "at",
          "be",
          "because",
          "been",
          "before",
          "being",
          "below",
          "between",
          "both",
          "but",
          "by",
          "can",
          "cant",
          "cannot",
          "could",
          "couldnt",
          "did",
          "didnt",
          "do",
          "does",
          "doesnt",
          "doing",
          "dont",
          "down",
          "during",
          "each",
          "either",
          "else",
          "even",
          "ever",
          "every",
          "few",
          "for",
          "from",
          "further",
          "get",
          "gets",
          "got",
          "had",
          "hadnt",
          "has",
          "hasnt",
          "have",
          "havent",
          "having",
          "he",
          "hed",
          "hell",
          "her",
          "here",
          "hers",
          "herself",
          "hes",
          "hey",
          "hi",
          "him",
          "himself",
          "his",
          "how",
          "i",
          "id",
          "if",
          "ill",
          "im",
          "in",
          "into",
          "is",
          "isnt",
          "it",
          "its",
          "itself",
          "ive",
          "just",
          "let",
          "lets",
          "like",
          "me",
          "might",
          "more",
          "most",
          "much",
          "must",
          "my",
          "myself",
          "no",
          "nor",
          "not",
          "now",
          "of",
          "off",
          "oh",
          "ok",
          "okay",
          "on",
          "once",
          "one",
          "only",
          "or",
          "other",
          "ought",
          "our",
          "ours",
          "ourselves",
          "out",
          "over",
          "own",
          "really",
          "same",
          "shall",
          "she",
          "shed",
          "shell",
          "shes",
          "should",
          "shouldnt",
          "so",
          "some",
          "still",
          "such",
          "than",
          "that",
          "thats",
          "the",
          "their",
          "theirs",
          "them",
          "themselves",
          "then",
          "there",
          "theres",
          "these",
          "they",
          "theyd",
          "theyll",
          "theyre",
          "theyve",
          "thing",
          "things",
          "this",
          "those",
          "though",
          "through",
          "to",
          "too",
          "under",
          "until",
          "up",
          "us",
          "very",
          "was",
          "wasnt",
          "we",
          "wed",
          "well",
          "were",
          "werent",
          "weve",
          "what",
          "whats",
          "when",
          "where",
          "which",
          "while",
          "who",
          "whom",
          "whos",
          "why",
          "will",
          "with",
          "wont",
          "would",
          "wouldnt",
          "yeah",
          "yes",
          "yet",
          "you",
          "youd",
          "youll",
          "your",
          "youre",
          "yours",
          "yourself",
          "youve",
          "yep",
          "yup",
          "lol",
          "haha",
          "hmm",
          "ah",
          "uh",
          "um",
          "guys",
          "anyone",
          "someone",
          "something",
          "anything",
          "everything",
          "nothing",
          "maybe",
          "actually",
          "probably",
          "pretty",
          "quite",
          "going",
          "gonna",
          "wanna",
          "gotta",
          "think",
          "know",
          "see",
          "say",
          "said",
          "tell",
          "make",
          "made",
          "go",
          "goes",
          "went",
          "come",
          "came",
          "take",
          "took",
          "want",
          "need",
          "please",
          "thanks",
          "thank",
          "today",
          "tomorrow",
          "yesterday",
          "tonight",
          "time",
          "way",
          "lot",
          "bit",
          "kind",
          "sort",
          "nobody",
          "everyone",
          "everybody",
          "anybody",
          "somebody",
          "sure");

  /** A title and a caption. */
  public record TitleAndCaption(String title, String caption) {}

  private final SentimentAnalyser analyser;

  /** Title and caption with this analyser's sentence cutting and sentence sentiment. */
  public CardText(SentimentAnalyser analyser) {
    this.analyser = Objects.requireNonNull(analyser, "analyser");
  }

  private record Occurrence(String key, String surface, int order) {}

  private record Candidate(List<String> keys, String surface, int first, int count) {}

  private record ScoredSentence(
      ChatText.Sentence sentence, Map<String, Integer> terms, double polarity) {}

  /** Title and caption of {@code messages}, whose overall sentiment is {@code sentiment}. */
  public TitleAndCaption of(List<WindowMessage> messages, Sentiment sentiment) {
    List<ScoredSentence> sentences = new ArrayList<>();
    Map<String, Integer> frequency = new HashMap<>();
    for (WindowMessage message : messages) {
      for (ChatText.Sentence sentence : analyser.sentences(message.text())) {
        Map<String, Integer> terms = new HashMap<>();
        for (ChatText.Word word : sentence.words()) {
          if (isContent(word)) {
            terms.merge(word.key(), 1, Integer::sum);
            frequency.merge(word.key(), 1, Integer::sum);
          }
        }
        sentences.add(new ScoredSentence(sentence, terms, analyser.analyse(sentence).polarity()));
      }
    }
    if (frequency.isEmpty()) {
      return fallback(messages, sentences);
    }
    return new TitleAndCaption(
        title(sentences, frequency), caption(sentences, frequency, sentiment));
  }

  private static String title(List<ScoredSentence> sentences, Map<String, Integer> frequency) {
    Map<String, Candidate> candidates = new HashMap<>();
    int order = 0;
    for (ScoredSentence scored : sentences) {
      List<ChatText.Word> words = scored.sentence().words();
      int runStart = -1;
      for (int i = 0; i <= words.size(); i++) {
        boolean content = i < words.size() && isContent(words.get(i));
        boolean breaks = i < words.size() && words.get(i).clauseBefore();
        if (runStart >= 0 && (!content || breaks)) {
          order = addRun(words, runStart, i, candidates, order);
          runStart = -1;
        }
        if (content && runStart < 0) {
          runStart = i;
        }
      }
    }
    List<Candidate> ranked = new ArrayList<>(candidates.values());
    ranked.sort(
        (a, b) -> {
          int byScore = Double.compare(phraseScore(b, frequency), phraseScore(a, frequency));
          return byScore != 0 ? byScore : Integer.compare(a.first(), b.first());
        });
    Candidate best = ranked.get(0);
    String title = capitalised(best.surface());
    if (best.keys().size() < PHRASE_WORDS) {
      double bar = SECOND_PHRASE * phraseScore(best, frequency);
      for (Candidate other : ranked.subList(1, ranked.size())) {
        if (phraseScore(other, frequency) < bar) {
          break;
        }
        if (other.count() >= 2 && disjoint(best.keys(), other.keys())) {
          String joined = title + JOINER + other.surface();
          if (joined.codePointCount(0, joined.length()) <= TITLE_LIMIT) {
            title = joined;
          }
          break;
        }
      }
    }
    return fit(title, TITLE_LIMIT);
  }

  /**
   * Adds every phrase of one to {@value #PHRASE_WORDS} words inside the run {@code
   * words[from..to)}.
   */
  private static int addRun(
      List<ChatText.Word> words, int from, int to, Map<String, Candidate> candidates, int order) {
    for (int start = from; start < to; start++) {
      for (int length = 1; length <= PHRASE_WORDS && start + length <= to; length++) {
        List<String> keys = new ArrayList<>();
        StringBuilder surface = new StringBuilder();
        for (int k = start; k < start + length; k++) {
          keys.add(words.get(k).key());
          if (surface.length() > 0) {
            surface.append(' ');
          }
          surface.append(words.get(k).surface());
        }
        String key = String.join(" ", keys);
        Candidate seen = candidates.get(key);
        candidates.put(
            key,
            seen == null
                ? new Candidate(List.copyOf(keys), surface.toString(), order++, 1)
                : new Candidate(seen.keys(), seen.surface(), seen.first(), seen.count() + 1));
      }
    }
    return order;
  }

  private static double phraseScore(Candidate candidate, Map<String, Integer> frequency) {
    double sum = 0;
    for (String key : candidate.keys()) {
      sum += frequency.getOrDefault(key, 0);
    }
    return sum
        / Math.pow(candidate.keys().size(), LENGTH_DAMPING)
        * (1 + Math.log(candidate.count()));
  }

  private static boolean disjoint(List<String> a, List<String> b) {
    Set<String> seen = new HashSet<>(a);
    for (String key : b) {
      if (seen.contains(key)) {
        return false;
      }
    }
    return true;
  }

  private static String caption(
      List<ScoredSentence> sentences, Map<String, Integer> frequency, Sentiment sentiment) {
    double windowNorm = 0;
    for (int f : frequency.values()) {
      windowNorm += (double) f * f;
    }
    windowNorm = Math.sqrt(windowNorm);
    double direction =
        SentimentAnalyser.isNeutral(sentiment.polarity()) ? 0 : Math.signum(sentiment.polarity());
    ScoredSentence best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (ScoredSentence scored : sentences) {
      if (scored.terms().isEmpty()) {
        continue;
      }
      double dot = 0;
      double norm = 0;
      int contentWords = 0;
      for (Map.Entry<String, Integer> term : scored.terms().entrySet()) {
        dot += (double) term.getValue() * frequency.get(term.getKey());
        norm += (double) term.getValue() * term.getValue();
        contentWords += term.getValue();
      }
      double cosine = dot / (Math.sqrt(norm) * windowNorm);
      double score =
          cosine * (0.5 + 0.5 * Math.min(1, contentWords / 3.0))
              + 0.15 * Math.max(0, scored.polarity() * direction);
      if (score > bestScore) {
        bestScore = score;
        best = scored;
      }
    }
    return fit(best.sentence().text(), CAPTION_LIMIT);
  }

  private static TitleAndCaption fallback(
      List<WindowMessage> messages, List<ScoredSentence> sentences) {
    if (!sentences.isEmpty()) {
      String longest = sentences.get(0).sentence().text();
      for (ScoredSentence scored : sentences) {
        String text = scored.sentence().text();
        if (text.codePointCount(0, text.length()) > longest.codePointCount(0, longest.length())) {
          longest = text;
        }
      }
      return new TitleAndCaption(
          fit(capitalised(sentences.get(0).sentence().text()), TITLE_LIMIT),
          fit(longest, CAPTION_LIMIT));
    }
    for (WindowMessage message : messages) {
      String text = message.text().strip();
      if (!text.isEmpty()) {
        String collapsed = String.join(" ", text.split("\\s+"));
        return new TitleAndCaption(fit(collapsed, TITLE_LIMIT), fit(collapsed, CAPTION_LIMIT));
      }
    }
    return new TitleAndCaption(ELLIPSIS, ELLIPSIS);
  }

  static boolean isContent(ChatText.Word word) {
    if (word.emoji() || STOP_WORDS.contains(word.key())) {
      return false;
    }
    int letters = 0;
    for (int i = 0; i < word.key().length(); i++) {
      if (Character.isLetter(word.key().charAt(i))) {
        letters++;
      }
    }
    return letters >= 2;
  }

  /** The first letter in upper case when the rest of its word is lower case ("iPhone" stays). */
  static String capitalised(String text) {
    if (text.isEmpty()) {
      return text;
    }
    int first = text.codePointAt(0);
    if (!Character.isLowerCase(first)) {
      return text;
    }
    int end = Character.charCount(first);
    while (end < text.length() && Character.isLetter(text.charAt(end))) {
      if (Character.isUpperCase(text.charAt(end))) {
        return text;
      }
      end++;
    }
    return new StringBuilder()
        .appendCodePoint(Character.toUpperCase(first))
        .append(text, Character.charCount(first), text.length())
        .toString();
  }

  /**
   * {@code text} if it has at most {@code limit} code points; otherwise cut at the last word
   * boundary that leaves room for "…" (between characters, never inside one, when a single word is
   * longer), without trailing spaces or clause marks, and "…" appended.
   */
  static String fit(String text, int limit) {
    if (text.codePointCount(0, text.length()) <= limit) {
      return text;
    }
    int offset = text.offsetByCodePoints(0, limit - 1);
    BreakIterator characters = BreakIterator.getCharacterInstance();
    characters.setText(text);
    int cut = characters.isBoundary(offset) ? offset : characters.preceding(offset);
    while (cut > 0 && splitsAnEmoji(text, cut)) {
      cut = characters.preceding(cut);
    }
    if (!isWordBoundary(text, cut)) {
      int space = cut;
      while (space > 0 && !Character.isWhitespace(text.charAt(space - 1))) {
        space--;
      }
      if (space > 0) {
        cut = space - 1;
      }
    }
    int end = cut;
    while (end > 0 && isTrailingMark(text.charAt(end - 1))) {
      end--;
    }
    if (end == 0) {
      end = cut;
    }
    if (end == 0) {
      return ELLIPSIS;
    }
    return text.substring(0, end) + ELLIPSIS;
  }

  /** Whether cutting at {@code at} would separate an emoji from its joiner or modifier. */
  private static boolean splitsAnEmoji(String text, int at) {
    if (at >= text.length()) {
      return false;
    }
    int after = text.codePointAt(at);
    return text.codePointBefore(at) == 0x200D
        || after == 0x200D
        || after == 0xFE0F
        || after == 0xFE0E
        || after == 0x20E3
        || (after >= 0x1F3FB && after <= 0x1F3FF);
  }

  private static boolean isWordBoundary(String text, int at) {
    return at <= 0
        || at >= text.length()
        || !Character.isLetterOrDigit(text.codePointBefore(at))
        || !Character.isLetterOrDigit(text.codePointAt(at));
  }

  private static boolean isTrailingMark(char c) {
    return Character.isWhitespace(c) || ",;:-–—(&".indexOf(c) >= 0;
  }
}
