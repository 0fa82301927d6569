package io.parley.infra.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.FailCardCommand;
import io.parley.infra.card.RoutingCardMaker;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.IsolatedDatabaseInitializer;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.ops.saga.AssociationMask;
import io.parley.query.timeline.TimelineProjection;
import io.parley.saga.card.CardMaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * The dead-letter API (API.md "Operations") over HTTP, through the security filter chain, on
 * PostgreSQL: a projection's parked event is listed without payload and with a masked cause,
 * retried while it still fails (kept, retries counted), retried once fixed (applied and gone), or
 * evicted; a saga handler that fails parks its event under the saga id, later events for that saga
 * are parked behind it, and a retry once fixed lets the saga go on.
 *
 * <p>On a database of its own, with a card maker that fails while {@link #CARD_MAKER_DOWN} is on:
 * this node alone runs the processors, and no other test's card saga makes these cards.
 */
@ContextConfiguration(initializers = IsolatedDatabaseInitializer.class, inheritInitializers = false)
@Import(DeadLettersIT.SwitchableCardMaker.class)
class DeadLettersIT extends ParleyIntegrationTest {

  static final String SAGA_PROCESSOR = "CardGenerationSagaProcessor";
  static final String SECRET = "lakeside-secret";

  static final AtomicBoolean CARD_MAKER_DOWN = new AtomicBoolean();
  static final AtomicInteger CARD_MAKER_CALLS = new AtomicInteger();

  /** The real card maker, which throws at once (in the saga's handler) while switched off. */
  @TestConfiguration(proxyBeanMethods = false)
  static class SwitchableCardMaker {
    @Bean
    @Primary
    CardMaker switchableCardMaker(RoutingCardMaker real) {
      return order -> {
        CARD_MAKER_CALLS.incrementAndGet();
        if (CARD_MAKER_DOWN.get()) {
          throw new IllegalStateException(
              "Card maker down for '" + SECRET + "' of alice@example.org, card 42");
        }
        return real.make(order);
      };
    }
  }

  @Autowired JdbcTemplate jdbc;
  @Autowired AssociationMask pseudonyms;
  @Autowired CommandGateway commands;

  String run;
  String ops;

  @BeforeEach
  void operator() {
    run = UUID.randomUUID().toString().substring(0, 8);
    ops = api.token("ops-" + run, "OPS");
    CARD_MAKER_DOWN.set(false);
  }

  @AfterEach
  void cardMakerBack() {
    CARD_MAKER_DOWN.set(false);
  }

  @Test
  void aProjectionsDeadLetter_isListedMasked_retriedUntilFixed_andThenApplied() {
    String sender = "dl-" + run;
    String token = api.token(sender, "USER");
    String conversation = conversation(token);
    UUID squatter = squat(conversation);
    String messageId =
        send(token, conversation, SECRET + " 'quoted' text").get("messageId").asText();

    // The timeline orders a sender's messages by the sender's user id: shown hashed.
    JsonNode letter = awaitLetter(TimelineProjection.PROCESSING_GROUP, hashed(sender));
    assertThat(letter.toString()).doesNotContain(sender);
    assertThat(letter.get("processor").asText()).isEqualTo(TimelineProjection.PROCESSING_GROUP);
    assertThat(letter.get("eventType").asText()).isEqualTo("MessageSentEvent");
    assertThat(letter.get("eventId").asText()).isNotBlank();
    assertThat(letter.get("globalIndex").asLong()).isPositive();
    assertThat(letter.get("retries").asInt()).isZero();
    assertThat(letter.get("enqueuedAt").asText()).isNotBlank();
    assertThat(letter.get("cause").get("type").asText()).isNotBlank();
    assertMasked(letter.get("cause").get("message").asText());
    assertThat(letter.has("payload")).isFalse();
    assertThat(letter.toString()).doesNotContain(SECRET);

    String id = letter.get("id").asText();
    Response stillFailing = api.postJson("/api/v1/ops/dead-letters/" + id + "/retry", ops, null);
    assertThat(stillFailing.status()).as(stillFailing.body()).isEqualTo(202);
    JsonNode retried = letterById(id);
    assertThat(retried.get("retries").asInt()).isEqualTo(1);
    assertThat(retried.get("lastTouchedAt").asText())
        .isNotEqualTo(letter.get("lastTouchedAt").asText());

    jdbc.update("delete from timeline_message where message_id = ?", squatter);
    assertThat(api.postJson("/api/v1/ops/dead-letters/" + id + "/retry", ops, null).status())
        .isEqualTo(202);
    assertThat(letters(null)).noneMatch(l -> l.get("id").asText().equals(id));
    JsonNode items =
        eventually(
                () -> api.get("/api/v1/conversations/" + conversation + "/messages", token),
                r -> r.status() == 200 && r.json().get("items").size() == 1)
            .json()
            .get("items");
    assertThat(items.get(0).get("messageId").asText()).isEqualTo(messageId);
  }

  @Test
  void aDeadLetter_canBeEvicted_andIsThenUnknown() {
    String sender = "ev-" + run;
    String token = api.token(sender, "USER");
    String conversation = conversation(token);
    squat(conversation);
    send(token, conversation, "evicted");
    String id = awaitLetter(TimelineProjection.PROCESSING_GROUP, hashed(sender)).get("id").asText();

    Response evicted =
        api.send("DELETE", "/api/v1/ops/dead-letters/" + id, ops, null, null, Map.of());
    assertThat(evicted.status()).as(evicted.body()).isEqualTo(204);
    assertThat(letters(null)).noneMatch(l -> l.get("id").asText().equals(id));
    assertProblem(
        api.send("DELETE", "/api/v1/ops/dead-letters/" + id, ops, null, null, Map.of()), 404);
    assertProblem(api.postJson("/api/v1/ops/dead-letters/" + id + "/retry", ops, null), 404);
  }

  @Test
  void unknownLettersAndProcessors_are404_andTheApiIsForOpsOnly() {
    String unknown = UUID.randomUUID().toString();
    assertProblem(api.postJson("/api/v1/ops/dead-letters/" + unknown + "/retry", ops, null), 404);
    assertProblem(
        api.send("DELETE", "/api/v1/ops/dead-letters/" + unknown, ops, null, null, Map.of()), 404);
    assertProblem(
        api.send("DELETE", "/api/v1/ops/dead-letters/not-a-letter", ops, null, null, Map.of()),
        404);
    assertProblem(api.get("/api/v1/ops/dead-letters?processor=no-such-processor", ops), 404);
    assertThat(api.get("/api/v1/ops/dead-letters?processor=audit-chain", ops).json().get("items"))
        .isEmpty();

    assertProblem(api.get("/api/v1/ops/dead-letters", null), 401);
    String user = api.token("user-" + run, "USER");
    assertProblem(api.get("/api/v1/ops/dead-letters", user), 403);
    assertProblem(api.postJson("/api/v1/ops/dead-letters/" + unknown + "/retry", user, null), 403);
    assertProblem(
        api.send("DELETE", "/api/v1/ops/dead-letters/" + unknown, user, null, null, Map.of()), 403);
  }

  @Test
  void aFailingSagaHandler_parksItsEventUnderTheSagaId_andARetryOnceFixedLetsTheSagaGoOn() {
    awaitProcessorClaimed(jdbc, SAGA_PROCESSOR);
    String alice = "alice-" + run;
    String aliceToken = api.token(alice, "USER");
    grantCards(aliceToken);
    String conversation = conversation(aliceToken);
    send(aliceToken, conversation, "What a wonderful day at the lake, I loved every minute!");
    send(aliceToken, conversation, "Let's go back next summer, same cabin, same friends!");
    awaitTimeline(aliceToken, conversation, 2);

    CARD_MAKER_DOWN.set(true);
    String cardId = requestCard(aliceToken, conversation);
    String sagaId = awaitSagaOf(cardId);
    JsonNode letter = awaitLetter(SAGA_PROCESSOR, sagaId);
    assertThat(letter.get("eventType").asText()).isEqualTo("CardRequestedEvent");
    assertThat(letter.get("cause").get("type").asText())
        .isEqualTo(IllegalStateException.class.getName());
    assertMasked(letter.get("cause").get("message").asText());
    assertThat(letter.get("cause").get("message").asText()).startsWith("Card maker down for");
    awaitCard(aliceToken, cardId, "PENDING");

    String id = letter.get("id").asText();
    int calls = CARD_MAKER_CALLS.get();
    assertThat(api.postJson("/api/v1/ops/dead-letters/" + id + "/retry", ops, null).status())
        .isEqualTo(202);
    assertThat(CARD_MAKER_CALLS.get()).isGreaterThan(calls);
    assertThat(letterById(id).get("retries").asInt()).isEqualTo(1);

    CARD_MAKER_DOWN.set(false);
    assertThat(api.postJson("/api/v1/ops/dead-letters/" + id + "/retry", ops, null).status())
        .isEqualTo(202);
    assertThat(letters(SAGA_PROCESSOR)).noneMatch(l -> l.get("sequenceId").asText().equals(sagaId));
    awaitCard(aliceToken, cardId, "READY");
    // The card's CardGeneratedEvent ended the saga.
    awaitLong(
        () ->
            jdbc.queryForObject(
                "select count(*) from saga_entry where saga_id = ?", Long.class, sagaId),
        count -> count == 0);
  }

  @Test
  void laterEventsOfASagaWithDeadLetters_areParkedBehindThem_andRetriedInOrder() {
    awaitProcessorClaimed(jdbc, SAGA_PROCESSOR);
    String bob = "bob-" + run;
    String bobToken = api.token(bob, "USER");
    grantCards(bobToken);
    String conversation = conversation(bobToken);
    send(bobToken, conversation, "The concert was incredible, what a night!");
    awaitTimeline(bobToken, conversation, 1);

    CARD_MAKER_DOWN.set(true);
    String cardId = requestCard(bobToken, conversation);
    String sagaId = awaitSagaOf(cardId);
    String first = awaitLetter(SAGA_PROCESSOR, sagaId).get("id").asText();
    // What the card's timeout does: the card fails; its CardFailedEvent is parked behind.
    commands.sendAndWait(
        new FailCardCommand(
            UUID.fromString(cardId),
            UUID.fromString(conversation),
            CardFailureReason.TIMED_OUT,
            List.of()));
    List<JsonNode> parked =
        awaitValue(
            () ->
                letters(SAGA_PROCESSOR).stream()
                    .filter(l -> l.get("sequenceId").asText().equals(sagaId))
                    .toList(),
            sequence -> sequence.size() == 2);
    assertThat(parked.get(0).get("id").asText()).isEqualTo(first);
    assertThat(parked.get(1).get("eventType").asText()).isEqualTo("CardFailedEvent");
    assertThat(parked.get(1).get("cause").isNull()).isTrue();
    // Parked, not handled: the @EndSaga handler did not run, the saga is still there.
    assertThat(
            jdbc.queryForObject(
                "select count(*) from saga_entry where saga_id = ?", Long.class, sagaId))
        .isOne();

    CARD_MAKER_DOWN.set(false);
    // Retrying any letter of a sequence retries the sequence from its first letter.
    String second = parked.get(1).get("id").asText();
    assertThat(api.postJson("/api/v1/ops/dead-letters/" + second + "/retry", ops, null).status())
        .isEqualTo(202);
    assertThat(letters(SAGA_PROCESSOR)).noneMatch(l -> l.get("sequenceId").asText().equals(sagaId));
    assertThat(
            jdbc.queryForObject(
                "select count(*) from saga_entry where saga_id = ?", Long.class, sagaId))
        .isZero();
    assertThat(awaitCard(bobToken, cardId, "FAILED").get("failureReason").asText())
        .isEqualTo("TIMED_OUT");
  }

  // --- helpers

  /** A projection's sequence identifier as the API shows it: a pseudonym. */
  String hashed(String sequenceId) {
    return pseudonyms.show("dead-letter-sequence", sequenceId);
  }

  static void assertMasked(String message) {
    assertThat(message).doesNotContain(SECRET, "alice@", "42", "quoted");
    assertThat(message).doesNotContainPattern("[0-9]");
    assertThat(message.length()).isLessThanOrEqualTo(200);
  }

  static void assertProblem(Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }

  List<JsonNode> letters(String processor) {
    Response response =
        api.get(
            "/api/v1/ops/dead-letters" + (processor == null ? "" : "?processor=" + processor), ops);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    response.json().get("items").forEach(items::add);
    return items;
  }

  JsonNode letterById(String id) {
    return letters(null).stream()
        .filter(l -> l.get("id").asText().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dead letter " + id));
  }

  JsonNode awaitLetter(String processor, String sequenceId) {
    try {
      return awaitOneLetter(processor, sequenceId);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "No letter of "
              + sequenceId
              + " in "
              + letters(processor)
              + "; table: "
              + jdbc.queryForList(
                  "select processing_group, sequence_identifier, payload_type from dead_letter_entry"),
          e);
    }
  }

  JsonNode awaitOneLetter(String processor, String sequenceId) {
    return awaitValue(
            () ->
                letters(processor).stream()
                    .filter(l -> l.get("sequenceId").asText().equals(sequenceId))
                    .toList(),
            found -> found.size() == 1)
        .get(0);
  }

  String awaitSagaOf(String cardId) {
    return awaitValue(
        () ->
            jdbc
                .queryForList(
                    "select saga_id from association_value_entry"
                        + " where association_key = 'cardId' and association_value = ?",
                    String.class,
                    cardId)
                .stream()
                .findFirst()
                .orElse(null),
        id -> id != null);
  }

  /** A processor's failed batch is processed again after its error back-off: wait longer. */
  static <T> T awaitValue(Supplier<T> read, Predicate<T> until) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .until(read::get, until::test);
  }

  static void awaitLong(Supplier<Long> read, Predicate<Long> until) {
    awaitValue(read, until);
  }

  String conversation(String token) {
    return api.postJson(
            "/api/v1/conversations",
            token,
            Map.of("title", "dlq " + run, "participants", List.of()))
        .json()
        .get("conversationId")
        .asText();
  }

  /** Takes position 1 of the conversation's timeline with a row no event made: the next fails. */
  UUID squat(String conversation) {
    UUID squatter = UUID.randomUUID();
    jdbc.update(
        "insert into timeline_message (message_id, conversation_id, position, sender_id, text, sent_at, verdict, toxicity)"
            + " values (?, ?::uuid, 1, 'nobody', 'x', now(), 'ALLOWED', 0)",
        squatter,
        conversation);
    return squatter;
  }

  JsonNode send(String token, String conversation, String text) {
    Response sent =
        api.postJson(
            "/api/v1/conversations/" + conversation + "/messages", token, Map.of("text", text));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    return sent.json();
  }

  void awaitTimeline(String token, String conversation, int messages) {
    eventually(
        () -> api.get("/api/v1/conversations/" + conversation + "/messages", token),
        r -> r.status() == 200 && r.json().get("items").size() == messages);
  }

  void grantCards(String token) {
    assertThat(
            api.putJson(
                    "/api/v1/me/consents/CARD_GENERATION",
                    token,
                    Map.of("granted", true, "policyVersion", "v1"))
                .status())
        .isEqualTo(204);
    eventually(
        () -> api.get("/api/v1/me/consents", token).json().get("consents"),
        consents -> {
          for (JsonNode consent : consents) {
            if (consent.get("purpose").asText().equals("CARD_GENERATION")
                && consent.get("granted").asBoolean()) {
              return true;
            }
          }
          return false;
        });
  }

  String requestCard(String token, String conversation) {
    Response requested =
        api.send(
            "POST",
            "/api/v1/conversations/" + conversation + "/cards",
            token,
            null,
            null,
            Map.of());
    assertThat(requested.status()).as(requested.body()).isEqualTo(202);
    return requested.json().get("cardId").asText();
  }

  JsonNode awaitCard(String token, String cardId, String status) {
    return awaitValue(
            () -> api.get("/api/v1/cards/" + cardId, token),
            r -> r.status() == 200 && r.json().get("status").asText().equals(status))
        .json();
  }
}
