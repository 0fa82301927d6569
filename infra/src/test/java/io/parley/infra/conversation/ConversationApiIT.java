package io.parley.infra.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** API.md "Conversations and messages", end to end over real HTTP, JWTs and PostgreSQL. */
class ConversationApiIT extends ParleyIntegrationTest {

  @Autowired JdbcTemplate jdbc;

  String alice;
  String bob;
  String aliceToken;
  String bobToken;
  String carolToken;

  @BeforeEach
  void users() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
    aliceToken = api.token(alice, "USER");
    bobToken = api.token(bob, "USER");
    carolToken = api.token("carol-" + run, "USER");
  }

  String startConversation(String token, String title, String... participants) {
    Response created =
        api.postJson(
            "/api/v1/conversations",
            token,
            Map.of("title", title, "participants", List.of(participants)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("conversationId").asText();
  }

  Response send(String token, String conversationId, Object body) {
    return api.postJson("/api/v1/conversations/" + conversationId + "/messages", token, body);
  }

  JsonNode timeline(String token, String conversationId, int expectedSize) {
    return eventually(
            () -> api.get("/api/v1/conversations/" + conversationId + "/messages?limit=200", token),
            r -> r.status() == 200 && r.json().get("items").size() == expectedSize)
        .json();
  }

  static void assertProblem(Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asText()).startsWith("urn:parley:problem:");
    assertThat(problem.hasNonNull("title")).isTrue();
    assertThat(problem.hasNonNull("detail")).isTrue();
    assertThat(response.body()).doesNotContain("Exception", "at io.", "at org.", "SQL");
  }

  static void assertFieldError(Response response, String field) {
    assertProblem(response, 400);
    List<String> fields = new ArrayList<>();
    response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertThat(fields).contains(field);
  }

  @Nested
  class StartingConversations {

    @Test
    void createsConversation_ownerIsParticipant_andLocationPointsAtIt() {
      Response created =
          api.postJson(
              "/api/v1/conversations",
              aliceToken,
              Map.of("title", "Lunch", "participants", List.of(bob)));
      assertThat(created.status()).isEqualTo(201);
      String id = created.json().get("conversationId").asText();
      assertThat(created.header("Location")).isEqualTo("/api/v1/conversations/" + id);

      JsonNode detail =
          eventually(
                  () -> api.get("/api/v1/conversations/" + id, aliceToken), r -> r.status() == 200)
              .json();
      assertThat(detail.get("conversationId").asText()).isEqualTo(id);
      assertThat(detail.get("title").asText()).isEqualTo("Lunch");
      assertThat(detail.get("ownerId").asText()).isEqualTo(alice);
      assertThat(detail.get("participants"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder(alice, bob);
      assertThat(detail.get("messageCount").asLong()).isZero();
      assertThat(detail.get("createdAt").asText()).endsWith("Z");
      assertThat(detail.get("moderation").get("warnThreshold").decimalValue())
          .isEqualByComparingTo("0.6");
      assertThat(detail.get("moderation").get("blockThreshold").decimalValue())
          .isEqualByComparingTo("0.8");
    }

    @Test
    void listsOnlyTheCallersConversations() {
      String mine = startConversation(aliceToken, "Mine", bob);
      String theirs = startConversation(carolToken, "Not Alice's");
      JsonNode items =
          eventually(
                  () -> api.get("/api/v1/conversations", aliceToken),
                  r -> r.status() == 200 && r.json().get("items").size() == 1)
              .json()
              .get("items");
      assertThat(items.get(0).get("conversationId").asText()).isEqualTo(mine);
      assertThat(items.get(0).get("title").asText()).isEqualTo("Mine");
      assertThat(items.get(0).get("messageCount").asLong()).isZero();
      assertThat(items.get(0).has("lastMessageAt")).isTrue();
      assertThat(items.toString()).doesNotContain(theirs);
    }

    @Test
    void idempotencyKey_retryAnswersSameConversation_andAppendsNoSecondEvent() {
      String key = UUID.randomUUID().toString();
      Map<String, String> headers = Map.of("Idempotency-Key", key);
      String body = "{\"title\":\"Once\",\"participants\":[]}";
      Response first =
          api.send("POST", "/api/v1/conversations", aliceToken, body, "application/json", headers);
      Response retry =
          api.send("POST", "/api/v1/conversations", aliceToken, body, "application/json", headers);
      assertThat(first.status()).isEqualTo(201);
      assertThat(retry.status()).isEqualTo(201);
      String id = first.json().get("conversationId").asText();
      assertThat(retry.json().get("conversationId").asText()).isEqualTo(id);
      assertThat(eventCount(id)).isEqualTo(1);
    }

    @Test
    void rejectsBlankMissingOversizedOrMistypedTitle() {
      assertFieldError(
          api.postJson("/api/v1/conversations", aliceToken, Map.of("title", "   ")), "title");
      assertFieldError(
          api.postJson("/api/v1/conversations", aliceToken, Map.of("title", "x".repeat(201))),
          "title");
      assertFieldError(
          api.postJson("/api/v1/conversations", aliceToken, Map.of("participants", List.of())),
          "title");
      assertFieldError(
          api.postJson("/api/v1/conversations", aliceToken, Map.of("title", 42)), "title");
      assertFieldError(
          api.postJson("/api/v1/conversations", aliceToken, Map.of("title", List.of("a"))),
          "title");
    }

    @Test
    void acceptsTitleOf200AfterTrimming() {
      Response created =
          api.postJson(
              "/api/v1/conversations", aliceToken, Map.of("title", "  " + "t".repeat(200) + "  "));
      assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void rejectsInvalidParticipants() {
      assertFieldError(
          api.postJson(
              "/api/v1/conversations",
              aliceToken,
              Map.of("title", "t", "participants", List.of("not valid!"))),
          "participants");
      assertFieldError(
          api.postJson(
              "/api/v1/conversations", aliceToken, Map.of("title", "t", "participants", "bob")),
          "participants");
      List<String> tooMany = IntStream.range(0, 1001).mapToObj(i -> "user" + i).toList();
      assertFieldError(
          api.postJson(
              "/api/v1/conversations", aliceToken, Map.of("title", "t", "participants", tooMany)),
          "participants");
    }

    @Test
    void acceptsAThousandParticipants_andRefusesAnotherWith422() {
      List<String> crowd = IntStream.range(0, 999).mapToObj(i -> "member" + i).toList();
      Response created =
          api.postJson(
              "/api/v1/conversations", aliceToken, Map.of("title", "crowd", "participants", crowd));
      assertThat(created.status()).as(created.body()).isEqualTo(201);

      String id = created.json().get("conversationId").asText();
      Response full =
          api.postJson(
              "/api/v1/conversations/" + id + "/participants",
              aliceToken,
              Map.of("userId", "one-more"));
      assertThat(full.status()).as(full.body()).isEqualTo(422);
      assertThat(full.header("Content-Type")).startsWith("application/problem+json");
    }
  }

  @Nested
  class ReadingConversations {

    @Test
    void nonParticipantGets403_unknownGets404_malformedIdGets400() {
      String id = startConversation(aliceToken, "Private", bob);
      eventually(() -> api.get("/api/v1/conversations/" + id, aliceToken), r -> r.status() == 200);
      assertProblem(api.get("/api/v1/conversations/" + id, carolToken), 403);
      assertProblem(api.get("/api/v1/conversations/" + UUID.randomUUID(), aliceToken), 404);
      assertProblem(api.get("/api/v1/conversations/not-a-uuid", aliceToken), 400);
      assertProblem(api.get("/api/v1/conversations/" + id + "/messages", carolToken), 403);
      assertProblem(
          api.get("/api/v1/conversations/" + UUID.randomUUID() + "/messages", aliceToken), 404);
    }
  }

  @Nested
  class AddingParticipants {

    @Test
    void participantAddsSomeone_whoCanThenReadAndSend() {
      String id = startConversation(aliceToken, "Growing", bob);
      String dave = "dave-" + UUID.randomUUID().toString().substring(0, 8);
      Response added =
          api.postJson(
              "/api/v1/conversations/" + id + "/participants", bobToken, Map.of("userId", dave));
      assertThat(added.status()).as(added.body()).isEqualTo(204);
      String daveToken = api.token(dave, "USER");
      eventually(() -> api.get("/api/v1/conversations/" + id, daveToken), r -> r.status() == 200);
      assertThat(send(daveToken, id, Map.of("text", "hello from dave")).status()).isEqualTo(201);
    }

    @Test
    void rejectsNonParticipantUnknownConversationAndInvalidUserId() {
      String id = startConversation(aliceToken, "Closed", bob);
      assertProblem(
          api.postJson(
              "/api/v1/conversations/" + id + "/participants", carolToken, Map.of("userId", "x")),
          403);
      assertProblem(
          api.postJson(
              "/api/v1/conversations/" + UUID.randomUUID() + "/participants",
              aliceToken,
              Map.of("userId", "x")),
          404);
      assertFieldError(
          api.postJson(
              "/api/v1/conversations/" + id + "/participants",
              aliceToken,
              Map.of("userId", "has space")),
          "userId");
      assertFieldError(
          api.postJson("/api/v1/conversations/" + id + "/participants", aliceToken, Map.of()),
          "userId");
    }
  }

  @Nested
  class SendingMessages {

    String conversationId;

    @BeforeEach
    void conversation() {
      conversationId = startConversation(aliceToken, "Chat", bob);
    }

    @Test
    void sendsMessage_allowedWithZeroToxicity_andItAppearsInTheTimeline() {
      Response sent = send(aliceToken, conversationId, Map.of("text", "  <b>hi</b> bob  "));
      assertThat(sent.status()).isEqualTo(201);
      assertThat(sent.json().get("verdict").asText()).isEqualTo("ALLOWED");
      assertThat(sent.json().get("toxicity").asDouble()).isZero();
      String messageId = sent.json().get("messageId").asText();

      JsonNode item = timeline(bobToken, conversationId, 1).get("items").get(0);
      assertThat(item.get("messageId").asText()).isEqualTo(messageId);
      assertThat(item.get("senderId").asText()).isEqualTo(alice);
      assertThat(item.get("text").asText()).isEqualTo("<b>hi</b> bob");
      assertThat(item.get("verdict").asText()).isEqualTo("ALLOWED");
      assertThat(item.get("erased").asBoolean()).isFalse();
      assertThat(item.get("sentAt").asText()).endsWith("Z");
      JsonNode summary =
          eventually(
                  () -> api.get("/api/v1/conversations/" + conversationId, bobToken),
                  r -> r.status() == 200 && r.json().get("messageCount").asLong() == 1)
              .json();
      assertThat(summary.get("messageCount").asLong()).isEqualTo(1);
    }

    @Test
    void clientMessageIdRetry_answersFirstOutcome_andAppendsNoSecondEvent() {
      Map<String, String> body = Map.of("text", "only once", "clientMessageId", "c-1");
      Response first = send(aliceToken, conversationId, body);
      Response retry = send(aliceToken, conversationId, body);
      assertThat(first.status()).isEqualTo(201);
      assertThat(retry.status()).isEqualTo(201);
      assertThat(retry.json().get("messageId")).isEqualTo(first.json().get("messageId"));
      assertThat(retry.json().get("verdict")).isEqualTo(first.json().get("verdict"));
      assertThat(retry.json().get("toxicity").asDouble())
          .isEqualTo(first.json().get("toxicity").asDouble());
      assertThat(eventCount(conversationId)).isEqualTo(2); // started + one message
      timeline(aliceToken, conversationId, 1);
      // The same key from another sender is a different message.
      assertThat(send(bobToken, conversationId, body).json().get("messageId"))
          .isNotEqualTo(first.json().get("messageId"));
    }

    @Test
    void idempotencyKeyHeader_actsAsClientMessageId() {
      Map<String, String> headers = Map.of("Idempotency-Key", "h-1");
      String body = "{\"text\":\"header keyed\"}";
      String path = "/api/v1/conversations/" + conversationId + "/messages";
      Response first = api.send("POST", path, aliceToken, body, "application/json", headers);
      Response retry = api.send("POST", path, aliceToken, body, "application/json", headers);
      assertThat(retry.json().get("messageId")).isEqualTo(first.json().get("messageId"));
      assertThat(eventCount(conversationId)).isEqualTo(2);
    }

    @Test
    void nonParticipantGets403_unknownConversationGets404() {
      assertProblem(send(carolToken, conversationId, Map.of("text", "let me in")), 403);
      assertProblem(send(aliceToken, UUID.randomUUID().toString(), Map.of("text", "hello")), 404);
      assertThat(eventCount(conversationId)).isEqualTo(1);
    }

    @Test
    void rejectsBlankMissingMistypedAndOversizedText_withoutEchoingIt() {
      assertFieldError(send(aliceToken, conversationId, Map.of("text", " \n\t ")), "text");
      assertFieldError(send(aliceToken, conversationId, Map.of()), "text");
      assertFieldError(send(aliceToken, conversationId, Map.of("text", 5)), "text");
      assertFieldError(send(aliceToken, conversationId, Map.of("text", true)), "text");
      assertFieldError(send(aliceToken, conversationId, Map.of("text", Map.of("a", 1))), "text");
      String secret = "SECRET-" + "s".repeat(10_000);
      Response oversized = send(aliceToken, conversationId, Map.of("text", secret));
      assertFieldError(oversized, "text");
      assertThat(oversized.body()).doesNotContain("SECRET");
      assertThat(eventCount(conversationId)).isEqualTo(1);
    }

    @Test
    void acceptsTenThousandCharactersAfterTrimming() {
      Response sent =
          send(aliceToken, conversationId, Map.of("text", "   " + "é".repeat(10_000) + "   "));
      assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    }

    @Test
    void malformedJsonIs400_wrongContentTypeIs415_hugeBodyIs413() {
      String path = "/api/v1/conversations/" + conversationId + "/messages";
      assertProblem(
          api.send("POST", path, aliceToken, "{\"text\":", "application/json", Map.of()), 400);
      assertProblem(api.send("POST", path, aliceToken, "text=hi", "text/plain", Map.of()), 415);
      String huge = "{\"text\":\"" + "x".repeat(300_000) + "\"}";
      assertProblem(api.send("POST", path, aliceToken, huge, "application/json", Map.of()), 413);
      assertThat(eventCount(conversationId)).isEqualTo(1);
    }

    @Test
    void rejectsControlCharacters_whichPostgresCouldNotStore() {
      assertFieldError(send(aliceToken, conversationId, Map.of("text", "nul\u0000here")), "text");
      assertFieldError(send(aliceToken, conversationId, Map.of("text", "bell\u0007")), "text");
      assertFieldError(
          send(aliceToken, conversationId, Map.of("text", "ok", "clientMessageId", "k\u0000")),
          "clientMessageId");
      assertThat(send(aliceToken, conversationId, Map.of("text", "tab\tand\nlines\r\n")).status())
          .isEqualTo(201);
      assertFieldError(
          api.postJson("/api/v1/conversations", aliceToken, Map.of("title", "t\u0000")), "title");
      assertThat(eventCount(conversationId)).isEqualTo(2);
    }

    @Test
    void rejectsOverlongClientMessageId() {
      assertFieldError(
          send(
              aliceToken, conversationId, Map.of("text", "hi", "clientMessageId", "k".repeat(129))),
          "clientMessageId");
    }
  }

  @Nested
  class Timeline {

    @Test
    void pagesNewestFirstWithCursor() {
      String id = startConversation(aliceToken, "Paged", bob);
      for (int i = 1; i <= 5; i++) {
        assertThat(send(aliceToken, id, Map.of("text", "m" + i)).status()).isEqualTo(201);
      }
      timeline(aliceToken, id, 5);
      Response first = api.get("/api/v1/conversations/" + id + "/messages?limit=2", bobToken);
      assertThat(texts(first)).containsExactly("m5", "m4");
      String cursor = first.json().get("nextCursor").asText();
      Response second =
          api.get("/api/v1/conversations/" + id + "/messages?limit=2&before=" + cursor, bobToken);
      assertThat(texts(second)).containsExactly("m3", "m2");
      Response third =
          api.get(
              "/api/v1/conversations/"
                  + id
                  + "/messages?limit=2&before="
                  + second.json().get("nextCursor").asText(),
              bobToken);
      assertThat(texts(third)).containsExactly("m1");
      assertThat(third.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void rejectsInvalidCursorAndLimit() {
      String id = startConversation(aliceToken, "Paged", bob);
      eventually(() -> api.get("/api/v1/conversations/" + id, aliceToken), r -> r.status() == 200);
      assertFieldError(
          api.get("/api/v1/conversations/" + id + "/messages?before=garbage", aliceToken),
          "before");
      assertFieldError(
          api.get("/api/v1/conversations/" + id + "/messages?limit=0", aliceToken), "limit");
      assertFieldError(
          api.get("/api/v1/conversations/" + id + "/messages?limit=201", aliceToken), "limit");
      assertFieldError(
          api.get("/api/v1/conversations/" + id + "/messages?limit=ten", aliceToken), "limit");
    }

    List<String> texts(Response page) {
      assertThat(page.status()).isEqualTo(200);
      List<String> texts = new ArrayList<>();
      page.json().get("items").forEach(i -> texts.add(i.get("text").asText()));
      return texts;
    }
  }

  @Nested
  class ModerationThresholds {

    @Test
    void ownerChangesThresholds_andDetailShowsThem() {
      String id = startConversation(aliceToken, "Strict", bob);
      Response changed =
          api.putJson(
              "/api/v1/conversations/" + id + "/moderation",
              aliceToken,
              Map.of("warnThreshold", 0.3, "blockThreshold", 0.5));
      assertThat(changed.status()).as(changed.body()).isEqualTo(204);
      JsonNode moderation =
          eventually(
                  () -> api.get("/api/v1/conversations/" + id, bobToken),
                  r ->
                      r.status() == 200
                          && r.json().get("moderation").get("warnThreshold").asDouble() == 0.3)
              .json()
              .get("moderation");
      assertThat(moderation.get("blockThreshold").asDouble()).isEqualTo(0.5);
    }

    @Test
    void moderatorMayChangeThresholds_participantWhoIsNotOwnerMayNot() {
      String id = startConversation(aliceToken, "Moderated", bob);
      String path = "/api/v1/conversations/" + id + "/moderation";
      Map<String, Object> body = Map.of("warnThreshold", 0.5, "blockThreshold", 0.9);
      assertProblem(api.putJson(path, bobToken, body), 403);
      String moderator =
          api.token("mod-" + UUID.randomUUID().toString().substring(0, 8), "USER", "MODERATOR");
      assertThat(api.putJson(path, moderator, body).status()).isEqualTo(204);
      String moderatorOnly =
          api.token("mod-" + UUID.randomUUID().toString().substring(0, 8), "MODERATOR");
      assertThat(
              api.putJson(path, moderatorOnly, Map.of("warnThreshold", 0.4, "blockThreshold", 0.9))
                  .status())
          .isEqualTo(204);
    }

    @Test
    void rejectsThresholdsOutsideTheRule() {
      String id = startConversation(aliceToken, "Bad thresholds", bob);
      String path = "/api/v1/conversations/" + id + "/moderation";
      for (Map<String, Object> body :
          List.<Map<String, Object>>of(
              Map.of("warnThreshold", 0.8, "blockThreshold", 0.8),
              Map.of("warnThreshold", 0.9, "blockThreshold", 0.5),
              Map.of("warnThreshold", 0, "blockThreshold", 0.5),
              Map.of("warnThreshold", 0.5, "blockThreshold", 1.01),
              Map.of("warnThreshold", 0.0001, "blockThreshold", 0.8),
              Map.of("warnThreshold", new java.math.BigDecimal("1e-2000"), "blockThreshold", 0.8),
              Map.of("warnThreshold", "0.5", "blockThreshold", 0.9),
              Map.of("warnThreshold", 0.5))) {
        Response response = api.putJson(path, aliceToken, body);
        assertProblem(response, 400);
        assertThat(response.json().has("errors")).isTrue();
      }
      assertThat(
              api.putJson(path, aliceToken, Map.of("warnThreshold", 0.5, "blockThreshold", 1))
                  .status())
          .isEqualTo(204);
    }
  }

  @Nested
  class Security {

    @Test
    void missingOrInvalidTokenIs401_withProblemAndRequestId() {
      Response none = api.get("/api/v1/conversations", null);
      assertProblem(none, 401);
      assertThat(none.header("X-Request-Id")).isNotBlank();
      assertProblem(api.get("/api/v1/conversations", "not.a.jwt"), 401);
      String tampered = aliceToken.substring(0, aliceToken.length() - 4) + "AAAA";
      assertProblem(api.get("/api/v1/conversations", tampered), 401);
      assertProblem(api.postJson("/api/v1/conversations", null, Map.of("title", "no token")), 401);
    }

    @Test
    void tokenWithoutUserRoleIs403() {
      String opsOnly = api.token("ops-" + UUID.randomUUID().toString().substring(0, 8), "OPS");
      assertProblem(api.get("/api/v1/conversations", opsOnly), 403);
      assertProblem(api.postJson("/api/v1/conversations", opsOnly, Map.of("title", "x")), 403);
    }

    @Test
    void devTokenEndpointValidatesItsInput() {
      assertFieldError(
          api.postJson(
              "/api/dev/tokens", null, Map.of("sub", "bad sub!", "roles", List.of("USER"))),
          "sub");
      assertFieldError(
          api.postJson("/api/dev/tokens", null, Map.of("sub", "ok", "roles", List.of("ROOT"))),
          "roles");
    }
  }

  @Nested
  class RequestIds {

    @Test
    void echoesRequestId_andRecordsItAsTheEventsCorrelationId() {
      String requestId = "req-" + UUID.randomUUID();
      Response created =
          api.send(
              "POST",
              "/api/v1/conversations",
              aliceToken,
              "{\"title\":\"traced\"}",
              "application/json",
              Map.of("X-Request-Id", requestId));
      assertThat(created.header("X-Request-Id")).isEqualTo(requestId);
      String id = created.json().get("conversationId").asText();
      byte[] metaData =
          jdbc.queryForObject(
              "select meta_data from domain_event_entry where aggregate_identifier = ?",
              byte[].class,
              id);
      String meta = new String(metaData, StandardCharsets.UTF_8);
      assertThat(meta).contains("\"correlationId\":\"" + requestId + "\"");
      assertThat(meta).contains("\"actor\":\"" + alice + "\"");
    }

    @Test
    void generatesRequestIdWhenAbsentOrUnsafe() {
      Response plain = api.get("/api/v1/conversations", aliceToken);
      assertThat(plain.header("X-Request-Id")).matches("[0-9a-f-]{36}");
      Map<String, String> headers = new HashMap<>();
      headers.put("X-Request-Id", "bad id with spaces");
      Response unsafe = api.get("/api/v1/conversations", aliceToken, headers);
      assertThat(unsafe.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    }
  }

  @Nested
  class Platform {

    @Test
    void servesOpenApiAndSwaggerUiAndHealthProbes() {
      Response docs = api.get("/api/docs", null);
      assertThat(docs.status()).isEqualTo(200);
      assertThat(docs.json().get("paths").has("/api/v1/conversations/{conversationId}/messages"))
          .isTrue();
      assertThat(
              docs.json()
                  .at("/paths/~1api~1v1~1flags~1{flagId}~1review/post/parameters")
                  .findValuesAsText("name"))
          .contains("Idempotency-Key");
      assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
      assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
      assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    @Test
    void firewallRejectedUrlIs400Problem() {
      assertProblem(api.get("/api/v1/conversations;jsessionid=x", aliceToken), 400);
      assertProblem(api.get("/api/v1//conversations", aliceToken), 400);
    }

    @Test
    void unknownPathIs404ProblemForAnAuthenticatedCaller() {
      assertProblem(api.get("/api/v1/nothing-here", aliceToken), 404);
    }
  }

  int eventCount(String aggregateId) {
    return jdbc.queryForObject(
        "select count(*) from domain_event_entry where aggregate_identifier = ?",
        Integer.class,
        aggregateId);
  }
}
