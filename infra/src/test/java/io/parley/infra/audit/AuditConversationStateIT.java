package io.parley.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * API.md "Audit", a conversation as it stood at an instant, over real HTTP and PostgreSQL: a
 * conversation with messages, an automatic flag reviewed and upheld (the message removed), a
 * participant added, thresholds changed and a user flag, read at the exact timestamps of the stored
 * events (an event stamped at asOf is applied) and just before them; 404 before creation; the
 * owner's title "[erased]" after erasure; 400s, 403s; every read that passed validation recorded.
 */
class AuditConversationStateIT extends ParleyIntegrationTest {

  /** Scores in the default warn band with the built-in scorer (see ModerationApiIT). */
  static final String BORDERLINE = "you are an idiot";

  static final String REASON = "case 4711: complaint about moderation";

  @Autowired JdbcTemplate jdbc;

  String run;
  String alice;
  String bob;
  String carol;
  String moderator;
  String officer;

  @BeforeEach
  void people() {
    run = UUID.randomUUID().toString().substring(0, 8);
    alice = api.token("alice-" + run, "USER");
    bob = api.token("bob-" + run, "USER");
    carol = api.token("carol-" + run, "USER");
    moderator = api.token("mod-" + run, "USER", "MODERATOR");
    officer = api.token("officer-" + run, "COMPLIANCE");
  }

