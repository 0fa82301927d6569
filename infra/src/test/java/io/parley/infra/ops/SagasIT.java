package io.parley.infra.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.axon.saga.JdbcSagaJournal;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * API.md "Operations": saga types and instances through the real security chain, over erasure sagas
 * (one pending with its deadline, one cancelled and so ended) on the shared database (other tests'
 * sagas are there too: assertions look for these two).
 */
class SagasIT extends ParleyIntegrationTest {

  static final String ERASURE = "io.parley.saga.erasure.ErasureSaga";

  @Autowired JdbcTemplate jdbc;
  @Autowired JdbcSagaJournal journal;

  String ops;
  String run;

  @BeforeEach
  void ready() {
    awaitSagaProcessorReady(jdbc);
    ops = api.token("ops", "OPS");
    run = UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void listsTypesAndInstances_withDeadlinesAndTimelines_neverAUserIdInClear() {
    String pendingUser = "sagas-pending-" + run;
    String endedUser = "sagas-ended-" + run;
    String pendingToken = api.token(pendingUser, "USER");
    String endedToken = api.token(endedUser, "USER");
    Instant before = Instant.now();
    Response pendingRequest =
        api.send("POST", "/api/v1/me/erasure", pendingToken, null, null, Map.of());
    assertThat(pendingRequest.status()).isEqualTo(202);
    Instant effectiveAt = Instant.parse(pendingRequest.json().get("effectiveAt").asText());
    assertThat(api.send("POST", "/api/v1/me/erasure", endedToken, null, null, Map.of()).status())
        .isEqualTo(202);
    String pendingSaga = awaitSagaOf(pendingUser);
    String endedSaga = awaitSagaOf(endedUser);
    assertThat(api.send("DELETE", "/api/v1/me/erasure", endedToken, null, null, Map.of()).status())
        .isEqualTo(204);
    JsonNode ended =
        eventually(
                () -> api.get("/api/v1/ops/sagas/" + endedSaga, ops),
                r -> r.status() == 200 && !r.json().get("endedAt").isNull())
            .json();

    // The ended saga: still readable, with the two events it handled in order, nothing pending.
    assertThat(ended.get("type").asText()).isEqualTo("ErasureSaga");
    assertThat(ended.get("startedAt").isNull()).isFalse();
    assertThat(ended.get("deadlines")).isEmpty();
    assertThat(timelineTypes(ended))
        .containsExactly("ErasureRequestedEvent", "ErasureCancelledEvent");
    assertThat(timelineIndexes(ended)).isEqualTo(globalIndexes(endedUser));

    // The pending one: its subject pseudonymised, its deadline with name and due time.
    Response pendingResponse = api.get("/api/v1/ops/sagas/" + pendingSaga, ops);
    assertThat(pendingResponse.status()).as(pendingResponse.body()).isEqualTo(200);
    JsonNode pending = pendingResponse.json();
    assertThat(pending.get("associations")).hasSize(1);
    assertThat(pending.get("associations").get(0).get("key").asText()).isEqualTo("subjectId");
    assertThat(pending.get("associations").get(0).get("value").asText())
        .matches("hmac:[0-9a-f]{16}");
    assertThat(Instant.parse(pending.get("startedAt").asText()))
        .isBetween(before.minusSeconds(1), Instant.now());
    assertThat(pending.get("endedAt").isNull()).isTrue();
    assertThat(pending.get("deadlines")).hasSize(1);
    assertThat(pending.get("deadlines").get(0).get("name").asText()).isEqualTo("erasure-due");
    assertThat(Instant.parse(pending.get("deadlines").get(0).get("dueAt").asText()))
        .isCloseTo(effectiveAt, within(1, ChronoUnit.MILLIS)); // PostgreSQL keeps microseconds
    assertThat(timelineTypes(pending)).containsExactly("ErasureRequestedEvent");
    assertThat(timelineIndexes(pending)).isEqualTo(globalIndexes(pendingUser));
    assertThat(pendingResponse.body()).doesNotContain(pendingUser, "payload");

    // The list: both types with counts, both instances (paging through other tests' sagas).
    Response first = api.get("/api/v1/ops/sagas?type=ErasureSaga&limit=100", ops);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    JsonNode types = first.json().get("types");
    assertThat(typeNames(types)).contains("CardGenerationSaga", "ErasureSaga");
    JsonNode erasureType = type(types, "ErasureSaga");
    assertThat(erasureType.get("active").asLong()).isPositive();
    assertThat(erasureType.get("ended").asLong()).isPositive();
    List<JsonNode> items = allPages("/api/v1/ops/sagas?type=ErasureSaga&limit=100");
    JsonNode listedPending = item(items, pendingSaga);
    JsonNode listedEnded = item(items, endedSaga);
    assertThat(listedPending.get("deadlines")).isEqualTo(pending.get("deadlines"));
    assertThat(listedPending.get("associations")).isEqualTo(pending.get("associations"));
    assertThat(listedPending.get("startedAt")).isEqualTo(pending.get("startedAt"));
    assertThat(listedPending.has("timeline")).isFalse();
    assertThat(listedEnded.get("endedAt")).isEqualTo(ended.get("endedAt"));
    assertThat(items).allMatch(i -> i.get("type").asText().equals("ErasureSaga"));
    for (JsonNode item : items) {
      for (JsonNode association : item.get("associations")) {
        assertThat(association.get("value").asText()).startsWith("hmac:");
      }
    }
    assertThat(items.toString()).doesNotContain(pendingUser, endedUser);

    // Every type, full class names accepted as well.
    assertThat(api.get("/api/v1/ops/sagas?type=" + ERASURE + "&limit=1", ops).status())
        .isEqualTo(200);
  }

  @Test
  void anEndedCardSaga_isCountedEnded_andReadableWithItsTimeline() {
    awaitProcessorClaimed(jdbc, "CardGenerationSagaProcessor");
    String alice = "sagas-alice-" + run;
    String aliceToken = api.token(alice, "USER");
    String conversation =
        api.postJson(
                "/api/v1/conversations",
                aliceToken,
                Map.of("title", "sagas " + run, "participants", List.of("sagas-bob-" + run)))
            .json()
            .get("conversationId")
            .asText();
    // Nobody granted CARD_GENERATION: the card fails, and its saga ends.
    String cardId =
        api.send(
                "POST",
                "/api/v1/conversations/" + conversation + "/cards",
                aliceToken,
                null,
                null,
                Map.of())
            .json()
            .get("cardId")
            .asText();
    String sagaId =
        eventually(
            () ->
                jdbc
                    .queryForList(
                        "select j.saga_id from saga_journal_event j join domain_event_entry e on"
                            + " e.global_index = j.global_index where e.aggregate_identifier = ?"
                            + " and j.event_type = 'CardFailedEvent'",
                        String.class,
                        cardId)
                    .stream()
                    .findFirst()
                    .orElse(null),
            id -> id != null);
    JsonNode saga =
        eventually(
                () -> api.get("/api/v1/ops/sagas/" + sagaId, ops),
                r -> r.status() == 200 && !r.json().get("endedAt").isNull())
            .json();
    assertThat(saga.get("type").asText()).isEqualTo("CardGenerationSaga");
    assertThat(saga.get("deadlines")).isEmpty();
    List<String> types = timelineTypes(saga);
    assertThat(types.get(0)).isEqualTo("CardRequestedEvent");
    assertThat(types.get(types.size() - 1)).isEqualTo("CardFailedEvent");
    assertThat(timelineIndexes(saga)).isSorted();
    JsonNode list = api.get("/api/v1/ops/sagas?type=CardGenerationSaga&limit=1", ops).json();
    assertThat(type(list.get("types"), "CardGenerationSaga").get("ended").asLong()).isPositive();
    assertThat(list.get("items"))
        .allMatch(i -> i.get("type").asText().equals("CardGenerationSaga"));
  }

  @Test
  void pagesAreDisjointAndOrdered_byAnOpaqueCursor() {
    // At least two sagas exist (a cancelled erasure is enough for one; request two).
    for (int i = 0; i < 2; i++) {
      String user = "sagas-page-" + i + "-" + run;
      api.send("POST", "/api/v1/me/erasure", api.token(user, "USER"), null, null, Map.of());
      awaitSagaOf(user);
    }
    JsonNode page1 = api.get("/api/v1/ops/sagas?limit=1", ops).json();
    assertThat(page1.get("items")).hasSize(1);
    String cursor = page1.get("nextCursor").asText();
    JsonNode page2 = api.get("/api/v1/ops/sagas?limit=1&after=" + cursor, ops).json();
    assertThat(page2.get("items")).hasSize(1);
    assertThat(page2.get("items").get(0).get("sagaId").asText())
        .isGreaterThan(page1.get("items").get(0).get("sagaId").asText());
    assertThat(page1.get("types")).isEqualTo(page2.get("types"));
  }

  @Test
  void badInput_unknownIds_andRoles_areProblems() {
    assertProblem(api.get("/api/v1/ops/sagas/" + UUID.randomUUID(), ops), 404);
    assertProblem(api.get("/api/v1/ops/sagas?type=NoSuchSaga", ops), 404);
    assertProblem(api.get("/api/v1/ops/sagas/" + "x".repeat(256), ops), 400);
    assertProblem(api.get("/api/v1/ops/sagas?limit=0", ops), 400);
    assertProblem(api.get("/api/v1/ops/sagas?limit=101", ops), 400);
    assertProblem(api.get("/api/v1/ops/sagas?limit=ten", ops), 400);
    assertProblem(api.get("/api/v1/ops/sagas?after=not-a-cursor", ops), 400);
    String foreign =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("c:12".getBytes(StandardCharsets.US_ASCII));
    assertProblem(api.get("/api/v1/ops/sagas?after=" + foreign, ops), 400);
    assertProblem(api.get("/api/v1/ops/sagas", null), 401);
    assertProblem(api.get("/api/v1/ops/sagas/" + UUID.randomUUID(), null), 401);
    String user = api.token("sagas-user-" + run, "USER");
    assertProblem(api.get("/api/v1/ops/sagas", user), 403);
    assertProblem(api.get("/api/v1/ops/sagas/" + UUID.randomUUID(), user), 403);
  }

  @Test
  void theJournalStaysBounded_lastEventsPerSaga_andEndedSagasPrunedAfterRetention() {
    String busy = "bounded-" + UUID.randomUUID();
    Instant now = Instant.now();
    int written = journal.eventsPerSaga() + 10;
    for (int i = 1; i <= written; i++) {
      journal.write(
          List.of(
              new JdbcSagaJournal.Entry(
                  busy, ERASURE, 1_000_000L + i, "SomeEvent", now.plusMillis(i), i == 1)),
          Set.of());
    }
    assertThat(eventsOf(busy)).isEqualTo(journal.eventsPerSaga());
    assertThat(
            jdbc.queryForObject(
                "select min(global_index) from saga_journal_event where saga_id = ?",
                Long.class,
                busy))
        .isEqualTo(1_000_000L + written - journal.eventsPerSaga() + 1);

    String longEnded = "pruned-" + UUID.randomUUID();
    String recentlyEnded = "kept-" + UUID.randomUUID();
    journal.write(
        List.of(
            new JdbcSagaJournal.Entry(
                longEnded, ERASURE, 2_000_000L, "SomeEvent", now.minus(Duration.ofDays(8)), true),
            new JdbcSagaJournal.Entry(
                recentlyEnded, ERASURE, 2_000_001L, "SomeEvent", now.minusSeconds(60), true)),
        Set.of(longEnded, recentlyEnded));
    JdbcSagaJournal.Pruned pruned = journal.prune(now, Duration.ofDays(7));
    assertThat(pruned.sagas()).isPositive();
    assertThat(journalled(longEnded)).isZero();
    assertThat(eventsOf(longEnded)).isZero();
    assertThat(journalled(recentlyEnded)).isOne();
    assertThat(api.get("/api/v1/ops/sagas/" + longEnded, ops).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/ops/sagas/" + recentlyEnded, ops).status()).isEqualTo(200);
  }

  private int eventsOf(String sagaId) {
    return jdbc.queryForObject(
        "select count(*) from saga_journal_event where saga_id = ?", Integer.class, sagaId);
  }

  private int journalled(String sagaId) {
    return jdbc.queryForObject(
        "select count(*) from saga_journal where saga_id = ?", Integer.class, sagaId);
  }

  private String awaitSagaOf(String subject) {
    return eventually(
        () ->
            jdbc
                .queryForList(
                    "select saga_id from association_value_entry where association_key ="
                        + " 'subjectId' and association_value = ?",
                    String.class,
                    subject)
                .stream()
                .findFirst()
                .orElse(null),
        id -> id != null);
  }

  private List<Long> globalIndexes(String subject) {
    return jdbc.queryForList(
        "select global_index from domain_event_entry where aggregate_identifier = ? and"
            + " (payload_type like '%ErasureRequestedEvent' or payload_type like"
            + " '%ErasureCancelledEvent') order by global_index",
        Long.class, subject);
  }

  private List<JsonNode> allPages(String path) {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    do {
      Response page = api.get(path + (cursor == null ? "" : "&after=" + cursor), ops);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      page.json().get("items").forEach(items::add);
      JsonNode next = page.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asText();
    } while (cursor != null);
    return items;
  }

  private static JsonNode item(List<JsonNode> items, String sagaId) {
    return items.stream()
        .filter(i -> i.get("sagaId").asText().equals(sagaId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("saga " + sagaId + " not listed"));
  }

  private static List<String> typeNames(JsonNode types) {
    List<String> names = new ArrayList<>();
    types.forEach(t -> names.add(t.get("type").asText()));
    return names;
  }

  private static JsonNode type(JsonNode types, String name) {
    for (JsonNode t : types) {
      if (t.get("type").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("type " + name + " not listed");
  }

  private static List<String> timelineTypes(JsonNode saga) {
    List<String> types = new ArrayList<>();
    saga.get("timeline").forEach(e -> types.add(e.get("type").asText()));
    return types;
  }

  private static List<Long> timelineIndexes(JsonNode saga) {
    return IntStream.range(0, saga.get("timeline").size())
        .mapToObj(i -> saga.get("timeline").get(i).get("globalIndex").asLong())
        .toList();
  }

  static void assertProblem(Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }
}
