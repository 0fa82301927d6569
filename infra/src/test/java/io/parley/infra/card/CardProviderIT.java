package io.parley.infra.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.IsolatedDatabaseInitializer;
import io.parley.query.card.CardProjection;
import io.parley.testsupport.FakeCardProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Cards made by an external provider, end to end: an OpenAI-compatible endpoint on WireMock ({@link
 * FakeCardProvider}) behind Parley's LangChain4j writer, over HTTP and PostgreSQL. Consent decides
 * what the provider sees; the provenance ledger records every call and spares a call for an
 * identical window; a failing provider falls back to the built-in generator; replaying the cards
 * projection calls nothing; pictures are drawn, served inside the artwork and erased.
 *
 * <p>On a database of its own: on the shared one, another test's application (without a provider)
 * could hold the card saga's token and make these cards itself. Here this node makes and counts
 * every card, so the card metrics are asserted here too.
 */
@ContextConfiguration(initializers = IsolatedDatabaseInitializer.class, inheritInitializers = false)
class CardProviderIT extends CardApiTestBase {

  static final FakeCardProvider PROVIDER = FakeCardProvider.start();

  @DynamicPropertySource
  static void provider(DynamicPropertyRegistry properties) {
    properties.add("parley.cards.provider.base-url", PROVIDER::baseUrl);
    properties.add("parley.cards.provider.model", () -> "fake-model");
    properties.add("parley.cards.provider.name", () -> "fakeai");
    properties.add("parley.cards.provider.api-key", () -> "sk-test-secret");
    properties.add("parley.cards.provider.batch-linger", () -> "PT0.05S");
    properties.add("parley.cards.provider.initial-backoff", () -> "PT0.02S");
    properties.add("parley.cards.provider.requests-per-minute", () -> "6000");
    properties.add("parley.cards.provider.images", () -> "true");
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.close();
  }

  @BeforeEach
  void providerAnswers() {
    PROVIDER.failWith(0);
  }

  @Test
  void theProvider_seesOnlyAiConsentingMessages_underPseudonyms_andEveryCallIsRecorded() {
    grant(aliceToken, "CARD_GENERATION", "AI_PROCESSING");
    grant(bobToken, "CARD_GENERATION"); // cards yes, AI no
    String conversation = startConversation(aliceToken, bob, "carol-" + run);
    String aliceText = "ALICE-" + run + " the trip was lovely";
    String bobText = "BOB-" + run + " it really was";
    send(aliceToken, conversation, aliceText);
    send(bobToken, conversation, bobText);
    send(carolToken, conversation, "CAROL-" + run + " no consent at all");
    awaitTimeline(conversation, 3);
    int callsBefore = PROVIDER.calls();

    String cardId = requestCard(bobToken, conversation, Map.of()).json().get("cardId").asText();
    JsonNode card = awaitStatus(cardId, aliceToken, "READY");
    assertThat(card.get("provider").asText()).isEqualTo("fakeai");
    assertThat(card.get("title").asText()).isEqualTo("A fine exchange");
    assertThat(card.get("messageCount").asInt()).isEqualTo(1); // Alice's alone
    assertThat(card.get("sentiment").get("polarity").asDouble()).isEqualTo(0.6);
    assertThat(PROVIDER.calls()).isEqualTo(callsBefore + 1);

    String prompt = PROVIDER.lastPrompt();
    assertThat(prompt).contains(aliceText).contains(cardId).contains("A: ");
    assertThat(prompt).doesNotContain("BOB-" + run, "CAROL-" + run, alice, bob);

    Map<String, Object> call =
        jdbc.queryForMap(
            "select * from card_provider_call where card_id = ?::uuid and model = 'fake-model'",
            cardId);
    assertThat(call.get("provider")).isEqualTo("fakeai");
    assertThat(call.get("model")).isEqualTo("fake-model");
    assertThat(call.get("outcome")).isEqualTo("SUCCESS");
    assertThat((String) call.get("prompt_sha256")).hasSize(64);
    assertThat(call.get("prompt_tokens")).isEqualTo(100);
    assertThat(call.get("completion_tokens")).isEqualTo(20);

    // The picture: drawn once, kept in PostgreSQL, served inside the artwork, never linked.
    assertThat(
            jdbc.queryForObject(
                "select outcome from card_provider_call where card_id = ?::uuid"
                    + " and model = 'gpt-image-1'",
                String.class,
                cardId))
        .isEqualTo("SUCCESS");
    Response artwork = api.get("/api/v1/cards/" + cardId + "/artwork.svg", bobToken);
    assertThat(artwork.status()).isEqualTo(200);
    assertThat(artwork.body())
        .contains("href=\"data:image/png;base64," + FakeCardProvider.PICTURE + "\"")
        .doesNotContain("127.0.0.1");
    CardsIT.assertWellFormedAndInert(artwork.body());
  }

