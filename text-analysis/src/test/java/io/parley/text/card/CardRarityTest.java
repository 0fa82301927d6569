package io.parley.text.card;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.card.Rarity;
import io.parley.text.sentiment.Sentiment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardRarityTest {

  private static final BuiltInCardGenerator GENERATOR = new BuiltInCardGenerator();
  private static final int CONVERSATIONS = 1_000;

  @Test
  void overManyConversations_commonIsTheMostFrequentAndLegendaryTheRarest() {
    // Seed 12 set the thresholds; this seed was not used for that.
    SyntheticConversations conversations = new SyntheticConversations(1012);
    Map<Rarity, Integer> split = new EnumMap<>(Rarity.class);
    for (Rarity rarity : Rarity.values()) {
      split.put(rarity, 0);
    }
    for (int i = 0; i < CONVERSATIONS; i++) {
      List<WindowMessage> window = conversations.next();
      split.merge(CardRarity.of(GENERATOR.sentimentOf(window), window), 1, Integer::sum);
    }
    System.out.println("rarity split over " + CONVERSATIONS + " synthetic conversations: " + split);
    int common = split.get(Rarity.COMMON);
    int rare = split.get(Rarity.RARE);
    int epic = split.get(Rarity.EPIC);
    int legendary = split.get(Rarity.LEGENDARY);
    assertThat(common).isGreaterThan(rare).isGreaterThan(epic).isGreaterThan(legendary);
    assertThat(rare).isGreaterThan(legendary);
    assertThat(epic).isGreaterThan(legendary);
    assertThat(legendary).as("every tier occurs").isPositive();
  }

  @Test
  void sameMessages_alwaysGiveTheSameRarityAndSentiment() {
    List<WindowMessage> window = new SyntheticConversations(7).next();
    GeneratedCard first = new BuiltInCardGenerator().generate(window);
    GeneratedCard again = new BuiltInCardGenerator().generate(new ArrayList<>(window));
    assertThat(again.rarity()).isEqualTo(first.rarity());
    assertThat(again.sentiment()).isEqualTo(first.sentiment());
  }

  @Test
  void oneAuthorAlone_isNeverEpicOrLegendary() {
    List<WindowMessage> window = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      window.add(new WindowMessage("solo", "This is the best day ever, I absolutely love it!!!"));
    }
    Sentiment strongest = Sentiment.of(1, 1);
    assertThat(CardRarity.of(strongest, window)).isEqualTo(Rarity.RARE);
  }

  @Test
  void aBigWarmCrowd_isLegendaryAndAQuietPair_isCommon() {
    List<WindowMessage> crowd = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      crowd.add(
          new WindowMessage(
              "user-" + (i % 6), "We did it, what a fantastic launch, I am so proud of this team"));
    }
    assertThat(CardRarity.of(Sentiment.of(0.95, 0.9), crowd)).isEqualTo(Rarity.LEGENDARY);
    List<WindowMessage> pair =
        List.of(new WindowMessage("a", "on my way"), new WindowMessage("b", "ok"));
    assertThat(CardRarity.of(Sentiment.of(0, 0.2), pair)).isEqualTo(Rarity.COMMON);
  }

  @Test
  void score_growsWithIntensityAndEngagement() {
    List<WindowMessage> small = List.of(new WindowMessage("a", "hello there"));
    List<WindowMessage> large = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      large.add(new WindowMessage("user-" + (i % 4), "hello there, how is everyone doing today"));
    }
    Sentiment mild = Sentiment.of(0.2, 0.3);
    Sentiment strong = Sentiment.of(0.9, 0.8);
    assertThat(CardRarity.score(strong, small)).isGreaterThan(CardRarity.score(mild, small));
    assertThat(CardRarity.score(mild, large)).isGreaterThan(CardRarity.score(mild, small));
    assertThat(CardRarity.score(Sentiment.of(-0.9, 0.8), small))
        .isEqualTo(CardRarity.score(strong, small));
  }
}
