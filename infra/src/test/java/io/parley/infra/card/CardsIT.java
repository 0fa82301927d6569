package io.parley.infra.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * API.md "Conversation cards" end to end on the built-in generator: over HTTP through the security
 * filter chain, the command side, the card generation saga (with its persistent deadline), the
 * query side and PostgreSQL.
 */
class CardsIT extends CardApiTestBase {

  @Test
  void aRequestedCard_isReadyWithinTenSeconds_fromConsentingParticipantsMessagesOnly() {
    grant(aliceToken, "CARD_GENERATION");
    grant(bobToken, "CARD_GENERATION");
    // Carol has not granted CARD_GENERATION: her messages never count.
    String conversation = startConversation(aliceToken, bob, carol);
    send(aliceToken, conversation, "What a wonderful day at the lake, I loved every minute!");
    send(bobToken, conversation, "Best trip ever. The sunset was amazing and the food great.");
    send(carolToken, conversation, "I was bored the whole time and hated the cold water.");
    send(aliceToken, conversation, "Let's go back next summer, same cabin, same friends!");
    awaitTimeline(conversation, 4);

    Response requested = requestCard(aliceToken, conversation, Map.of());
    assertThat(requested.status()).as(requested.body()).isEqualTo(202);
    String cardId = requested.json().get("cardId").asText();
    assertThat(requested.header("Location")).isEqualTo("/api/v1/cards/" + cardId);

    JsonNode card = awaitStatus(cardId, bobToken, "READY");
    assertThat(card.get("cardId").asText()).isEqualTo(cardId);
    assertThat(card.get("conversationId").asText()).isEqualTo(conversation);
    assertThat(card.get("messageCount").asInt()).isEqualTo(3); // Carol's is not among them
    assertThat(card.get("provider").asText()).isEqualTo("builtin");
    assertThat(card.get("rarity").asText()).isIn("COMMON", "RARE", "EPIC", "LEGENDARY");
    assertThat(card.get("title").asText()).isNotBlank().hasSizeLessThanOrEqualTo(60);
    assertThat(card.get("caption").asText()).isNotBlank().hasSizeLessThanOrEqualTo(280);
    assertThat(card.get("caption").asText()).doesNotContain("bored", "hated");
    assertThat(card.get("sentiment").get("polarity").asDouble())
        .isPositive()
        .isLessThanOrEqualTo(1);
    assertThat(card.get("sentiment").get("confidence").asDouble()).isBetween(0.0, 1.0);
    assertThat(card.get("erased").asBoolean()).isFalse();
    assertThat(card.get("failureReason").isNull()).isTrue();
    assertThat(card.get("requestedAt").asText()).endsWith("Z");
    assertThat(card.get("generatedAt").asText()).endsWith("Z");
    assertThat(card.get("artworkUrl").asText())
        .isEqualTo("/api/v1/cards/" + cardId + "/artwork.svg");

    Response artwork = api.get(card.get("artworkUrl").asText(), carolToken);
    assertThat(artwork.status()).isEqualTo(200);
    assertThat(artwork.header("Content-Type")).startsWith("image/svg+xml");
    assertThat(artwork.header("Content-Security-Policy")).contains("default-src 'none'");
    assertWellFormedAndInert(artwork.body());

    // The provenance of a built-in card: no external call.
    assertThat(
            jdbc.queryForObject(
                "select count(*) from card_provider_call where card_id = ?::uuid",
                Integer.class,
                cardId))
        .isZero();
  }