  @Test
  void aContributorsErasure_takesTheCardsTextAndPicture_andKeepsItsArtwork() {
    grant(aliceToken, "CARD_GENERATION", "AI_PROCESSING");
    String cardId = cardOfOneMessage("Erase my picture " + run);
    JsonNode ready = awaitStatus(cardId, aliceToken, "READY");
    assertThat(ready.get("provider").asText()).as(ready.toString()).isEqualTo("fakeai");
    String picture = "select count(*) from card_picture where card_id = ?::uuid";
    assertThat(jdbc.queryForObject(picture, Integer.class, cardId)).isEqualTo(1);
    awaitSagaProcessorReady(jdbc);

    String officer = api.token("officer-" + run, "COMPLIANCE");
    assertThat(
            api.postJson(
                    "/api/v1/compliance/subjects/" + alice + "/erasure",
                    officer,
                    Map.of("immediate", true, "reason", "test"))
                .status())
        .isEqualTo(202);
    JsonNode card =
        eventually(
                () -> api.get("/api/v1/cards/" + cardId, bobToken),
                r -> r.status() == 200 && r.json().get("erased").asBoolean())
            .json();
    assertThat(card.get("title").isNull()).isTrue();
    assertThat(card.get("rarity").isNull()).isFalse();
    eventually(() -> jdbc.queryForObject(picture, Integer.class, cardId), count -> count == 0);
    Response artwork = api.get("/api/v1/cards/" + cardId + "/artwork.svg", bobToken);
    assertThat(artwork.status()).isEqualTo(200);
    assertThat(artwork.body()).doesNotContain("data:image");
  }

  @Test
  void anIdenticalWindow_reusesTheLedgersAnswer_withoutACall() {
    grant(aliceToken, "CARD_GENERATION", "AI_PROCESSING");
    String text = "Reuse me " + run;
    String first = cardOfOneMessage(text);
    awaitStatus(first, aliceToken, "READY");
    int callsBefore = PROVIDER.calls();

    String second = cardOfOneMessage(text);
    JsonNode card = awaitStatus(second, aliceToken, "READY");
    assertThat(card.get("provider").asText()).isEqualTo("fakeai");
    assertThat(card.get("title").asText()).isEqualTo("A fine exchange");
    assertThat(PROVIDER.calls()).isEqualTo(callsBefore);
    assertThat(
            jdbc.queryForObject(
                "select reused_from::text from card where card_id = ?::uuid", String.class, second))
        .isEqualTo(first);
  }

  @Test
  void withoutAiConsent_theBuiltInGeneratorMakesTheCard_andNoCallIsMade() {
    grant(aliceToken, "CARD_GENERATION");
    int callsBefore = PROVIDER.calls();
    String cardId = cardOfOneMessage("Only cards, no AI " + run);
    assertThat(awaitStatus(cardId, aliceToken, "READY").get("provider").asText())
        .isEqualTo("builtin");
    assertThat(PROVIDER.calls()).isEqualTo(callsBefore);
  }

  @Test
  void aFailingProvider_fallsBackToTheBuiltInGenerator_andTheFailedCallsAreRecorded() {
    grant(aliceToken, "CARD_GENERATION", "AI_PROCESSING");
    PROVIDER.failWith(500);
    String cardId = cardOfOneMessage("The provider is down " + run);
    JsonNode card = awaitStatus(cardId, aliceToken, "READY");
    assertThat(card.get("provider").asText()).isEqualTo("builtin");
    assertThat(
            jdbc.queryForObject(
                "select fallback_reason from card where card_id = ?::uuid", String.class, cardId))
        .isEqualTo("SERVER_ERROR");
    assertThat(
            jdbc.queryForList(
                "select outcome from card_provider_call where card_id = ?::uuid",
                String.class,
                cardId))
        .containsOnly("SERVER_ERROR")
        .hasSize(3);
  }

