package io.parley.text.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in sentiment analyser: no network, no model, the VADER lexicon (Hutto &amp; Gilbert,
 * 2014) with Parley's additions, and VADER-style rules re-implemented here. Deterministic and
 * thread-safe (no state between calls); linear in the text's length; it never logs the text.
 *
 * <p>Per sentence ({@link ChatText}), each rated word or phrase contributes its valence, adjusted
 * by what comes before it in its clause (at most {@value #LOOK_BACK} words):
 *
 * <ul>
 *   <li>a booster ("very", "extremely", "so") adds {@value #BOOST} to its strength, a dampener
 *       ("slightly", "kind of") takes {@value #BOOST} away (× 1, 0.95, 0.9 by distance);
 *   <li>written in capitals among words that are not: {@value #CAPS} more strength;
 *   <li>a negation ("not", "never", "don't", "no") flips and damps it: × {@value #NEGATED};
 *   <li>contrast: before "but" (or "however") × {@value #BEFORE_CONTRAST}, after it × {@value
 *       #AFTER_CONTRAST}; a sentence opening with "although"/"though"/"while": its first clause ×
 *       {@value #BEFORE_CONTRAST}, the rest × {@value #AFTER_CONTRAST}.
 * </ul>
 *
 * The sum, plus {@value #EXCLAMATION} per "!" (at most four) in its direction, is normalised as
 * VADER's compound score, {@code s / √(s² + 15)}: the sentence's polarity. Its confidence is the
 * agreement of its contributions ({@code |P − N| / (P + N)}) times the evidence {@code 1 − e^(−(P +
 * N)/}{@value #EVIDENCE_SCALE}{@code )}; a sentence without rated words has polarity 0 and a
 * confidence growing with its length up to {@value #NEUTRAL_CONFIDENCE}.
 */
public final class SentimentAnalyser {

  /** Polarities strictly inside ±this are neutral. */
  public static final double NEUTRAL_BAND = 0.1;

  static final int LOOK_BACK = 3;
  static final double BOOST = 0.293;
  static final double CAPS = 0.733;
  static final double NEGATED = -0.74;
  static final double BEFORE_CONTRAST = 0.5;
  static final double AFTER_CONTRAST = 1.5;
  static final double EXCLAMATION = 0.292;
  static final double ALPHA = 15;
  static final double EVIDENCE_SCALE = 2.5;
  static final double NEUTRAL_CONFIDENCE = 0.6;
  static final double NEUTRAL_SENTENCE_WEIGHT = 0.5;
  private static final double[] DISTANCE = {1, 0.95, 0.9};

  private final SentimentLexicon lexicon;
  private final Set<String> negation;
  private final Set<String> booster;
  private final Set<String> dampener;
  private final Set<String> contrast;
  private final Set<String> concession;
  private final Set<String> subject;

  /** The analyser with the built-in lexicon. */
  public SentimentAnalyser() {
    this(SentimentLexicon.builtIn());
  }

  /** The analyser with {@code lexicon}. */
  public SentimentAnalyser(SentimentLexicon lexicon) {
    this.lexicon = Objects.requireNonNull(lexicon, "lexicon");
    this.negation = lexicon.set("negation");
    this.booster = lexicon.set("booster");
    this.dampener = lexicon.set("dampener");
    this.contrast = lexicon.set("contrast");
    this.concession = lexicon.set("concession");
    this.subject = lexicon.set("subject");
  }

  /** One sentence's text and its sentiment. */
  public record ScoredSentence(String text, Sentiment sentiment) {}

  /** The sentences of {@code text}, as the analyser cuts them (see {@link ChatText}). */
  public List<ChatText.Sentence> sentences(String text) {
    return ChatText.sentences(text, lexicon::isEmoticon);
  }

  /** Each sentence of {@code text} with its sentiment. */
  public List<ScoredSentence> analyseSentences(String text) {
    List<ScoredSentence> scored = new ArrayList<>();
    for (ChatText.Sentence sentence : sentences(text)) {
      scored.add(new ScoredSentence(sentence.text(), score(sentence).sentiment()));
    }
    return scored;
  }

  /** The sentiment of one sentence, as {@link #sentences} cuts them. */
  public Sentiment analyse(ChatText.Sentence sentence) {
    return score(sentence).sentiment();
  }

  /** The sentiment of one text (a message): its sentences combined as in a window. */
  public Sentiment analyse(String text) {
    return analyseWindow(text == null ? List.of() : List.of(text));
  }

  /**
   * The sentiment of a window of messages. Polarity: the mean of its sentences' polarities, a
   * neutral sentence weighing {@value #NEUTRAL_SENTENCE_WEIGHT} and any other 1, so that logistics
   * between opinions dilute them only partly. Confidence: the sentences' mean confidence (same
   * weights), times {@code ½ + ½·agreement} (agreement = |weighted sum| / weighted sum of
   * magnitudes: 1 when every opinion points the same way), times {@code n / (n + 1)} for {@code n}
   * sentences (one sentence is thin evidence). {@link Sentiment#NONE} for no words at all.
   */
  public Sentiment analyseWindow(List<String> texts) {
    double weighted = 0;
    double magnitudes = 0;
    double weights = 0;
    double confidences = 0;
    int count = 0;
    for (String text : texts) {
      for (ChatText.Sentence sentence : sentences(text)) {
        Sentiment s = score(sentence).sentiment();
        double weight = isNeutral(s.polarity()) ? NEUTRAL_SENTENCE_WEIGHT : 1;
        weighted += weight * s.polarity();
        magnitudes += weight * Math.abs(s.polarity());
        weights += weight;
        confidences += weight * s.confidence();
        count++;
      }
    }
    if (count == 0) {
      return Sentiment.NONE;
    }
    double polarity = weighted / weights;
    double agreement = magnitudes == 0 ? 1 : Math.abs(weighted) / magnitudes;
    double confidence =
        (confidences / weights) * (0.5 + 0.5 * agreement) * ((double) count / (count + 1));
    return Sentiment.of(polarity, confidence);
  }

  /** Whether a polarity counts as neutral (strictly inside ±{@value #NEUTRAL_BAND}). */
  public static boolean isNeutral(double polarity) {
    return Math.abs(polarity) < NEUTRAL_BAND;
  }

  private enum Role {
    NONE,
    PART_OF_PHRASE,
    RATED,
    BOOSTER,
    DAMPENER,
    NEGATION,
    CONTRAST
  }

  /** A sentence's score before rounding: its polarity, and its confidence. */
  record Score(double polarity, double confidence) {
    Sentiment sentiment() {
      return Sentiment.of(polarity, confidence);
    }
  }

  Score score(ChatText.Sentence sentence) {
    List<ChatText.Word> words = sentence.words();
    int n = words.size();
    Role[] roles = new Role[n];
    double[] valence = new double[n];
    boolean[] clauseBefore = new boolean[n];
    String[] keys = new String[n];
    boolean shouting = true;
    for (int i = 0; i < n; i++) {
      keys[i] = words.get(i).key();
      clauseBefore[i] = words.get(i).clauseBefore();
      shouting &= words.get(i).allCaps() || words.get(i).emoji();
    }
    boolean[] contracted = new boolean[n];
    for (int i = 0; i < n; i++) {
      contracted[i] = words.get(i).contracted();
    }
    assignRoles(keys, contracted, roles, valence);

    // Each rated word: boosted, dampened, emphasised and negated by its clause's words before it.
    double[] contribution = new double[n];
    for (int i = 0; i < n; i++) {
      if (roles[i] != Role.RATED || valence[i] == 0) {
        continue;
      }
      double v = valence[i];
      double sign = Math.signum(v);
      if (words.get(i).allCaps() && !shouting) {
        v += sign * CAPS;
      }
      boolean negated = false;
      for (int d = 1; d <= LOOK_BACK && i - d >= 0; d++) {
        int j = i - d;
        if (clauseBefore[j + 1]) {
          break;
        }
        switch (roles[j]) {
          case BOOSTER -> v += sign * BOOST * DISTANCE[d - 1];
          case DAMPENER -> v -= sign * BOOST * DISTANCE[d - 1];
          case NEGATION -> negated = true;
          default -> {}
        }
      }
      if (Math.signum(v) != sign) {
        v = 0; // dampened away
      }
      if (negated) {
        v *= NEGATED;
      }
      contribution[i] = v;
    }

    // Contrast: the clause after "but" weighs more than the one before.
    int pivot = -1;
    for (int i = 0; i < n; i++) {
      if (roles[i] == Role.CONTRAST) {
        pivot = i;
      }
    }
    if (pivot < 0 && n > 0 && concession.contains(keys[0])) {
      for (int i = 1; i < n && pivot < 0; i++) {
        if (clauseBefore[i]) {
          pivot = i;
        }
      }
    }
    if (pivot >= 0) {
      for (int i = 0; i < n; i++) {
        contribution[i] *= i < pivot ? BEFORE_CONTRAST : i > pivot ? AFTER_CONTRAST : 1;
      }
    }

    double positive = 0;
    double negative = 0;
    for (double c : contribution) {
      if (c > 0) {
        positive += c;
      } else {
        negative -= c;
      }
    }
    double sum = positive - negative;
    if (sum != 0) {
      sum += Math.signum(sum) * EXCLAMATION * Math.min(4, sentence.exclamations());
    }
    double polarity = sum / Math.sqrt(sum * sum + ALPHA);
    double evidence = positive + negative;
    double confidence;
    if (evidence == 0) {
      confidence = NEUTRAL_CONFIDENCE * (1 - Math.exp(-n / 8.0));
    } else {
      double agreement = Math.abs(positive - negative) / evidence;
      confidence = agreement * (1 - Math.exp(-evidence / EVIDENCE_SCALE));
    }
    return new Score(polarity, confidence);
  }

  /**
   * Gives each word its role: phrases in the lexicon first (longest first), then modifier phrases
   * ("kind of"), then single words. "like" is rated only as a verb (after a subject or adverb); a
   * booster that the lexicon also rates ("super") rates only when no rated word follows it; a word
   * written with an apostrophe is rated only as a negation ("don't"), since dropping the apostrophe
   * makes other words of some ("I'll" → "ill").
   */
  private void assignRoles(String[] keys, boolean[] contracted, Role[] roles, double[] valence) {
    int n = keys.length;
    java.util.Arrays.fill(roles, Role.NONE);
    for (int i = 0; i < n; i++) {
      if (roles[i] != Role.NONE) {
        continue;
      }
      boolean matched = false;
      for (int len = Math.min(lexicon.longestPhrase(), n - i); len >= 2 && !matched; len--) {
        String phrase = join(keys, i, len);
        if (dampener.contains(phrase) || booster.contains(phrase)) {
          for (int k = i; k < i + len - 1; k++) {
            roles[k] = Role.PART_OF_PHRASE;
          }
          roles[i + len - 1] = dampener.contains(phrase) ? Role.DAMPENER : Role.BOOSTER;
          matched = true;
        } else {
          Double v = lexicon.valence(phrase);
          if (v != null) {
            roles[i] = Role.RATED;
            valence[i] = v;
            for (int k = i + 1; k < i + len; k++) {
              roles[k] = Role.PART_OF_PHRASE;
            }
            matched = true;
          }
        }
      }
      if (matched) {
        continue;
      }
      String key = keys[i];
      if (contracted[i] && !negation.contains(key)) {
        continue; // "I'll" is not "ill", "he'll" not "hell", "we're" not "were"
      }
      if (negation.contains(key)) {
        roles[i] = Role.NEGATION;
      } else if (contrast.contains(key) && i > 0) {
        roles[i] = Role.CONTRAST;
      } else if (booster.contains(key) || dampener.contains(key)) {
        Double own = lexicon.valence(key);
        boolean ratedNext = i + 1 < n && rated(keys[i + 1]);
        if (own != null && !ratedNext) {
          roles[i] = Role.RATED;
          valence[i] = own;
        } else {
          roles[i] = booster.contains(key) ? Role.BOOSTER : Role.DAMPENER;
        }
      } else {
        Double v = lexicon.valence(key);
        if (v == null) {
          v = lexicon.valence(shortened(key, 2));
        }
        if (v == null) {
          v = lexicon.valence(shortened(key, 1));
        }
        if (v != null && (!key.equals("like") || (i > 0 && subject.contains(keys[i - 1])))) {
          roles[i] = Role.RATED;
          valence[i] = v;
        }
      }
    }
  }

  private boolean rated(String key) {
    Double v = lexicon.valence(key);
    return v != null && v != 0 && !negation.contains(key);
  }

  private static String join(String[] keys, int from, int len) {
    StringBuilder phrase = new StringBuilder(keys[from]);
    for (int k = from + 1; k < from + len; k++) {
      phrase.append(' ').append(keys[k]);
    }
    return phrase.toString();
  }

  /**
   * Stretched letters shortened: runs of three or more letters become {@code keep} letters
   * ("goooood" → "good" with 2, "sooo" → "so" with 1).
   */
  static String shortened(String key, int keep) {
    StringBuilder out = new StringBuilder(key.length());
    int i = 0;
    while (i < key.length()) {
      char c = key.charAt(i);
      int j = i;
      while (j < key.length() && key.charAt(j) == c) {
        j++;
      }
      int run = j - i;
      for (int k = 0; k < (run >= 3 ? keep : run); k++) {
        out.append(c);
      }
      i = j;
    }
    return out.toString();
  }
}
