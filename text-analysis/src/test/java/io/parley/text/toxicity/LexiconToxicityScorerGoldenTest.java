package io.parley.text.toxicity;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.moderation.ToxicityScores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pins every score the built-in scorer gives on a broad corpus, so that work on how it scores (its
 * speed, its data structures) cannot change what it scores without anyone noticing.
 *
 * <p>The corpus is every sentence of the labelled dev and holdout sets, a hand-written list of
 * spelling tricks (leetspeak, masked, stretched and spelt-out words, look-alike letters, quotes)
 * and texts generated from a fixed seed, short and up to ~10,000 characters, mixing lexicon words,
 * idioms, context words and benign chat with the same tricks. {@code
 * src/test/resources/toxicity/scorer-golden.tsv} holds, per text, its length and {@link
 * String#hashCode()} (to catch a changed corpus) and the four scores.
 *
 * <p>The expected scores were written by the scorer as it was before its matching was rewritten for
 * speed. When a score change is intended (a lexicon or rule change), rewrite the file and review
 * its diff:
 *
 * <pre>
 * mvn -B -o -q test -pl text-analysis -Dtest=LexiconToxicityScorerGoldenTest -Djacoco.skip=true \
 *     -Dscorer.golden.write=$PWD/text-analysis/src/test/resources/toxicity/scorer-golden.tsv
 * </pre>
 */
class LexiconToxicityScorerGoldenTest {

  private static final String GOLDEN = "/toxicity/scorer-golden.tsv";
  private static final LexiconToxicityScorer SCORER = new LexiconToxicityScorer();

  /** One text of the corpus, named for the failure message. */
  record Sample(String name, String text) {}

  /**
   * With {@code -Dscorer.golden.write=<file>} it first rewrites the golden file from the corpus.
   */
  @Test
  void score_givesTheRecordedScoresOnTheWholeCorpus() throws IOException {
    String rewrite = System.getProperty("scorer.golden.write");
    if (rewrite != null && !rewrite.isBlank()) {
      writeGoldenScores(Path.of(rewrite));
    }
    List<Sample> corpus = corpus();
    List<String> expected = golden(rewrite);
    assertThat(expected.size()).as("lines of " + GOLDEN).isEqualTo(corpus.size());
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      String actual = line(corpus.get(i));
      if (!actual.equals(expected.get(i))) {
        differences.add("expected " + expected.get(i) + "\n     got " + actual);
      }
    }
    assertThat(differences).as("texts scored differently from " + GOLDEN).isEmpty();
  }

  private static void writeGoldenScores(Path file) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# Scores of LexiconToxicityScorerGoldenTest's corpus: see that class.\n")
        .append("# name\tlength\thash\ttoxicity\tsevere_toxicity\tinsult\tthreat\n");
    for (Sample sample : corpus()) {
      out.append(line(sample)).append('\n');
    }
    Files.writeString(file, out.toString());
  }

  private static String line(Sample sample) {
    ToxicityScores scores = SCORER.score(sample.text());
    return String.join(
        "\t",
        sample.name(),
        Integer.toString(sample.text().length()),
        Integer.toString(sample.text().hashCode()),
        scores.toxicity().toPlainString(),
        scores.severeToxicity().toPlainString(),
        scores.insult().toPlainString(),
        scores.threat().toPlainString());
  }

  /** The golden lines: from the file just rewritten, if any, else from the classpath. */
  private static List<String> golden(String rewritten) throws IOException {
    String text;
    if (rewritten != null && !rewritten.isBlank()) {
      text = Files.readString(Path.of(rewritten));
    } else {
      try (InputStream in = LexiconToxicityScorerGoldenTest.class.getResourceAsStream(GOLDEN)) {
        assertThat(in).as(GOLDEN).isNotNull();
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
    return text.lines().filter(line -> !line.startsWith("#")).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // The corpus

  static List<Sample> corpus() throws IOException {
    List<Sample> corpus = new ArrayList<>();
    for (String set : List.of("dev", "holdout")) {
      List<LexiconToxicityScorerQualityTest.Example> examples =
          LexiconToxicityScorerQualityTest.load("/toxicity/labelled-" + set + ".tsv");
      for (int i = 0; i < examples.size(); i++) {
        corpus.add(new Sample(set + "-" + i, examples.get(i).text()));
      }
    }
    for (int i = 0; i < TRICKS.size(); i++) {
      corpus.add(new Sample("trick-" + i, TRICKS.get(i)));
    }
    Random random = new Random(20_261_124L);
    for (int i = 0; i < 600; i++) {
      corpus.add(new Sample("generated-" + i, generated(random, 10 + random.nextInt(400))));
    }
    for (int i = 0; i < 12; i++) {
      corpus.add(new Sample("long-" + i, generated(random, 2_000 + random.nextInt(8_000))));
    }
    corpus.add(new Sample("long-benign", benign(random, 10_000)));
    return corpus;
  }

  private static final List<String> TRICKS =
      List.of(
          "f*ck you",
          "f**k you",
          "F*CK YOU",
          "sh*t",
          "you f*cking m*ron",
          "you are a f*cking idi*t",
          "f*ckingmotherf*ckers everywhere",
          "motherf*cker",
          "*fuck* you*",
          "f*ck*ng h*ll",
          "f * c k you",
          "you are an i*d*i*o*t",
          "fuuuuuuuck you",
          "you are stuuuuuupid",
          "you're soooo duuumb",
          "idiooooot",
          "shiiiiit",
          "kiiiiill yourseeeelf",
          "f.u.c.k you",
          "f u c k y o u",
          "you are an i d i o t",
          "u r a i-d-i-o-t",
          "k-i-l-l y-o-u-r-s-e-l-f",
          "s.t.u.p.i.d",
          "a b c d e f g h i j k l m n o p",
          "i d i o t i d i o t i d i o t",
          "y0u 4r3 4n 1d10t",
          "k1ll y0urs3lf",
          "you absolute @$$",
          "@$$h0l3",
          "b!tch please",
          "sh!t happens",
          "|d|ot",
          "1d!0t",
          "5hut up",
          "d!3 1n 4 f1r3",
          "ＹＯＵ ＡＲＥ ＡＮ ＩＤＩＯＴ",
          "YoU aRe An ÏDÍÖT",
          "уоu аrе аn іdіоt",
          "id\u200Biot",
          "i\u0301d\u0301i\u0301o\u0301t\u0301",
          "you're not an idiot",
          "nobody thinks you're an idiot",
          "why don't you kill yourself",
          "I can't wait to kill it on stage",
          "he called me 'idiot' in the standup",
          "she said \"you idiot\" to the screen",
          "\"you are an idiot\"",
          "“you are an idiot,” he wrote",
          "«idiot» «moron»",
          "it's 'f*ck' not 'fuck'",
          "shut up, idiot",
          "what a loser",
          "this stupid printer jammed again",
          "git blame says I wrote this. I'm such an idiot",
          "I'll kill you",
          "ill kill u",
          "I'm gonna kill you",
          "i will fucking destroy you",
          "can you kill the process on port 8080",
          "Kill -9 is overkill, try SIGTERM first",
          "shoot me an email when you're back",
          "I will beat you at chess",
          "you are a cockroach",
          "the jews are vermin",
          "go die",
          "die in a fire",
          "Die Hard is the best christmas movie",
          "fuck you ".repeat(50),
          "idiot".repeat(200),
          "f.".repeat(500),
          "*".repeat(300),
          "f*".repeat(300),
          "\"'".repeat(300),
          "1!$@|".repeat(200),
          "\uD83D\uDE00\u200B\u0301é".repeat(100),
          "a ".repeat(400),
          "you ".repeat(300),
          "");

  private static final String[] TOXIC = {
    "idiot",
    "moron",
    "stupid",
    "dumb",
    "loser",
    "fuck",
    "fucking",
    "shit",
    "bitch",
    "asshole",
    "cunt",
    "retard",
    "die",
    "kill",
    "rape",
    "hate",
    "scum",
    "vermin",
    "trash",
    "pig",
    "dog",
    "clown",
    "waste",
    "shut",
    "up",
    "hell",
    "damn",
    "crap",
    "slut",
    "whore",
    "fag",
    "cock",
    "dick",
    "pussy",
    "motherfucker",
    "wtf",
    "stfu",
    "kys",
    "yourself",
    "dead",
    "hurt",
    "stab",
    "shoot",
    "burn",
    "hang",
    "bullet",
    "throat",
    "legs",
    "break",
    "pay",
    "regret",
    "live",
  };

  private static final String[] CONTEXT = {
    "you",
    "u",
    "ur",
    "your",
    "you're",
    "ya",
    "i",
    "i'll",
    "ill",
    "i'm",
    "im",
    "we",
    "me",
    "my",
    "not",
    "never",
    "no",
    "nobody",
    "don't",
    "can't",
    "why",
    "how",
    "wait",
    "just",
    "said",
    "called",
    "told",
    "word",
    "the",
    "this",
    "that",
    "he",
    "she",
    "they",
    "them",
    "him",
    "her",
    "a",
    "an",
    "are",
    "is",
    "r",
    "so",
    "such",
    "will",
    "gonna",
    "going",
    "to",
    "should",
    "go",
    "and",
    "of",
    "for",
    "where",
    "know",
    "everyone",
    "all",
    "these",
    "those",
    "jews",
    "but",
  };

  private static final String[] BENIGN = {
    "process",
    "email",
    "code",
    "build",
    "deploy",
    "server",
    "job",
    "pod",
    "test",
    "chess",
    "lunch",
    "meeting",
    "review",
    "printer",
    "coffee",
    "monday",
    "cocktail",
    "assessment",
    "Scunthorpe",
    "Dickens",
    "class",
    "pass",
    "killer",
    "feature",
    "deadline",
    "simple",
    "out",
    "time",
    "it",
    "me",
    "warned",
    "back",
    "thanks",
    "please",
    "tomorrow",
    "port",
    "8080",
    "v2",
    "hello",
    "team",
    "standup",
    "PR",
    "merge",
    "yes",
    "ok",
    "lol",
    "👍",
    "über",
    "naïve",
  };

  private static final String[] SEPARATORS = {
    " ", " ", " ", " ", " ", " ", ", ", ". ", "! ", "? ", " \"", "\" ", " '", "' ", "\n", " - ",
    "; ", " (", ") ", "... ", " “", "” ", ": ", "  ",
  };

  /** Words from the three lists above with spelling tricks, until {@code length} characters. */
  private static String generated(Random random, int length) {
    StringBuilder text = new StringBuilder(length + 32);
    while (text.length() < length) {
      int pick = random.nextInt(10);
      String[] words = pick < 3 ? TOXIC : pick < 7 ? CONTEXT : BENIGN;
      text.append(disguised(random, words[random.nextInt(words.length)]));
      text.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
    }
    return text.toString();
  }

  /** Benign chat only, until {@code length} characters. */
  private static String benign(Random random, int length) {
    StringBuilder text = new StringBuilder(length + 32);
    while (text.length() < length) {
      text.append(BENIGN[random.nextInt(BENIGN.length)]);
      text.append(SEPARATORS[random.nextInt(SEPARATORS.length)]);
    }
    return text.toString();
  }

  /** {@code word} as written, or with one spelling trick of a writer dodging a filter. */
  private static String disguised(Random random, String word) {
    if (word.length() < 2) {
      return word;
    }
    int at = 1 + random.nextInt(word.length() - 1);
    return switch (random.nextInt(14)) {
      case 0 -> word.toUpperCase(java.util.Locale.ROOT);
      case 1 -> leet(word, random);
      case 2 -> word.substring(0, at) + "*" + word.substring(Math.min(word.length(), at + 1));
      case 3 -> word.substring(0, at) + "**" + word.substring(Math.min(word.length(), at + 2));
      case 4 ->
          word.substring(0, at)
              + word.substring(at - 1, at).repeat(2 + random.nextInt(5))
              + word.substring(at);
      case 5 -> String.join(String.valueOf(" .-*".charAt(random.nextInt(4))), word.split(""));
      case 6 -> word.replace('e', 'é').replace('o', 'о').replace('a', 'а');
      case 7 -> word.substring(0, at) + "\u200B" + word.substring(at);
      case 8 -> word.substring(0, at) + "'" + word.substring(at);
      case 9 -> word + word.substring(word.length() - 1).repeat(3);
      default -> word;
    };
  }

  private static String leet(String word, Random random) {
    StringBuilder out = new StringBuilder(word.length());
    for (char c : word.toCharArray()) {
      String options =
          switch (c) {
            case 'a' -> "a4@";
            case 'e' -> "e3";
            case 'i' -> "i1!|";
            case 'l' -> "l1|";
            case 'o' -> "o0";
            case 's' -> "s5$";
            case 't' -> "t7+";
            case 'b' -> "b8";
            case 'g' -> "g9";
            default -> String.valueOf(c);
          };
      out.append(options.charAt(random.nextInt(options.length())));
    }
    return out.toString();
  }
}