  @Test
  void replayingTheCardsProjection_rebuildsIt_andCallsNoProvider() {
    grant(aliceToken, "CARD_GENERATION", "AI_PROCESSING");
    String cardId = cardOfOneMessage("Replay me " + run);
    awaitStatus(cardId, aliceToken, "READY");
    awaitCaughtUp(CardProjection.PROCESSING_GROUP);
    List<Map<String, Object>> cards = jdbc.queryForList("select * from card order by card_id");
    List<Map<String, Object>> calls =
        jdbc.queryForList("select * from card_provider_call order by call_id, card_id");
    int callsBefore = PROVIDER.calls();

    var processor = processor(CardProjection.PROCESSING_GROUP);
    processor.shutDown();
    processor.resetTokens();
    processor.start();
    awaitCaughtUp(CardProjection.PROCESSING_GROUP);
    eventually(() -> !processor.isReplaying(), done -> done);

    assertThat(jdbc.queryForList("select * from card order by card_id")).isEqualTo(cards);
    assertThat(jdbc.queryForList("select * from card_provider_call order by call_id, card_id"))
        .isEqualTo(calls);
    assertThat(PROVIDER.calls()).isEqualTo(callsBefore);
  }

  @Test
  void cardsAreCounted_byTriggerProviderAndReason_andPendingOnesGauged() {
    String ops = api.token("ops-" + run, "OPS");
    double requestedBefore = metric(ops, "parley_cards_requested_total", "trigger=\"REQUESTED\"");
    double generatedBefore = metric(ops, "parley_cards_generated_total", "provider=\"builtin\"");
    double failedBefore =
        metric(ops, "parley_cards_failed_total", "reason=\"NO_CONSENTED_MESSAGES\"");
    grant(aliceToken, "CARD_GENERATION");
    String conversation = startConversation(aliceToken, bob);
    String failed = requestCard(bobToken, conversation, Map.of()).json().get("cardId").asText();
    awaitStatus(failed, aliceToken, "FAILED");
    send(aliceToken, conversation, "Counting cards is fun.");
    awaitTimeline(conversation, 1);
    String made = requestCard(bobToken, conversation, Map.of()).json().get("cardId").asText();
    awaitStatus(made, aliceToken, "READY");
    eventually(
        () -> metric(ops, "parley_cards_generated_total", "provider=\"builtin\""),
        value -> value >= generatedBefore + 1);
    assertThat(metric(ops, "parley_cards_requested_total", "trigger=\"REQUESTED\""))
        .isGreaterThanOrEqualTo(requestedBefore + 2);
    assertThat(metric(ops, "parley_cards_failed_total", "reason=\"NO_CONSENTED_MESSAGES\""))
        .isGreaterThanOrEqualTo(failedBefore + 1);
    assertThat(api.get("/actuator/prometheus", ops).body()).contains("parley_cards_pending ");

    // The provider's calls, by outcome, beside the cards.
    double callsBefore = metric(ops, "parley_cards_provider_calls_total", "outcome=\"SUCCESS\"");
    grant(bobToken, "CARD_GENERATION", "AI_PROCESSING");
    send(bobToken, conversation, "Counting provider calls " + run);
    awaitTimeline(conversation, 2);
    String written = requestCard(bobToken, conversation, Map.of()).json().get("cardId").asText();
    assertThat(awaitStatus(written, aliceToken, "READY").get("provider").asText())
        .isEqualTo("fakeai");
    assertThat(metric(ops, "parley_cards_provider_calls_total", "outcome=\"SUCCESS\""))
        .isGreaterThanOrEqualTo(callsBefore + 1);
    assertThat(metric(ops, "parley_cards_generated_total", "provider=\"fakeai\""))
        .isGreaterThanOrEqualTo(1);
  }

  String cardOfOneMessage(String text) {
    String conversation = startConversation(aliceToken, bob);
    send(aliceToken, conversation, text);
    awaitTimeline(conversation, 1);
    return requestCard(aliceToken, conversation, Map.of()).json().get("cardId").asText();
  }
}