  @Test
  void theSameMessages_giveTheSameRarityAndSentiment() {
    grant(aliceToken, "CARD_GENERATION");
    grant(bobToken, "CARD_GENERATION");
    List<JsonNode> cards = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String conversation = startConversation(aliceToken, bob);
      send(aliceToken, conversation, "The concert was incredible, what a night!");
      send(bobToken, conversation, "Absolutely. Worst parking though, but who cares.");
      awaitTimeline(conversation, 2);
      String cardId = requestCard(bobToken, conversation, Map.of()).json().get("cardId").asText();
      cards.add(awaitStatus(cardId, aliceToken, "READY"));
    }
    assertThat(cards.get(1).get("rarity")).isEqualTo(cards.get(0).get("rarity"));
    assertThat(cards.get(1).get("sentiment")).isEqualTo(cards.get(0).get("sentiment"));
    assertThat(cards.get(1).get("title")).isEqualTo(cards.get(0).get("title"));
  }

  @Test
  void theExport_listsEveryCardThatDrewOnTheSubjectsMessages() {
    grant(aliceToken, "CARD_GENERATION");
    grant(bobToken, "CARD_GENERATION");
    String conversation = startConversation(aliceToken, bob, carol);
    send(aliceToken, conversation, "Shall we plan the picnic for Sunday?");
    send(carolToken, conversation, "Sunday works for me, I will bring lemonade.");
    awaitTimeline(conversation, 2);
    String cardId = requestCard(bobToken, conversation, Map.of()).json().get("cardId").asText();
    JsonNode card = awaitStatus(cardId, aliceToken, "READY");

    JsonNode alices = api.get("/api/v1/me/export", aliceToken).json().get("cards");
    assertThat(alices).hasSize(1);
    assertThat(alices.get(0).get("cardId").asText()).isEqualTo(cardId);
    assertThat(alices.get(0).get("title")).isEqualTo(card.get("title"));
    assertThat(alices.get(0).get("rarity")).isEqualTo(card.get("rarity"));
    // Bob asked for it but wrote nothing in it; Carol wrote without consenting: not theirs.
    assertThat(api.get("/api/v1/me/export", bobToken).json().get("cards")).isEmpty();
    assertThat(api.get("/api/v1/me/export", carolToken).json().get("cards")).isEmpty();
  }

  @Test
  void blockedAndRemovedMessages_neverCount() {
    grant(aliceToken, "CARD_GENERATION");
    String conversation = startConversation(aliceToken, bob);
    send(aliceToken, conversation, "Dinner at eight sounds lovely.");
    Response blocked =
        api.postJson(
            "/api/v1/conversations/" + conversation + "/messages",
            aliceToken,
            Map.of("text", "I will kill you, you worthless piece of shit"));
    assertThat(blocked.json().get("verdict").asText()).isEqualTo("BLOCKED");
    Response removed =
        api.postJson(
            "/api/v1/conversations/" + conversation + "/messages",
            aliceToken,
            Map.of("text", "Buy cheap watches at my shop"));
    String removedId = removed.json().get("messageId").asText();
    awaitTimeline(conversation, 2);
    String moderator = api.token("mod-" + run, "MODERATOR");
    String flagId =
        api.postJson("/api/v1/messages/" + removedId + "/flags", bobToken, Map.of("reason", "spam"))
            .json()
            .get("flagId")
            .asText();
    eventually(
        () -> api.postJson("/api/v1/flags/" + flagId + "/review", moderator, Map.of()),
        r -> r.status() == 204);
    assertThat(
            api.postJson(
                    "/api/v1/flags/" + flagId + "/resolve", moderator, Map.of("outcome", "UPHELD"))
                .status())
        .isEqualTo(204);
    awaitTimeline(conversation, 1);

    String cardId = requestCard(bobToken, conversation, Map.of()).json().get("cardId").asText();
    assertThat(awaitStatus(cardId, bobToken, "READY").get("messageCount").asInt()).isEqualTo(1);
  }

  @Test
  void noConsentedMessage_endsFailed_andHasNoArtwork() {
    String conversation = startConversation(aliceToken, bob);
    send(aliceToken, conversation, "Nobody here agreed to cards.");
    awaitTimeline(conversation, 1);
    String cardId = requestCard(aliceToken, conversation, Map.of()).json().get("cardId").asText();
    JsonNode card = awaitStatus(cardId, aliceToken, "FAILED");
    assertThat(card.get("failureReason").asText()).isEqualTo("NO_CONSENTED_MESSAGES");
    assertThat(card.get("title").isNull()).isTrue();
    assertThat(card.get("rarity").isNull()).isTrue();
    assertThat(card.get("artworkUrl").isNull()).isTrue();
    assertThat(card.get("generatedAt").isNull()).isTrue();
    Response artwork = api.get("/api/v1/cards/" + cardId + "/artwork.svg", aliceToken);
    assertThat(artwork.status()).isEqualTo(404);
    assertThat(artwork.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void aCard_drawsOnTheMessagesSinceThePreviousCard() {
    grant(aliceToken, "CARD_GENERATION");
    String conversation = startConversation(aliceToken, bob);
    send(aliceToken, conversation, "First things first: the plan is great.");
    send(aliceToken, conversation, "Second: I love it.");
    awaitTimeline(conversation, 2);
    String first = requestCard(aliceToken, conversation, Map.of()).json().get("cardId").asText();
    assertThat(awaitStatus(first, aliceToken, "READY").get("messageCount").asInt()).isEqualTo(2);
    send(aliceToken, conversation, "Third, and a new card for it.");
    awaitTimeline(conversation, 3);
    String second = requestCard(aliceToken, conversation, Map.of()).json().get("cardId").asText();
    assertThat(awaitStatus(second, aliceToken, "READY").get("messageCount").asInt()).isEqualTo(1);
    // Nothing new since: no message to draw on.
    String third = requestCard(aliceToken, conversation, Map.of()).json().get("cardId").asText();
    assertThat(awaitStatus(third, aliceToken, "FAILED").get("failureReason").asText())
        .isEqualTo("NO_CONSENTED_MESSAGES");
  }

  @Test
  void cardsAreListedNewestFirst_aPageAtATime() {
    String conversation = startConversation(aliceToken, bob);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(requestCard(aliceToken, conversation, Map.of()).json().get("cardId").asText());
    }
    JsonNode first =
        eventually(
                () -> api.get("/api/v1/conversations/" + conversation + "/cards?limit=2", bobToken),
                r -> r.status() == 200 && r.json().get("items").size() == 2)
            .json();
    assertThat(first.get("items").get(0).get("cardId").asText()).isEqualTo(ids.get(2));
    assertThat(first.get("items").get(1).get("cardId").asText()).isEqualTo(ids.get(1));
    String cursor = first.get("nextCursor").asText();
    JsonNode second =
        api.get(
                "/api/v1/conversations/" + conversation + "/cards?limit=2&before=" + cursor,
                bobToken)
            .json();
    assertThat(second.get("items")).hasSize(1);
    assertThat(second.get("items").get(0).get("cardId").asText()).isEqualTo(ids.get(0));
    assertThat(second.get("nextCursor").isNull()).isTrue();

    String list = "/api/v1/conversations/" + conversation + "/cards";
    assertProblem(api.get(list + "?limit=0", bobToken), 400);
    assertProblem(api.get(list + "?limit=101", bobToken), 400);
    assertProblem(api.get(list + "?limit=ten", bobToken), 400);
    assertProblem(api.get(list + "?before=not-a-cursor", bobToken), 400);
    assertProblem(api.get(list, carolToken), 403);
    assertProblem(api.get("/api/v1/conversations/" + UUID.randomUUID() + "/cards", bobToken), 404);
  }

  @Test
  void anIdempotencyKey_answersTheFirstCard_andRequestsOnlyOne() {
    String conversation = startConversation(aliceToken, bob);
    Map<String, String> key = Map.of("Idempotency-Key", "card-" + run);
    String first = requestCard(aliceToken, conversation, key).json().get("cardId").asText();
    Response retry = requestCard(aliceToken, conversation, key);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.json().get("cardId").asText()).isEqualTo(first);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from domain_event_entry where aggregate_identifier = ?"
                    + " and payload_type = 'io.parley.api.card.CardRequestedEvent'",
                Integer.class,
                conversation))
        .isEqualTo(1);
  }

  @Test
  void everyEndpoint_refusesWhoMayNot_andWhatDoesNotExist() {
    String conversation = startConversation(aliceToken, bob);
    String cardId = requestCard(aliceToken, conversation, Map.of()).json().get("cardId").asText();
    awaitStatus(cardId, aliceToken, "FAILED");

    assertProblem(requestCard(carolToken, conversation, Map.of()), 403);
    assertProblem(requestCard(null, conversation, Map.of()), 401);
    assertProblem(requestCard(aliceToken, UUID.randomUUID().toString(), Map.of()), 404);
    assertProblem(requestCard(aliceToken, "not-a-uuid", Map.of()), 400);
    assertProblem(
        requestCard(aliceToken, conversation, Map.of("Idempotency-Key", "x".repeat(129))), 400);

    assertProblem(api.get("/api/v1/cards/" + cardId, carolToken), 403);
    assertProblem(api.get("/api/v1/cards/" + cardId, null), 401);
    assertProblem(api.get("/api/v1/cards/" + UUID.randomUUID(), aliceToken), 404);
    assertProblem(api.get("/api/v1/cards/nope", aliceToken), 400);
    assertProblem(api.get("/api/v1/cards/" + cardId + "/artwork.svg", carolToken), 403);
    assertProblem(api.get("/api/v1/cards/" + UUID.randomUUID() + "/artwork.svg", aliceToken), 404);
    String moderator = api.token("mod-" + run, "MODERATOR");
    assertProblem(api.get("/api/v1/cards/" + cardId, moderator), 403);
  }

  @Test
  void everyFiftiethDeliveredMessage_makesACardAutomatically() {
    grant(aliceToken, "CARD_GENERATION");
    String conversation = startConversation(aliceToken, bob);
    for (int i = 1; i <= 50; i++) {
      send(aliceToken, conversation, "Message number " + i + " about the garden party.");
    }
    JsonNode list =
        eventually(
                () -> api.get("/api/v1/conversations/" + conversation + "/cards", bobToken),
                r -> r.status() == 200 && r.json().get("items").size() == 1)
            .json();
    String cardId = list.get("items").get(0).get("cardId").asText();
    JsonNode card = awaitStatus(cardId, bobToken, "READY");
    assertThat(card.get("messageCount").asInt()).isEqualTo(50);
    assertThat(
            jdbc.queryForObject(
                "select trigger from card where card_id = ?::uuid", String.class, cardId))
        .isEqualTo("AUTOMATIC");
  }
}
