package io.parley.text.toxicity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.moderation.ToxicityScores;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LexiconToxicityScorerTest {

  private static final double WARN = 0.6;
  private static final double BLOCK = 0.8;
  private static final LexiconToxicityScorer SCORER = new LexiconToxicityScorer();

  private static ToxicityScores scores(String text) {
    return SCORER.score(text);
  }

  private static double highest(String text) {
    return scores(text).highest().doubleValue();
  }

  @Test
  void score_loadsTheBuiltInLexicon() {
    assertThat(highest("you are an idiot")).isGreaterThanOrEqualTo(WARN);
  }

  @Test
  void score_givesNothingToCleanOrBlankText() {
    assertThat(scores("Can someone review my PR when they get a chance?"))
        .isEqualTo(ToxicityScores.NONE);
    assertThat(scores("   ")).isEqualTo(ToxicityScores.NONE);
    assertThat(scores("")).isEqualTo(ToxicityScores.NONE);
  }

  @Test
  void score_foldsCaseAndStripsAccents() {
    assertThat(highest("YoU aRe An ÏDÍÖT")).isEqualTo(highest("you are an idiot"));
  }

  @Test
  void score_seesThroughLeetspeak() {
    assertThat(highest("y0u 4r3 4n 1d10t")).isEqualTo(highest("you are an idiot"));
    assertThat(highest("k1ll y0urs3lf")).isGreaterThanOrEqualTo(BLOCK);
    assertThat(highest("you absolute @$$")).isGreaterThanOrEqualTo(WARN);
  }

  @Test
  void score_seesThroughStretchedLetters() {
    assertThat(highest("you are stuuuuupid")).isEqualTo(highest("you are stupid"));
    assertThat(highest("fuuuuuck you")).isEqualTo(highest("fuck you"));
  }

  @Test
  void score_joinsLettersSpeltOutOneByOne() {
    assertThat(highest("f.u.c.k you")).isEqualTo(highest("fuck you"));
    assertThat(highest("you are an i d i o t")).isEqualTo(highest("you are an idiot"));
    assertThat(highest("u r a i-d-i-o-t")).isGreaterThanOrEqualTo(WARN);
  }

  @Test
  void score_seesThroughMaskedLetters() {
    assertThat(highest("f*ck you")).isEqualTo(highest("fuck you"));
  }

  @Test
  void score_ignoresOffensiveSubstringsInsideWords() {
    for (String text :
        List.of(
            "We drove through Scunthorpe on the way to Hull.",
            "the assessment is due friday",
            "classic monday, coffee machine broken again",
            "Anyone want to grab a cocktail after work?",
            "my therapist says hi",
            "Reading Dickens for book club",
            "as you pass the class, assume nothing")) {
      assertThat(scores(text)).as(text).isEqualTo(ToxicityScores.NONE);
    }
  }

  @Test
  void score_lowersNegatedInsults() {
    assertThat(highest("you're not an idiot")).isLessThan(WARN);
    assertThat(highest("nobody thinks you're an idiot")).isLessThan(WARN);
    assertThat(highest("I would never call you stupid")).isLessThan(WARN);
    assertThat(highest("you're not an idiot")).isLessThan(highest("you're an idiot") / 2);
  }

  @Test
  void score_keepsRhetoricalNegationsThatUrgeHarm() {
    assertThat(highest("why don't you kill yourself")).isGreaterThanOrEqualTo(BLOCK);
  }

  @Test
  void score_lowersQuotedAndReportedSpeech() {
    assertThat(highest("he called me 'idiot' in the standup")).isLessThan(WARN);
    assertThat(highest("she said \"you idiot\" to the screen")).isLessThan(WARN);
    assertThat(highest("my brother always says I'm stupid")).isLessThan(WARN);
  }

  @Test
  void score_doesNotTreatAMessageWhollyInQuotesAsReported() {
    assertThat(highest("\"you are an idiot\"")).isEqualTo(highest("you are an idiot"));
  }

  @Test
  void score_raisesInsultsAimedAtTheReader() {
    assertThat(scores("you are stupid").insult())
        .isGreaterThan(scores("this printer is stupid").insult());
    assertThat(highest("your stupid face")).isGreaterThanOrEqualTo(WARN);
    assertThat(highest("shut up, idiot")).isGreaterThanOrEqualTo(WARN);
    assertThat(highest("this stupid printer jammed again")).isLessThan(WARN);
  }

  @Test
  void score_treatsSelfDeprecationAsUntargeted() {
    assertThat(highest("git blame says I wrote this. I'm such an idiot")).isLessThan(WARN);
  }

  @Test
  void score_treatsProfanityAsEmphasisUnlessAimed() {
    assertThat(highest("this fucking printer jammed again")).isLessThan(WARN);
    assertThat(highest("Holy shit, the deploy worked")).isLessThan(WARN);
    assertThat(highest("fuck you")).isGreaterThanOrEqualTo(WARN);
    assertThat(highest("you fucking idiot")).isGreaterThanOrEqualTo(BLOCK);
  }

  @Test
  void score_doesNotReadBenignIdiomsAsThreats() {
    for (String text :
        List.of(
            "can you kill the process on port 8080",
            "This bug is killing me",
            "that's a killer feature, ship it",
            "shoot me an email when you're back",
            "I'll shoot you an email tomorrow",
            "dead code should be removed",
            "Kill -9 is overkill, try SIGTERM first",
            "I will beat you at chess")) {
      assertThat(scores(text).threat().doubleValue()).as(text).isZero();
      assertThat(highest(text)).as(text).isLessThan(WARN);
    }
  }

  @Test
  void score_blocksThreatsOfViolenceOnTheThreatAttribute() {
    for (String text :
        List.of("I'll kill you", "I know where you live", "I will break your legs")) {
      assertThat(scores(text).threat().doubleValue()).as(text).isGreaterThanOrEqualTo(BLOCK);
    }
    assertThat(highest("I will not hurt you")).isLessThan(WARN);
  }

  @Test
  void score_blocksSlursAndDehumanisingLanguage() {
    assertThat(highest("You're vermin. Subhuman garbage.")).isGreaterThanOrEqualTo(BLOCK);
  }

  @Test
  void score_combinesSeveralHitsUpToOne() {
    ToxicityScores one = scores("you idiot");
    ToxicityScores many = scores("you idiot, you moron, you stupid loser, you clown");
    assertThat(many.insult()).isGreaterThan(one.insult());
    assertThat(scores("fuck you ".repeat(500)).highest().doubleValue()).isLessThanOrEqualTo(1.0);
    assertThat(highest("shut up. loser")).isLessThan(BLOCK);
  }

  @Test
  void score_isDeterministicAcrossThreads() {
    List<String> texts =
        List.of("you are an idiot", "I'll kill you", "kill the process", "f.u.c.k you", "lol");
    List<ToxicityScores> expected = texts.stream().map(LexiconToxicityScorerTest::scores).toList();
    IntStream.range(0, 400)
        .parallel()
        .forEach(
            i ->
                assertThat(scores(texts.get(i % texts.size())))
                    .isEqualTo(expected.get(i % texts.size())));
  }

  @Test
  void score_neverThrowsAndStaysFastOnLongAdversarialText() {
    List<String> texts =
        List.of(
            "a ".repeat(5_000),
            "f.".repeat(5_000),
            "*".repeat(10_000),
            "f*".repeat(5_000),
            "x".repeat(10_000),
            "idiot".repeat(2_000),
            "\"'".repeat(5_000),
            "1!$@|".repeat(2_000),
            "you ".repeat(2_500),
            "\uD83D\uDE00\u200B\u0301é".repeat(2_000),
            "fuck you, ".repeat(1_000));
    long started = System.nanoTime();
    for (String text : texts) {
      assertThat(SCORER.score(text)).isNotNull();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void constructor_usesTheGivenLexiconOnly() {
    Lexicon lexicon =
        Lexicon.parse(
            """
            # a test lexicon
            @set\tfruit\tbanana|mango
            @fruit peel\t0.9\t0.1\t0.2\t0.0
            mango peel tea\tbenign
            """);
    LexiconToxicityScorer scorer = new LexiconToxicityScorer(lexicon);
    assertThat(scorer.score("mind the b4n4n4 peel").toxicity().doubleValue()).isEqualTo(0.9);
    assertThat(scorer.score("mango peel tea please")).isEqualTo(ToxicityScores.NONE);
    assertThat(scorer.score("you idiot")).isEqualTo(ToxicityScores.NONE);
  }

  @Test
  void parse_rejectsAMalformedLineNamingItsNumber() {
    assertThatThrownBy(() -> Lexicon.parse("# ok\nidiot\t0.5\t0.1\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> Lexicon.parse("idiot\t1.5\t0\t0\t0\n"))
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> Lexicon.parse("@nope idiot\t0.5\t0\t0\t0\n"))
        .hasMessageContaining("unknown set");
  }
}
