package io.parley.text.toxicity;

import io.parley.api.moderation.ToxicityScores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in toxicity scorer: no network, no model, a weighted {@link Lexicon} and a few context
 * rules. Deterministic and thread-safe (it keeps no state between calls); linear in the text's
 * length; it never logs the text.
 *
 * <p>The text is cut into normalised {@link DeobfuscatedWords} (case, accents, leetspeak, stretched
 * and spelt-out words), the lexicon's terms are matched on whole words, idioms ({@code benign}
 * terms such as "kill the process") cancel the terms they overlap, and each remaining hit's four
 * weights are adjusted by its context:
 *
 * <ul>
 *   <li>negated ("not", "never", "nobody thinks you're …") within {@value #NEGATION_WINDOW} words
 *       before it in the same clause: × {@value #NEGATED};
 *   <li>reported or quoted ("he called me 'idiot'", "she said …"): × {@value #REPORTED};
 *   <li>aimed at the reader ("you are a …", "your …", or a clause of at most {@value
 *       #VOCATIVE_CLAUSE_WORDS} words aimed at no one else, "shut up, idiot", "what a loser"):
 *       insult × {@value #TARGETED_INSULT}, toxicity × {@value #TARGETED_TOXICITY};
 *   <li>a {@code target} term aimed at no one ("this stupid printer", "I'm such an idiot"): insult
 *       × {@value #UNTARGETED_INSULT}, toxicity and severe toxicity × {@value
 *       #UNTARGETED_TOXICITY}.
 * </ul>
 *
 * Hits are combined per attribute by a damped noisy-or: the strongest hit counts in full, each
 * further one with {@value #FURTHER_HITS} of its weight ({@code v ← v + (1 − v)·w}, so never above
 * 1, and two mild words do not make a severe one). Toxicity is at least severe toxicity.
 */
public final class LexiconToxicityScorer {

  /** The scorer's name, as moderation records it beside the scores it produced. */
  public static final String NAME = "builtin-lexicon";

  static final int NEGATION_WINDOW = 5;
  static final int REPORTING_WINDOW = 6;
  static final int TARGET_WINDOW_BEFORE = 4;
  static final int TARGET_WINDOW_AFTER = 2;
  static final int VOCATIVE_CLAUSE_WORDS = 3;
  static final double NEGATED = 0.3;
  static final double REPORTED = 0.4;
  static final double TARGETED_INSULT = 1.1;
  static final double TARGETED_TOXICITY = 1.1;
  static final double UNTARGETED_INSULT = 0.55;
  static final double UNTARGETED_TOXICITY = 0.6;
  static final double FURTHER_HITS = 0.5;

  private final Lexicon lexicon;
  private final Set<String> secondPerson;
  private final Set<String> firstPerson;
  private final Set<String> negation;
  private final Set<String> negationUndone;
  private final Set<String> rhetorical;
  private final Set<String> reporting;
  private final Set<String> elsewhere;

  /** The scorer with the built-in lexicon ({@value Lexicon#BUILT_IN} on the classpath). */
  public LexiconToxicityScorer() {
    this(Lexicon.builtIn());
  }

  /** The scorer with {@code lexicon}. */
  public LexiconToxicityScorer(Lexicon lexicon) {
    this.lexicon = Objects.requireNonNull(lexicon, "lexicon");
    this.secondPerson = lexicon.set("you");
    this.firstPerson = lexicon.set("me");
    this.negation = lexicon.set("negation");
    this.negationUndone = lexicon.set("negation_undone");
    this.rhetorical = lexicon.set("rhetorical");
    this.reporting = lexicon.set("reporting");
    this.elsewhere = lexicon.set("elsewhere");
  }

  /** Scores {@code text}; {@link ToxicityScores#NONE} for a blank or harmless one. Never throws. */
  public ToxicityScores score(String text) {
    if (text == null || text.isBlank()) {
      return ToxicityScores.NONE;
    }
    DeobfuscatedWords words = DeobfuscatedWords.of(text, lexicon);
    List<Hit> hits = withoutIdiomsAndOverlaps(find(words.tokens));
    if (hits.isEmpty()) {
      return ToxicityScores.NONE;
    }
    int[] clauseSizes = clauseSizes(words.tokens);
    int[] quoteReach = quoteReach(words);
    Combined toxic = new Combined();
    Combined severe = new Combined();
    Combined insult = new Combined();
    Combined threat = new Combined();
    for (Hit hit : hits) {
      Lexicon.Entry entry = hit.entry();
      double toxicityWeight = entry.toxicity();
      double severeWeight = entry.severeToxicity();
      double insultWeight = entry.insult();
      double threatWeight = entry.threat();
      if (isTargeted(hit, words.tokens, clauseSizes)) {
        insultWeight = Math.min(1, insultWeight * TARGETED_INSULT);
        toxicityWeight = Math.min(1, toxicityWeight * TARGETED_TOXICITY);
      } else if (entry.needsTarget()) {
        insultWeight *= UNTARGETED_INSULT;
        toxicityWeight *= UNTARGETED_TOXICITY;
        severeWeight *= UNTARGETED_TOXICITY;
        threatWeight *= UNTARGETED_TOXICITY;
      }
      double context = 1;
      if (isNegated(hit, words.tokens)) {
        context *= NEGATED;
      }
      if (isReported(hit, words.tokens, quoteReach)) {
        context *= REPORTED;
      }
      toxic.add(toxicityWeight * context);
      severe.add(severeWeight * context);
      insult.add(insultWeight * context);
      threat.add(threatWeight * context);
    }
    double severeToxicity = severe.value();
    double toxicity = Math.max(toxic.value(), severeToxicity);
    return ToxicityScores.of(toxicity, severeToxicity, insult.value(), threat.value());
  }

  /** The number of tokens in each clause, by clause number (they count up from 0). */
  private static int[] clauseSizes(List<DeobfuscatedWords.Token> tokens) {
    int[] sizes = new int[tokens.get(tokens.size() - 1).clause() + 1];
    for (DeobfuscatedWords.Token token : tokens) {
      sizes[token.clause()]++;
    }
    return sizes;
  }

  /**
   * For each token, the last token that a quotation opened at or before it reaches ({@code -1} when
   * none), leaving out a quotation around the whole text: a hit is quoted when the reach at its
   * first token is at or past its last one. Built in one pass, so that a text with many quotes and
   * many hits does not compare every hit with every quote.
   */
  private static int[] quoteReach(DeobfuscatedWords text) {
    int size = text.tokens.size();
    int[] reach = new int[size];
    Arrays.fill(reach, -1);
    for (DeobfuscatedWords.Span quote : text.quotes) {
      boolean wholeText = quote.start() == 0 && quote.end() >= size - 1;
      if (!wholeText) {
        reach[quote.start()] = Math.max(reach[quote.start()], quote.end());
      }
    }
    for (int k = 1; k < size; k++) {
      reach[k] = Math.max(reach[k], reach[k - 1]);
    }
    return reach;
  }

  /**
   * One attribute's hits combined by a damped noisy-or: the strongest hit counts in full, each
   * further one closes {@value #FURTHER_HITS} of the remaining gap its weight would close alone, so
   * several mild words add up without two mild words making a severe one. Never above 1.
   */
  private static final class Combined {
    private final List<Double> weights = new ArrayList<>();

    void add(double weight) {
      if (weight > 0) {
        weights.add(weight);
      }
    }

    double value() {
      weights.sort(Comparator.reverseOrder());
      double value = 0;
      for (int i = 0; i < weights.size(); i++) {
        double weight = i == 0 ? weights.get(i) : weights.get(i) * FURTHER_HITS;
        value += (1 - value) * weight;
      }
      return Math.min(1, value);
    }
  }

  /** A term found at tokens {@code start..end} (inclusive). */
  private record Hit(Lexicon.Entry entry, int start, int end) {

    boolean overlaps(Hit other) {
      return start <= other.end && other.start <= end;
    }

    /** A longer hit around {@code other}, or the same words with a stronger term. */
    boolean covers(Hit other) {
      if (start == other.start && end == other.end) {
        return strength() > other.strength()
            || (strength() == other.strength() && entry.order() < other.entry.order());
      }
      return start <= other.start && other.end <= end;
    }

    double strength() {
      return Math.max(
          Math.max(entry.toxicity(), entry.severeToxicity()),
          Math.max(entry.insult(), entry.threat()));
    }
  }

  private List<Hit> find(List<DeobfuscatedWords.Token> tokens) {
    List<Hit> hits = new ArrayList<>();
    PhraseTrie.Found found = (entry, start, end) -> hits.add(new Hit(entry, start, end));
    for (int i = 0; i < tokens.size(); i++) {
      lexicon.findAt(tokens, i, found);
    }
    return hits;
  }

  /**
   * Drops hits that overlap an idiom and hits inside a longer hit ("fuck" inside "fuck you"). Hits
   * are in start order, so only neighbours within the longest term's reach are compared.
   */
  private static List<Hit> withoutIdiomsAndOverlaps(List<Hit> hits) {
    List<Hit> idioms = new ArrayList<>();
    List<Hit> terms = new ArrayList<>();
    for (Hit hit : hits) {
      (hit.entry().benign() ? idioms : terms).add(hit);
    }
    terms.sort(Comparator.comparingInt(Hit::start));
    idioms.sort(Comparator.comparingInt(Hit::start));
    List<Hit> kept = new ArrayList<>();
    int idiom = 0;
    for (int t = 0; t < terms.size(); t++) {
      Hit hit = terms.get(t);
      while (idiom < idioms.size() && idioms.get(idiom).end() < hit.start() - 64) {
        idiom++;
      }
      boolean drop = false;
      for (int k = idiom; k < idioms.size() && idioms.get(k).start() <= hit.end() && !drop; k++) {
        drop = idioms.get(k).overlaps(hit);
      }
      for (int k = t - 1; k >= 0 && terms.get(k).start() >= hit.start() - 64 && !drop; k--) {
        drop = terms.get(k).covers(hit);
      }
      for (int k = t + 1; k < terms.size() && terms.get(k).start() <= hit.end() && !drop; k++) {
        drop = terms.get(k).covers(hit);
      }
      if (!drop) {
        kept.add(hit);
      }
    }
    return kept;
  }

  /** A negation word shortly before, in the same clause, not undone ("why not", "can't wait"). */
  private boolean isNegated(Hit hit, List<DeobfuscatedWords.Token> tokens) {
    int clause = tokens.get(hit.start()).clause();
    for (int k = hit.start() - 1; k >= Math.max(0, hit.start() - NEGATION_WINDOW); k--) {
      DeobfuscatedWords.Token token = tokens.get(k);
      if (token.clause() != clause) {
        return false;
      }
      if (token.isAnyOf(negation)) {
        boolean undone =
            (k > 0 && tokens.get(k - 1).clause() == clause && tokens.get(k - 1).isAnyOf(rhetorical))
                || (k + 1 < hit.start() && tokens.get(k + 1).isAnyOf(negationUndone));
        return !undone;
      }
    }
    return false;
  }

  /**
   * Inside quotation marks (when the quote is not the whole message), or after a reporting word
   * ("said", "called me", "the word") in the same clause.
   */
  private boolean isReported(Hit hit, List<DeobfuscatedWords.Token> tokens, int[] quoteReach) {
    if (quoteReach[hit.start()] >= hit.end()) {
      return true;
    }
    int clause = tokens.get(hit.start()).clause();
    for (int k = hit.start() - 1; k >= Math.max(0, hit.start() - REPORTING_WINDOW); k--) {
      if (tokens.get(k).clause() != clause) {
        return false;
      }
      if (tokens.get(k).isAnyOf(reporting)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Aimed at the reader: the nearest pronoun before it in its clause is second person ("you are a
   * …", "your …"), or one follows closely ("idiots like you"), or it stands in a short clause of
   * its own ("shut up, idiot", "what a loser") with no first person and nothing else to aim at
   * ({@code elsewhere}: "this", "the", "he", …) in it.
   */
  private boolean isTargeted(Hit hit, List<DeobfuscatedWords.Token> tokens, int[] clauseSizes) {
    for (int k = hit.start(); k <= hit.end(); k++) {
      if (tokens.get(k).isAnyOf(secondPerson)) {
        return true;
      }
    }
    int clause = tokens.get(hit.start()).clause();
    for (int k = hit.start() - 1; k >= Math.max(0, hit.start() - TARGET_WINDOW_BEFORE); k--) {
      DeobfuscatedWords.Token token = tokens.get(k);
      if (token.clause() != clause) {
        break;
      }
      if (token.isAnyOf(secondPerson)) {
        return true;
      }
      if (token.isAnyOf(firstPerson)) {
        return false;
      }
    }
    for (int k = hit.end() + 1;
        k <= Math.min(tokens.size() - 1, hit.end() + TARGET_WINDOW_AFTER);
        k++) {
      DeobfuscatedWords.Token token = tokens.get(k);
      if (token.clause() != clause) {
        break;
      }
      if (token.isAnyOf(secondPerson)) {
        return true;
      }
    }
    if (clauseSizes[clause] <= VOCATIVE_CLAUSE_WORDS) {
      int from = Math.max(0, hit.start() - VOCATIVE_CLAUSE_WORDS);
      int to = Math.min(tokens.size() - 1, hit.end() + VOCATIVE_CLAUSE_WORDS);
      for (int k = from; k <= to; k++) {
        DeobfuscatedWords.Token token = tokens.get(k);
        if (token.clause() == clause && (token.isAnyOf(firstPerson) || token.isAnyOf(elsewhere))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