  @Test
  void theStateAtEachInstant_isRebuiltFromTheEventsStampedAtOrBeforeIt() {
    String room = start(alice, "Weekend plans " + run, "bob-" + run);
    String hello = send(bob, room, "hello everyone").json().get("messageId").asText();
    Response warned = send(bob, room, BORDERLINE);
    assertThat(warned.json().get("verdict").asText()).isEqualTo("WARNED");
    String rude = warned.json().get("messageId").asText();
    String autoFlag = FlagRaisedAutomaticallyEvent.flagIdFor(UUID.fromString(rude)).toString();
    assertThat(
            api.postJson(
                    "/api/v1/conversations/" + room + "/participants",
                    alice,
                    Map.of("userId", "carol-" + run))
                .status())
        .isEqualTo(204);
    assertThat(
            api.putJson(
                    "/api/v1/conversations/" + room + "/moderation",
                    alice,
                    Map.of("warnThreshold", 0.5, "blockThreshold", 0.9))
                .status())
        .isIn(200, 204);
    assertThat(post("/api/v1/flags/" + autoFlag + "/review", moderator, Map.of()).status())
        .isEqualTo(204);
    assertThat(
            post("/api/v1/flags/" + autoFlag + "/resolve", moderator, Map.of("outcome", "UPHELD"))
                .status())
        .isEqualTo(204);
    // Carol's own flag on the first message: found through the moderation projection only.
    Response flagged =
        eventually(
            () -> post("/api/v1/messages/" + hello + "/flags", carol, Map.of("reason", "spam")),
            r -> r.status() == 201);
    String userFlag = flagged.json().get("flagId").asText();

    Instant started = stamp(room, "ConversationStartedEvent");
    Instant helloSent = stamp(room, "MessageSentEvent"); // the first of two
    Instant flagRaised = stamp(autoFlag, "FlagRaisedAutomaticallyEvent");
    Instant carolAdded = stamp(room, "ParticipantAddedEvent");
    Instant thresholdsChanged = stamp(room, "ModerationThresholdsChangedEvent");
    Instant resolved = stamp(autoFlag, "FlagResolvedEvent");
    Instant removed = stamp(autoFlag, "MessageRemovedEvent");
    Instant userFlagRaised = stamp(userFlag, "FlagRaisedEvent");

    // Before it existed: a 404 problem.
    Response before = state(room, started.minusNanos(1000));
    assertThat(before.status()).as(before.body()).isEqualTo(404);
    assertThat(before.header("Content-Type")).startsWith("application/problem+json");

    // At its creation's own timestamp: created, nothing else yet.
    JsonNode atStart = ok(state(room, started));
    assertThat(atStart.get("conversationId").asText()).isEqualTo(room);
    assertThat(Instant.parse(atStart.get("asOf").asText())).isEqualTo(started);
    assertThat(atStart.get("title").asText()).isEqualTo("Weekend plans " + run);
    assertThat(atStart.get("ownerId").asText()).isEqualTo("alice-" + run);
    assertThat(texts(atStart.get("participants"))).containsExactly("alice-" + run, "bob-" + run);
    assertThat(atStart.at("/moderation/warnThreshold").decimalValue()).isEqualByComparingTo("0.6");
    assertThat(atStart.at("/moderation/blockThreshold").decimalValue()).isEqualByComparingTo("0.8");
    assertThat(atStart.get("messages")).isEmpty();
    assertThat(atStart.get("flags")).isEmpty();

    // Between the two messages.
    JsonNode afterHello = ok(state(room, helloSent));
    assertThat(afterHello.get("messages")).hasSize(1);
    JsonNode first = afterHello.get("messages").get(0);
    assertThat(first.get("messageId").asText()).isEqualTo(hello);
    assertThat(first.get("senderId").asText()).isEqualTo("bob-" + run);
    assertThat(first.get("verdict").asText()).isEqualTo("ALLOWED");
    assertThat(first.get("removed").asBoolean()).isFalse();
    assertThat(first.get("sentAt").asText()).isNotBlank();

    // After the automatic flag: the warned message and its pending flag.
    JsonNode afterFlag = ok(state(room, flagRaised));
    assertThat(ids(afterFlag.get("messages"), "messageId")).containsExactly(hello, rude);
    assertThat(afterFlag.at("/messages/1/verdict").asText()).isEqualTo("WARNED");
    assertThat(afterFlag.get("flags")).hasSize(1);
    assertThat(afterFlag.at("/flags/0/flagId").asText()).isEqualTo(autoFlag);
    assertThat(afterFlag.at("/flags/0/messageId").asText()).isEqualTo(rude);
    assertThat(afterFlag.at("/flags/0/status").asText()).isEqualTo("PENDING");
    assertThat(afterFlag.at("/flags/0/outcome").isNull()).isTrue();

    // The participant, from the instant they were added.
    assertThat(texts(ok(state(room, carolAdded.minusNanos(1000))).get("participants")))
        .doesNotContain("carol-" + run);
    assertThat(texts(ok(state(room, carolAdded)).get("participants")))
        .containsExactly("alice-" + run, "bob-" + run, "carol-" + run);

    // The thresholds in force.
    assertThat(
            ok(state(room, thresholdsChanged.minusNanos(1000)))
                .at("/moderation/warnThreshold")
                .decimalValue())
        .isEqualByComparingTo("0.6");
    JsonNode afterChange = ok(state(room, thresholdsChanged));
    assertThat(afterChange.at("/moderation/warnThreshold").decimalValue())
        .isEqualByComparingTo("0.5");
    assertThat(afterChange.at("/moderation/blockThreshold").decimalValue())
        .isEqualByComparingTo("0.9");

    // The flag through its states; the message removed only from the removal on.
    JsonNode reviewing = ok(state(room, resolved.minusNanos(1000)));
    assertThat(reviewing.at("/flags/0/status").asText()).isEqualTo("REVIEWING");
    assertThat(reviewing.at("/messages/1/removed").asBoolean()).isFalse();
    assertThat(ok(state(room, removed.minusNanos(1000))).at("/messages/1/removed").asBoolean())
        .isFalse();
    JsonNode afterRemoval = ok(state(room, removed));
    assertThat(afterRemoval.at("/flags/0/status").asText()).isEqualTo("RESOLVED");
    assertThat(afterRemoval.at("/flags/0/outcome").asText()).isEqualTo("UPHELD");
    assertThat(afterRemoval.at("/messages/1/removed").asBoolean()).isTrue();
    assertThat(afterRemoval.at("/messages/0/removed").asBoolean()).isFalse();
    // Carol's flag was raised later: not there yet.
    assertThat(ids(ok(state(room, userFlagRaised.minusNanos(1000))).get("flags"), "flagId"))
        .containsExactly(autoFlag);

    // As of Carol's flag: both flags, hers pending (once the moderation projection, which lists
    // the flag ids, has it).
    JsonNode now =
        eventually(() -> ok(state(room, userFlagRaised)), s -> s.get("flags").size() == 2);
    assertThat(ids(now.get("flags"), "flagId")).containsExactly(autoFlag, userFlag);
    assertThat(now.at("/flags/1/status").asText()).isEqualTo("PENDING");
    assertThat(now.at("/flags/1/messageId").asText()).isEqualTo(hello);
  }

