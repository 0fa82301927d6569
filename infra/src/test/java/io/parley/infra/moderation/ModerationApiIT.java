package io.parley.infra.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.command.moderation.ToxicityScorer;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.query.timeline.TimelineProjection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * API.md's moderation end to end, with the built-in scorer: verdicts, automatic and user flags, the
 * moderator workflow and its role checks.
 */
class ModerationApiIT extends ParleyIntegrationTest {

  /** Scores at or above the default block threshold (0.8) with the built-in scorer. */
  static final String SEVERE = "I will kill you, you worthless piece of shit";

  /** Scores in the default warn band (0.6 ≤ score < 0.8) with the built-in scorer. */
  static final String BORDERLINE = "you are an idiot";

  @Autowired ToxicityScorer scorer;

  String alice;
  String bob;
  String carol;
  String moderator;
  String room;

  @BeforeEach
  void conversation() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    alice = api.token("alice-" + suffix, "USER");
    bob = api.token("bob-" + suffix, "USER");
    carol = api.token("carol-" + suffix, "USER");
    moderator = api.token("mod-" + suffix, "USER", "MODERATOR");
    room =
        api.postJson(
                "/api/v1/conversations",
                alice,
                Map.of(
                    "title",
                    "moderated",
                    "participants",
                    List.of("bob-" + suffix, "carol-" + suffix)))
            .json()
            .get("conversationId")
            .asText();
  }

  @Test
  void theExampleTextsScoreWhereTheTestsNeedThem() {
    assertThat(scorer.score(SEVERE).scores().highest())
        .isGreaterThanOrEqualTo(new BigDecimal("0.8"));
    assertThat(scorer.score(BORDERLINE).scores().highest())
        .isGreaterThanOrEqualTo(new BigDecimal("0.6"))
        .isLessThan(new BigDecimal("0.8"));
  }

  @Test
  void aToxicMessage_isBlocked_andInvisibleToEveryReader() {
    ApiClient.Response sent = send(bob, SEVERE);
    assertThat(sent.status()).isEqualTo(201);
    assertThat(sent.json().get("verdict").asText()).isEqualTo("BLOCKED");
    assertThat(new BigDecimal(sent.json().get("toxicity").asText()))
        .isGreaterThanOrEqualTo(new BigDecimal("0.8"));
    String blockedId = sent.json().get("messageId").asText();

    String afterId = send(alice, "after the blocked one").json().get("messageId").asText();
    // Every event so far handled, so a blocked message wrongly projected would be there by now.
    awaitCaughtUp(TimelineProjection.PROCESSING_GROUP);
    for (String reader : List.of(alice, bob, carol)) {
      List<String> ids = eventually(() -> timelineIds(reader), list -> list.contains(afterId));
      assertThat(ids).containsExactly(afterId).doesNotContain(blockedId);
    }
    // The count is another projection than the timeline: wait for it too. A blocked message
    // taking a position would show as 2 here, never as 1.
    long messageCount =
        eventually(
            () ->
                api.get("/api/v1/conversations/" + room, alice)
                    .json()
                    .path("messageCount")
                    .asLong(),
            count -> count >= 1);
    assertThat(messageCount).isEqualTo(1);
    // A blocked message cannot be flagged: it is not visible anywhere.
    assertThat(flag(carol, blockedId, "abuse").status()).isEqualTo(404);
  }

  @Test
  void aBorderlineMessage_isWarned_delivered_andInTheModeratorQueue() {
    ApiClient.Response sent = send(bob, BORDERLINE);
    assertThat(sent.status()).isEqualTo(201);
    assertThat(sent.json().get("verdict").asText()).isEqualTo("WARNED");
    String messageId = sent.json().get("messageId").asText();

    List<JsonNode> items = eventually(() -> timeline(alice), list -> !list.isEmpty());
    assertThat(items.get(0).get("messageId").asText()).isEqualTo(messageId);
    assertThat(items.get(0).get("verdict").asText()).isEqualTo("WARNED");
    assertThat(items.get(0).get("text").asText()).isEqualTo(BORDERLINE);

    JsonNode flag = eventually(() -> queuedFlagFor(messageId, "PENDING"), f -> f != null);
    assertThat(flag.get("source").asText()).isEqualTo("AUTO");
    assertThat(flag.get("reason").asText()).isEqualTo("toxicity");
    assertThat(flag.get("status").asText()).isEqualTo("PENDING");
    assertThat(flag.get("conversationId").asText()).isEqualTo(room);
    assertThat(flag.get("toxicity").decimalValue())
        .isEqualByComparingTo(sent.json().get("toxicity").decimalValue());
    assertThat(flag.get("outcome").isNull()).isTrue();
  }

  @Test
  void aUserFlag_reviewedAndUpheld_removesTheMessageFromEveryTimeline() {
    String messageId =
        send(bob, "buy cheap watches at example.test").json().get("messageId").asText();
    eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));

    ApiClient.Response flagged = flag(carol, messageId, "spam");
    assertThat(flagged.status()).isEqualTo(201);
    String flagId = flagged.json().get("flagId").asText();
    // The same user flagging the same message again: the same flag, nothing new.
    assertThat(flag(carol, messageId, "still spam").json().get("flagId").asText())
        .isEqualTo(flagId);

    JsonNode queued = eventually(() -> queuedFlagFor(messageId, "PENDING"), f -> f != null);
    assertThat(queued.get("flagId").asText()).isEqualTo(flagId);
    assertThat(queued.get("source").asText()).isEqualTo("USER");
    assertThat(queued.get("reason").asText()).isEqualTo("spam");

    assertThat(review(moderator, flagId).status()).isEqualTo(204);
    eventually(() -> queuedFlagFor(messageId, "REVIEWING"), f -> f != null);
    assertThat(resolve(moderator, flagId, "UPHELD").status()).isEqualTo(204);

    for (String reader : List.of(alice, bob, carol)) {
      eventually(() -> timelineIds(reader), ids -> !ids.contains(messageId));
    }
    JsonNode resolved = eventually(() -> queuedFlagFor(messageId, "RESOLVED"), f -> f != null);
    assertThat(resolved.get("outcome").asText()).isEqualTo("UPHELD");
    // A removed message can no longer be flagged.
    assertThat(flag(alice, messageId, "spam").status()).isEqualTo(404);
  }

  @Test
  void aDismissedFlag_keepsTheMessage() {
    String messageId =
        send(bob, "I think pineapple belongs on pizza").json().get("messageId").asText();
    eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));
    String flagId = flag(carol, messageId, "bad taste").json().get("flagId").asText();

    assertThat(review(moderator, flagId).status()).isEqualTo(204);
    assertThat(resolve(moderator, flagId, "DISMISSED").status()).isEqualTo(204);

    JsonNode resolved = eventually(() -> queuedFlagFor(messageId, "RESOLVED"), f -> f != null);
    assertThat(resolved.get("outcome").asText()).isEqualTo("DISMISSED");
    // A removal wrongly applied would have been handled by now.
    awaitCaughtUp(TimelineProjection.PROCESSING_GROUP);
    assertThat(timelineIds(alice)).contains(messageId);
  }

  @Test
  void anyOtherTransition_is409() {
    String messageId = send(bob, "a perfectly nice message").json().get("messageId").asText();
    eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));
    String flagId = flag(carol, messageId, "mistake").json().get("flagId").asText();

    assertThat(resolve(moderator, flagId, "UPHELD").status()).isEqualTo(409); // still PENDING
    assertThat(review(moderator, flagId).status()).isEqualTo(204);
    ApiClient.Response again = review(moderator, flagId);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.header("Content-Type")).startsWith("application/problem+json");
    assertThat(resolve(moderator, flagId, "DISMISSED").status()).isEqualTo(204);
    assertThat(resolve(moderator, flagId, "UPHELD").status()).isEqualTo(409);
    assertThat(review(moderator, flagId).status()).isEqualTo(409);
  }

  @Test
  void nonModerators_get403_onTheQueueAndTheTransitions() {
    String messageId = send(bob, "hello").json().get("messageId").asText();
    eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));
    String flagId = flag(carol, messageId, "test").json().get("flagId").asText();

    assertThat(api.get("/api/v1/flags", alice).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/flags?status=PENDING", carol).status()).isEqualTo(403);
    assertThat(review(alice, flagId).status()).isEqualTo(403);
    assertThat(resolve(carol, flagId, "UPHELD").status()).isEqualTo(403);
    assertThat(api.get("/api/v1/flags", null).status()).isEqualTo(401);
  }

  @Test
  void flagging_isForParticipantsOfTheMessagesConversation() {
    String messageId = send(bob, "members only").json().get("messageId").asText();
    eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));
    String outsider = api.token("dave-" + UUID.randomUUID().toString().substring(0, 8), "USER");

    assertThat(flag(outsider, messageId, "spam").status()).isEqualTo(403);
    assertThat(flag(carol, UUID.randomUUID().toString(), "spam").status()).isEqualTo(404);
    assertThat(flag(carol, "not-a-uuid", "spam").status()).isEqualTo(400);
  }

  @Test
  void invalidInput_isA400ProblemNamingTheField() {
    String messageId = send(bob, "check me").json().get("messageId").asText();
    eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));

    ApiClient.Response noReason =
        api.postJson("/api/v1/messages/" + messageId + "/flags", carol, Map.of("note", "x"));
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.body()).contains("reason");
    assertThat(flag(carol, messageId, " ").status()).isEqualTo(400);
    assertThat(flag(carol, messageId, "r".repeat(101)).status()).isEqualTo(400);
    assertThat(
            api.postJson("/api/v1/messages/" + messageId + "/flags", carol, Map.of("reason", 42))
                .status())
        .isEqualTo(400);

    String flagId = flag(carol, messageId, "check").json().get("flagId").asText();
    review(moderator, flagId);
    assertThat(resolve(moderator, flagId, "MAYBE").status()).isEqualTo(400);
    assertThat(api.postJson("/api/v1/flags/" + flagId + "/resolve", moderator, Map.of()).status())
        .isEqualTo(400);
    assertThat(api.get("/api/v1/flags?status=OPEN", moderator).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/flags?limit=0", moderator).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/flags?after=garbage", moderator).status()).isEqualTo(400);
    assertThat(review(moderator, UUID.randomUUID().toString()).status()).isEqualTo(404);
    assertThat(
            api.putJson(
                    "/api/v1/conversations/" + room + "/moderation",
                    alice,
                    Map.of("warnThreshold", 0.9, "blockThreshold", 0.8))
                .status())
        .isEqualTo(400);
  }

  @Test
  void theQueue_pagesOldestFirst() {
    List<String> flagIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String messageId = send(bob, "page " + i).json().get("messageId").asText();
      eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));
      flagIds.add(flag(carol, messageId, "paging").json().get("flagId").asText());
      eventually(() -> queuedFlagFor(messageId, "PENDING"), f -> f != null);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      String query =
          "/api/v1/flags?status=PENDING&limit=2" + (cursor == null ? "" : "&after=" + cursor);
      JsonNode page = api.get(query, moderator).json();
      page.get("items").forEach(item -> seen.add(item.get("flagId").asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    assertThat(seen).containsSubsequence(flagIds);
  }

  @Test
  void exports_holdBlockedMessages_flagsRaised_andFlagsAgainst_withoutOtherPeoplesWords() {
    String blockedId = send(bob, SEVERE).json().get("messageId").asText();
    String messageId = send(bob, "an ordinary message").json().get("messageId").asText();
    eventually(() -> timelineIds(carol), ids -> ids.contains(messageId));
    String flagId =
        api.postJson(
                "/api/v1/messages/" + messageId + "/flags",
                carol,
                Map.of("reason", "carol's reason", "note", "carol's note"))
            .json()
            .get("flagId")
            .asText();
    eventually(() -> queuedFlagFor(messageId, "PENDING"), f -> f != null);

    JsonNode carolsExport = api.get("/api/v1/me/export", carol).json();
    JsonNode raised = carolsExport.get("flagsRaised");
    assertThat(raised).hasSize(1);
    assertThat(raised.get(0).get("flagId").asText()).isEqualTo(flagId);
    assertThat(raised.get(0).get("reason").asText()).isEqualTo("carol's reason");
    assertThat(raised.get(0).get("note").asText()).isEqualTo("carol's note");

    JsonNode bobsExport = api.get("/api/v1/me/export", bob).json();
    JsonNode against = bobsExport.get("flagsAgainst");
    assertThat(against).hasSize(1);
    assertThat(against.get(0).get("flagId").asText()).isEqualTo(flagId);
    assertThat(against.get(0).get("source").asText()).isEqualTo("USER");
    assertThat(against.toString()).doesNotContain("carol");
    JsonNode blocked =
        StreamSupport.stream(bobsExport.get("messages").spliterator(), false)
            .filter(m -> m.get("messageId").asText().equals(blockedId))
            .findFirst()
            .orElseThrow();
    assertThat(blocked.get("verdict").asText()).isEqualTo("BLOCKED");
    assertThat(blocked.get("text").asText()).isEqualTo(SEVERE);
  }

  // --- helpers

  ApiClient.Response send(String token, String text) {
    return api.postJson("/api/v1/conversations/" + room + "/messages", token, Map.of("text", text));
  }

  ApiClient.Response flag(String token, String messageId, String reason) {
    return api.postJson(
        "/api/v1/messages/" + messageId + "/flags", token, Map.of("reason", reason, "note", "n"));
  }

  ApiClient.Response review(String token, String flagId) {
    return api.postJson("/api/v1/flags/" + flagId + "/review", token, Map.of());
  }

  ApiClient.Response resolve(String token, String flagId, String outcome) {
    return api.postJson("/api/v1/flags/" + flagId + "/resolve", token, Map.of("outcome", outcome));
  }

  List<JsonNode> timeline(String token) {
    ApiClient.Response page =
        api.get("/api/v1/conversations/" + room + "/messages?limit=200", token);
    if (page.status() == 404) {
      return List.of(); // the conversation's read model has not caught up yet
    }
    assertThat(page.status()).isEqualTo(200);
    JsonNode items = page.json().get("items");
    return StreamSupport.stream(items.spliterator(), false).toList();
  }

  List<String> timelineIds(String token) {
    return timeline(token).stream().map(m -> m.get("messageId").asText()).toList();
  }

  /** The flag on {@code messageId} in the queue with {@code status}, or null. */
  JsonNode queuedFlagFor(String messageId, String status) {
    String cursor = null;
    do {
      JsonNode page =
          api.get(
                  "/api/v1/flags?limit=200&status="
                      + status
                      + (cursor == null ? "" : "&after=" + cursor),
                  moderator)
              .json();
      for (JsonNode item : page.get("items")) {
        if (item.get("messageId").asText().equals(messageId)) {
          return item;
        }
      }
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    return null;
  }
}
