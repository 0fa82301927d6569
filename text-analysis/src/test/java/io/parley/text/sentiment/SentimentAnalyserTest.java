package io.parley.text.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentimentAnalyserTest {

  private static final SentimentAnalyser ANALYSER = new SentimentAnalyser();

  private static double polarity(String text) {
    return ANALYSER.analyse(text).polarity();
  }

  @Test
  void analyse_ratesPlainPraiseAndComplaint() {
    assertThat(polarity("The food was good")).isPositive();
    assertThat(polarity("The food was bad")).isNegative();
  }

  @Test
  void analyse_givesNoPolarityToPlainInformation() {
    Sentiment sentiment = ANALYSER.analyse("The meeting is at 3pm in room B");
    assertThat(sentiment.polarity()).isZero();
    assertThat(SentimentAnalyser.isNeutral(sentiment.polarity())).isTrue();
  }

  @Test
  void analyse_givesNothingToBlankOrEmptyText() {
    assertThat(ANALYSER.analyse("")).isEqualTo(Sentiment.NONE);
    assertThat(ANALYSER.analyse("   \n ")).isEqualTo(Sentiment.NONE);
    assertThat(ANALYSER.analyse((String) null)).isEqualTo(Sentiment.NONE);
    assertThat(ANALYSER.analyseWindow(List.of())).isEqualTo(Sentiment.NONE);
  }

  @Test
  void analyse_flipsANegatedWord() {
    assertThat(polarity("The food was not good")).isNegative();
    assertThat(polarity("The food wasn't bad")).isPositive();
    assertThat(polarity("I don't like it")).isNegative();
  }

  @Test
  void analyse_negationStopsAtAClauseMark() {
    // "no" answers the question; the clause after the comma is not negated.
    assertThat(polarity("No, it was great")).isPositive();
  }

  @Test
  void analyse_strengthensAfterAnIntensifier() {
    assertThat(polarity("The food was very good")).isGreaterThan(polarity("The food was good"));
    assertThat(polarity("The food was extremely bad")).isLessThan(polarity("The food was bad"));
  }

  @Test
  void analyse_weakensAfterADiminisher() {
    double plain = polarity("The food was good");
    double damped = polarity("The food was slightly good");
    assertThat(damped).isPositive().isLessThan(plain);
    assertThat(polarity("The food was kind of good")).isPositive().isLessThan(plain);
  }

  @Test
  void analyse_weighsTheClauseAfterButMore() {
    assertThat(polarity("The view was great but the room was awful")).isNegative();
    assertThat(polarity("The room was awful but the view was great")).isPositive();
    assertThat(polarity("Although the room was awful, the view was great")).isPositive();
  }

  @Test
  void analyse_readsCapitalsAndExclamationsAsEmphasis() {
    assertThat(polarity("The food was GOOD")).isGreaterThan(polarity("The food was good"));
    assertThat(polarity("The food was good!!")).isGreaterThan(polarity("The food was good"));
  }

  @Test
  void analyse_readsEmojiAndEmoticons() {
    assertThat(polarity("see you at the station 😂")).isPositive();
    assertThat(polarity("see you at the station 😢")).isNegative();
    assertThat(polarity("see you at the station :)")).isPositive();
    assertThat(polarity("see you at the station :(")).isNegative();
    assertThat(polarity("see you at the station ❤️")).isPositive();
  }

  @Test
  void analyse_ratesLikeOnlyAsAVerb() {
    assertThat(polarity("It looks like rain")).isZero();
    assertThat(polarity("I like rain")).isPositive();
  }

  @Test
  void analyse_doesNotReadContractionsAsOtherWords() {
    // Without the apostrophe "I'll" is "ill" and "he'll" is "hell", both rated by VADER.
    assertThat(polarity("I'll be there around six")).isZero();
    assertThat(polarity("He'll call you later")).isZero();
    assertThat(polarity("I am ill")).isNegative();
    assertThat(polarity("It isn't good")).isNegative(); // negations still count
  }

  @Test
  void analyse_readsABoosterThatIsAlsoAWordBothWays() {
    assertThat(polarity("The hotel was pretty good")).isGreaterThan(polarity("The hotel was good"));
    assertThat(polarity("What a pretty garden")).isPositive();
  }

  @Test
  void analyse_readsStretchedWords() {
    assertThat(polarity("that was goooood")).isPositive();
  }

  @Test
  void analyse_staysInRangeForExtremeText() {
    String praise = "amazing wonderful fantastic brilliant excellent!!!! ".repeat(200);
    Sentiment sentiment = ANALYSER.analyse(praise);
    assertThat(sentiment.polarity()).isBetween(0.9, 1.0);
    assertThat(sentiment.confidence()).isBetween(0.0, 1.0);
    Sentiment mixed = ANALYSER.analyse("great awful great awful. love hate.");
    assertThat(mixed.polarity()).isBetween(-1.0, 1.0);
    assertThat(mixed.confidence()).isBetween(0.0, 1.0);
  }

  @Test
  void analyse_isMoreConfidentWhenOpinionsAgree() {
    Sentiment agreeing =
        ANALYSER.analyseWindow(
            List.of("This is great", "I love it", "Wonderful work", "So happy with it"));
    Sentiment split =
        ANALYSER.analyseWindow(List.of("This is great", "I hate it", "Wonderful work", "Awful"));
    Sentiment one = ANALYSER.analyseWindow(List.of("This is great"));
    assertThat(agreeing.confidence()).isGreaterThan(split.confidence());
    assertThat(agreeing.confidence()).isGreaterThan(one.confidence());
    assertThat(agreeing.polarity()).isPositive();
  }

  @Test
  void analyse_isDeterministic() {
    String text = "Honestly not bad, but the ending was VERY disappointing!! 😢";
    Sentiment first = new SentimentAnalyser().analyse(text);
    for (int i = 0; i < 5; i++) {
      assertThat(new SentimentAnalyser().analyse(text)).isEqualTo(first);
    }
  }

  @Test
  void analyseSentences_scoresEachSentence() {
    List<SentimentAnalyser.ScoredSentence> sentences =
        ANALYSER.analyseSentences(
            "The train leaves at 10.40. I love this city! The hotel is awful");
    assertThat(sentences)
        .extracting(SentimentAnalyser.ScoredSentence::text)
        .containsExactly("The train leaves at 10.40.", "I love this city!", "The hotel is awful");
    assertThat(sentences.get(0).sentiment().polarity()).isZero();
    assertThat(sentences.get(1).sentiment().polarity()).isPositive();
    assertThat(sentences.get(2).sentiment().polarity()).isNegative();
  }
}