  @Test
  void theOwnersTitle_readsErased_afterTheirErasure() {
    String eve = "eve-" + run;
    String eveToken = api.token(eve, "USER");
    String room = start(eveToken, "EVE-TITLE-" + run, "bob-" + run);
    String said = send(eveToken, room, "EVE-SAYS-" + run).json().get("messageId").asText();
    Instant beforeErasure = stamp(room, "MessageSentEvent");
    assertThat(ok(state(room, beforeErasure)).get("title").asText()).isEqualTo("EVE-TITLE-" + run);

    awaitSagaProcessorReady(jdbc);
    Response erasure =
        api.postJson(
            "/api/v1/compliance/subjects/" + eve + "/erasure",
            officer,
            Map.of("immediate", true, "reason", "request " + run));
    assertThat(erasure.status()).as(erasure.body()).isEqualTo(202);

    // Even as of an instant before the erasure: the key is gone, so is the title.
    JsonNode erased =
        eventually(
            () -> ok(state(room, beforeErasure)), s -> !s.get("title").asText().contains(run));
    assertThat(erased.get("title").asText()).isEqualTo("[erased]");
    assertThat(erased.get("ownerId").asText()).isEqualTo(eve); // an id, not personal content
    assertThat(ids(erased.get("messages"), "messageId")).containsExactly(said);
    assertThat(erased.toString()).doesNotContain("EVE-SAYS-" + run).doesNotContain("EVE-TITLE");
  }

  @Test
  void everyReadThatPassedValidation_isRecorded_andNoOtherIs() {
    String room = start(alice, "recorded " + run, "bob-" + run);
    send(bob, room, "one");
    Instant asOf = stamp(room, "MessageSentEvent");
    int before = accessRecordsOf(room);

    assertThat(state(room, asOf).status()).isEqualTo(200);
    assertThat(accessRecordsOf(room)).isEqualTo(before + 1);
    String record = latestAccessRecordOf(room);
    assertThat(record)
        .contains("\"readerId\":\"officer-" + run + "\"")
        .contains("\"endpoint\":\"conversation-state\"")
        .contains("\"asOf\":\"" + asOf + "\"")
        .contains("\"eventsReturned\":2") // started, one message
        .doesNotContain(REASON); // the reason is the officer's personal data: encrypted

    // Failed validation records nothing.
    get("/api/v1/audit/conversations/" + room + "/state?asOf=" + asOf, officer, Map.of());
    get("/api/v1/audit/conversations/" + room + "/state?asOf=yesterday", officer, reason());
    get("/api/v1/audit/conversations/" + room + "/state", officer, reason());
    get("/api/v1/audit/conversations/" + room + "/state?asOf=" + asOf, alice, reason());
    assertThat(accessRecordsOf(room)).isEqualTo(before + 1);

    // A 404 passed validation and told the reader something: recorded, with no events applied.
    String unknown = UUID.randomUUID().toString();
    assertThat(
            get("/api/v1/audit/conversations/" + unknown + "/state?asOf=" + asOf, officer, reason())
                .status())
        .isEqualTo(404);
    assertThat(accessRecordsOf(unknown)).isEqualTo(1);
    assertThat(latestAccessRecordOf(unknown)).contains("\"eventsReturned\":0");
  }

  @Test
  void badInput_isA400ProblemNamingTheField_unknownIsA404_andOtherRolesGet403() {
    String room = start(alice, "guarded " + run, "bob-" + run);
    Instant started = stamp(room, "ConversationStartedEvent");
    String now = started.toString();
    String path = "/api/v1/audit/conversations/" + room + "/state";

    Response noReason = get(path + "?asOf=" + now, officer, Map.of());
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.header("Content-Type")).startsWith("application/problem+json");
    assertThat(noReason.body()).contains("X-Audit-Reason");
    assertThat(get(path + "?asOf=" + now, officer, Map.of("X-Audit-Reason", " ")).status())
        .isEqualTo(400);
    assertThat(
            get(path + "?asOf=" + now, officer, Map.of("X-Audit-Reason", "r".repeat(501))).status())
        .isEqualTo(400);

