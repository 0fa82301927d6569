package io.parley.infra.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.conversation.JooqClientMessageRegistry;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * API.md: "an {@code Idempotency-Key} header on any POST: a retry returns the first outcome and
 * produces no second event", on the POSTs whose retry would otherwise be refused or repeated.
 */
class IdempotencyKeyIT extends ParleyIntegrationTest {

  @Autowired JdbcTemplate jdbc;
  @Autowired IdempotencyKeyInterceptor idempotencyKeys;
  @Autowired JooqClientMessageRegistry clientMessages;

  String suffix;
  String alice;
  String bob;
  String moderator;
  String room;

  @BeforeEach
  void conversation() {
    suffix = UUID.randomUUID().toString().substring(0, 8);
    alice = api.token("alice-" + suffix, "USER");
    bob = api.token("bob-" + suffix, "USER");
    moderator = api.token("mod-" + suffix, "USER", "MODERATOR");
    room =
        api.postJson(
                "/api/v1/conversations",
                alice,
                Map.of("title", "keys", "participants", List.of("bob-" + suffix)))
            .json()
            .get("conversationId")
            .asText();
  }

  @Test
  void aRetriedReview_answersTheFirstOutcome_andAppendsNoSecondEvent() {
    String flagId = newFlag();
    String key = "review-" + suffix;

    assertThat(post("/api/v1/flags/" + flagId + "/review", Map.of(), key).status()).isEqualTo(204);
    assertThat(post("/api/v1/flags/" + flagId + "/review", Map.of(), key).status()).isEqualTo(204);
    assertThat(events(flagId, "FlagReviewStartedEvent")).isEqualTo(1);
    // Without a key the same retry is what it is: an invalid transition.
    assertThat(post("/api/v1/flags/" + flagId + "/review", Map.of(), null).status()).isEqualTo(409);

    Map<String, String> upheld = Map.of("outcome", "UPHELD");
    assertThat(post("/api/v1/flags/" + flagId + "/resolve", upheld, "resolve-" + suffix).status())
        .isEqualTo(204);
    assertThat(post("/api/v1/flags/" + flagId + "/resolve", upheld, "resolve-" + suffix).status())
        .isEqualTo(204);
    assertThat(events(flagId, "FlagResolvedEvent")).isEqualTo(1);
  }