    for (String asOf : List.of("yesterday", "2026-12-01", "2026-12-01T09:00:00", "")) {
      Response bad = get(path + "?asOf=" + encode(asOf), officer, reason());
      assertThat(bad.status()).as(asOf).isEqualTo(400);
      assertThat(bad.json().toString()).as(asOf).contains("asOf");
    }
    Response missing = get(path, officer, reason());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().toString()).contains("asOf");
    // After the latest event: the state so far (nodes' clocks differ; see the controller).
    Response future = get(path + "?asOf=" + farFuture(), officer, reason());
    assertThat(future.status()).as(future.body()).isEqualTo(200);
    assertThat(future.json().get("title").asText()).isEqualTo("guarded " + run);
    // An offset instead of Z, its + escaped in the URL.
    String withOffsetAsOf = started.atOffset(ZoneOffset.ofHours(2)).toString();
    Response withOffset = get(path + "?asOf=" + encode(withOffsetAsOf), officer, reason());
    assertThat(withOffset.status()).as(withOffsetAsOf + " " + withOffset.body()).isEqualTo(200);
    // The same instant with its + not escaped arrives as a space: malformed.
    assertThat(get(path + "?asOf=" + withOffsetAsOf, officer, reason()).status()).isEqualTo(400);

    Response malformed =
        get("/api/v1/audit/conversations/not-a-uuid/state?asOf=" + now, officer, reason());
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().toString()).contains("conversationId");
    Response unknown =
        get(
            "/api/v1/audit/conversations/" + UUID.randomUUID() + "/state?asOf=" + now,
            officer,
            reason());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    // A flag's id is an aggregate, but not a conversation.
    String flagOnly =
        FlagRaisedAutomaticallyEvent.flagIdFor(
                UUID.fromString(send(bob, room, BORDERLINE).json().get("messageId").asText()))
            .toString();
    assertThat(
            get(
                    "/api/v1/audit/conversations/" + flagOnly + "/state?asOf=" + farFuture(),
                    officer,
                    reason())
                .status())
        .isEqualTo(404);

    assertThat(get(path + "?asOf=" + now, alice, reason()).status()).isEqualTo(403);
    assertThat(get(path + "?asOf=" + now, moderator, reason()).status()).isEqualTo(403);
    assertThat(get(path + "?asOf=" + now, null, reason()).status()).isEqualTo(401);
  }

  // --- helpers ---

  private Response state(String room, Instant asOf) {
    return get("/api/v1/audit/conversations/" + room + "/state?asOf=" + asOf, officer, reason());
  }

  private static JsonNode ok(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private Response get(String path, String token, Map<String, String> headers) {
    return api.get(path, token, headers);
  }

  private static Map<String, String> reason() {
    return Map.of("X-Audit-Reason", REASON);
  }

  private Response post(String path, String token, Object body) {
    return api.postJson(path, token, body);
  }

  private String start(String owner, String title, String... participants) {
    Response started =
        api.postJson(
            "/api/v1/conversations",
            owner,
            Map.of("title", title, "participants", List.of(participants)));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().get("conversationId").asText();
  }

  private Response send(String token, String room, String text) {
    Response sent =
        api.postJson("/api/v1/conversations/" + room + "/messages", token, Map.of("text", text));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    return sent;
  }

  /** The stored timestamp of the aggregate's first event of that type. */
  private Instant stamp(String aggregateId, String eventType) {
    return Instant.parse(
        jdbc.queryForObject(
            "select time_stamp from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type like ? order by sequence_number limit 1",
            String.class,
            aggregateId,
            "%." + eventType));
  }

  private int accessRecordsOf(String room) {
    return jdbc.queryForObject(
        "select count(*) from domain_event_entry"
            + " where payload_type = 'io.parley.api.audit.AuditAccessedEvent'"
            + " and convert_from(payload, 'UTF8') like ?",
        Integer.class,
        "%" + room + "%");
  }

  private String latestAccessRecordOf(String room) {
    return jdbc.queryForObject(
        "select convert_from(payload, 'UTF8') from domain_event_entry"
            + " where payload_type = 'io.parley.api.audit.AuditAccessedEvent'"
            + " and convert_from(payload, 'UTF8') like ? order by global_index desc limit 1",
        String.class,
        "%" + room + "%");
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  private static List<String> ids(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.get(field).asText()));
    return values;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Instant farFuture() {
    return Instant.now().plusSeconds(3600);
  }
}