  @Test
  void concurrentDuplicates_allAnswerTheFirstOutcome_andOnlyOneEventIsAppended() throws Exception {
    String flagId = newFlag();
    String key = "race-" + suffix;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> duplicates = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        duplicates.add(() -> post("/api/v1/flags/" + flagId + "/review", Map.of(), key).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> status : pool.invokeAll(duplicates)) {
        statuses.add(status.get());
      }
      assertThat(statuses).containsOnly(204);
    } finally {
      pool.shutdownNow();
    }
    assertThat(events(flagId, "FlagReviewStartedEvent")).isEqualTo(1);
  }

  @Test
  void aRefusedCommandIsNotRemembered_soItsRetryRunsAgain() {
    String flagId = newFlag();
    String key = "early-" + suffix;
    Map<String, String> dismissed = Map.of("outcome", "DISMISSED");
    // Resolving before the review is refused; the refusal is not stored as "the first outcome".
    assertThat(post("/api/v1/flags/" + flagId + "/resolve", dismissed, key).status())
        .isEqualTo(409);
    assertThat(post("/api/v1/flags/" + flagId + "/review", Map.of(), null).status()).isEqualTo(204);
    assertThat(post("/api/v1/flags/" + flagId + "/resolve", dismissed, key).status())
        .isEqualTo(204);
    assertThat(events(flagId, "FlagResolvedEvent")).isEqualTo(1);
  }

  @Test
  void oneKeyOnTwoPaths_isTwoOperations() {
    String first = newFlag();
    String second = newFlag();
    String key = "shared-" + suffix;
    assertThat(post("/api/v1/flags/" + first + "/review", Map.of(), key).status()).isEqualTo(204);
    assertThat(post("/api/v1/flags/" + second + "/review", Map.of(), key).status()).isEqualTo(204);
    assertThat(events(first, "FlagReviewStartedEvent")).isEqualTo(1);
    assertThat(events(second, "FlagReviewStartedEvent")).isEqualTo(1);
  }

  @Test
  void aRetriedErasureRequest_answersTheSameBody() {
    String officer = api.token("officer-" + suffix, "COMPLIANCE");
    String subject = "gone-" + suffix;
    String path = "/api/v1/compliance/subjects/" + subject + "/erasure";
    Map<String, Object> body = Map.of("immediate", true, "reason", "test");
    awaitSagaProcessorReady(jdbc);
    ApiClient.Response first = post(path, body, officer, "erase-" + suffix);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    // The immediate erasure may well be carried out before the retry: the retry still answers 202
    // with the first body, and requests nothing new.
    eventually(
        () -> api.get("/api/v1/compliance/subjects/" + subject + "/export", officer),
        r -> r.status() == 410);
    ApiClient.Response retry = post(path, body, officer, "erase-" + suffix);
    assertThat(retry.status()).isEqualTo(202);
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(events(subject, "ErasureRequestedEvent")).isEqualTo(1);
  }

  @Test
  void aMalformedKey_is400_namingTheHeader() {
    String flagId = newFlag();
    ApiClient.Response tooLong =
        post("/api/v1/flags/" + flagId + "/review", Map.of(), "k".repeat(129));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.header("Content-Type")).startsWith("application/problem+json");
    assertThat(tooLong.json().get("errors").get(0).get("field").asText())
        .isEqualTo("Idempotency-Key");
    assertThat(events(flagId, "FlagReviewStartedEvent")).isZero();
  }

  @Test
  void keysOlderThanTheRetentionAreForgotten() {
    String flagId = newFlag();
    String key = "old-" + suffix;
    assertThat(post("/api/v1/flags/" + flagId + "/review", Map.of(), key).status()).isEqualTo(204);
    String messageKey = "msg-" + suffix;
    ApiClient.Response sent =
        api.send(
            "POST",
            "/api/v1/conversations/" + room + "/messages",
            alice,
            ApiClient.json(Map.of("text", "hello", "clientMessageId", messageKey)),
            "application/json",
            Map.of());
    assertThat(sent.status()).isEqualTo(201);
    jdbc.update(
        "update idempotent_command set created_at = now() - interval '8 days'"
            + " where idempotency_key = ?",
        key);
    jdbc.update(
        "update client_message set created_at = now() - interval '8 days'"
            + " where client_message_id = ?",
        messageKey);

    assertThat(
            idempotencyKeys.forgetKeysOlderThan(Duration.ofDays(7))
                + clientMessages.forgetOlderThan(Duration.ofDays(7)))
        .isGreaterThanOrEqualTo(2);
    // Forgotten: the retry is a new command again (and this one is an invalid transition).
    assertThat(post("/api/v1/flags/" + flagId + "/review", Map.of(), key).status()).isEqualTo(409);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from client_message where client_message_id = ?",
                Integer.class,
                messageKey))
        .isZero();
  }

  // --- helpers

  /** A user flag on a fresh message of Alice's, flagged by Bob. */
  String newFlag() {
    String messageId =
        api.postJson(
                "/api/v1/conversations/" + room + "/messages",
                alice,
                Map.of("text", "flag me " + UUID.randomUUID()))
            .json()
            .get("messageId")
            .asText();
    return eventually(
            () ->
                api.postJson(
                    "/api/v1/messages/" + messageId + "/flags", bob, Map.of("reason", "spam")),
            r -> r.status() == 201)
        .json()
        .get("flagId")
        .asText();
  }

  ApiClient.Response post(String path, Object body, String key) {
    return post(path, body, moderator, key);
  }

  ApiClient.Response post(String path, Object body, String token, String key) {
    return api.send(
        "POST",
        path,
        token,
        ApiClient.json(body),
        "application/json",
        key == null ? Map.of() : Map.of("Idempotency-Key", key));
  }

  int events(String aggregateId, String eventType) {
    return jdbc.queryForObject(
        "select count(*) from domain_event_entry where aggregate_identifier = ?"
            + " and payload_type like ?",
        Integer.class,
        aggregateId,
        "%." + eventType);
  }
}
