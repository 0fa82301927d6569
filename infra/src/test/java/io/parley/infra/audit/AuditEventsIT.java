package io.parley.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.query.audit.AuditSubjectIndexProjection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** GET /api/v1/audit/events end to end: real HTTP, real PostgreSQL, the whole application. */
class AuditEventsIT extends ParleyIntegrationTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String EVENTS = "/api/v1/audit/events";

  @Autowired JdbcTemplate jdbc;
  @Autowired MeterRegistry meters;

  String run;
  String alice;
  String bob;
  String aliceToken;
  String bobToken;
  String officer;
  String officerToken;

  @BeforeEach
  void people() {
    run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
    officer = "officer-" + run;
    aliceToken = api.token(alice, "USER");
    bobToken = api.token(bob, "USER");
    officerToken = api.token(officer, "COMPLIANCE");
  }

  @Test
  void aggregateReplay_isOrderedDecryptedAndComplete() {
    String title = "TITLE-" + run;
    String conversation = startConversation(aliceToken, title, bob);
    send(aliceToken, conversation, "A1-" + run);
    send(bobToken, conversation, "B1-" + run);
    send(aliceToken, conversation, "A2-" + run);

    List<JsonNode> events = read(Map.of("aggregateId", conversation));

    assertThat(events)
        .extracting(e -> e.get("type").asText())
        .containsExactly(
            "ConversationStartedEvent", "MessageSentEvent", "MessageSentEvent", "MessageSentEvent");
    assertThat(events).extracting(e -> e.get("sequence").asLong()).containsExactly(0L, 1L, 2L, 3L);
    assertIncreasingGlobalIndex(events);
    JsonNode started = events.get(0);
    assertThat(started.get("aggregateType").asText()).isEqualTo("ConversationAggregate");
    assertThat(started.get("aggregateId").asText()).isEqualTo(conversation);
    assertThat(started.get("eventId").asText()).isNotBlank();
    assertThat(Instant.parse(started.get("timestamp").asText())).isBefore(Instant.now());
    assertThat(started.at("/metadata/actor").asText()).isEqualTo(alice);
    assertThat(started.at("/metadata/correlationId").asText()).isNotBlank();
    assertThat(started.at("/payload/title").asText()).isEqualTo(title);
    assertThat(events.subList(1, 4))
        .extracting(e -> e.at("/payload/text").asText())
        .containsExactly("A1-" + run, "B1-" + run, "A2-" + run);
    assertThat(events.get(2).at("/metadata/actor").asText()).isEqualTo(bob);
  }

  @Test
  void filters_typeSubjectAndTime_selectExactlyTheirEvents() {
    String conversation = startConversation(aliceToken, "T-" + run, bob);
    send(aliceToken, conversation, "A1-" + run);
    send(bobToken, conversation, "B1-" + run);
    send(aliceToken, conversation, "A2-" + run);
    List<JsonNode> all = read(Map.of("aggregateId", conversation));

    List<JsonNode> messages = read(Map.of("aggregateId", conversation, "type", "MessageSentEvent"));
    assertThat(messages)
        .extracting(e -> e.get("globalIndex").asLong())
        .containsExactlyElementsOf(indexes(all.subList(1, 4)));

    // The index is a projection: eventually consistent.
    awaitCaughtUp(AuditSubjectIndexProjection.PROCESSING_GROUP);
    assertThat(read(Map.of("subjectId", bob)))
        .extracting(e -> e.at("/payload/text").asText())
        .containsExactly("B1-" + run);
    assertThat(read(Map.of("subjectId", alice, "type", "MessageSentEvent")))
        .extracting(e -> e.at("/payload/text").asText())
        .containsExactly("A1-" + run, "A2-" + run);
    assertThat(read(Map.of("subjectId", "nobody-" + run))).isEmpty();

    // from is inclusive, to exclusive.
    String second = all.get(1).get("timestamp").asText();
    String last = all.get(3).get("timestamp").asText();
    List<JsonNode> window = read(Map.of("aggregateId", conversation, "from", second, "to", last));
    assertThat(window).isNotEmpty();
    assertThat(window)
        .allSatisfy(
            e -> {
              Instant at = Instant.parse(e.get("timestamp").asText());
              assertThat(at).isAfterOrEqualTo(Instant.parse(second)).isBefore(Instant.parse(last));
            });
    assertThat(window.get(0).get("globalIndex").asLong())
        .isEqualTo(all.get(1).get("globalIndex").asLong());
    assertThat(
            read(Map.of("aggregateId", conversation, "to", all.get(0).get("timestamp").asText())))
        .isEmpty();

    assertThat(read(Map.of("aggregateId", UUID.randomUUID().toString()))).isEmpty();
  }

  @Test
  void afterAndLimit_pageThroughTheStreamWithoutGapsOrRepeats() {
    String conversation = startConversation(aliceToken, "P-" + run, bob);
    for (int i = 0; i < 5; i++) {
      send(aliceToken, conversation, "M" + i + "-" + run);
    }
    List<JsonNode> all = read(Map.of("aggregateId", conversation));
    assertThat(all).hasSize(6);

    List<Long> paged = new ArrayList<>();
    long after = 0;
    while (true) {
      List<JsonNode> page =
          read(Map.of("aggregateId", conversation, "after", Long.toString(after), "limit", "4"));
      assertThat(page.size()).isLessThanOrEqualTo(4);
      if (page.isEmpty()) {
        break;
      }
      paged.addAll(indexes(page));
      after = page.get(page.size() - 1).get("globalIndex").asLong();
    }
    assertThat(paged).containsExactlyElementsOf(indexes(all));

    // The default limit is 1,000 and the whole store is read oldest first.
    List<JsonNode> head = read(Map.of());
    assertThat(head).hasSizeLessThanOrEqualTo(1_000);
    assertIncreasingGlobalIndex(head);
    assertThat(head.get(0).get("globalIndex").asLong())
        .isEqualTo(
            jdbc.queryForObject("select min(global_index) from domain_event_entry", Long.class));
  }

  @Test
  void erasedSubjectsFields_readAsErased_othersStayReadable() {
    String eve = "eve-" + run;
    String eveToken = api.token(eve, "USER");
    String conversation = startConversation(bobToken, "BOB-ROOM-" + run, eve);
    send(eveToken, conversation, "EVE-SAYS-" + run);
    send(bobToken, conversation, "BOB-SAYS-" + run);
    assertThat(read(Map.of("aggregateId", conversation)))
        .extracting(e -> e.at("/payload/text").asText())
        .contains("EVE-SAYS-" + run);
    awaitSagaProcessorReady(jdbc);

    Response erasure =
        api.postJson(
            "/api/v1/compliance/subjects/" + eve + "/erasure",
            officerToken,
            Map.of("immediate", true, "reason", "test " + run));
    assertThat(erasure.status()).as(erasure.body()).isEqualTo(202);
    eventually(() -> data_keysOf(eve), keys -> keys == 0);

    List<JsonNode> after = read(Map.of("aggregateId", conversation));
    JsonNode eves = after.get(1);
    assertThat(eves.at("/payload/senderId").asText()).isEqualTo(eve);
    assertThat(eves.at("/payload/text").asText()).isEqualTo("[erased]");
    assertThat(after.get(2).at("/payload/text").asText()).isEqualTo("BOB-SAYS-" + run);
    assertThat(after.get(0).at("/payload/title").asText()).isEqualTo("BOB-ROOM-" + run);
    assertThat(after.toString()).doesNotContain("EVE-SAYS-");
  }

  @Test
  void everyRead_isRecorded_andAppearsInLaterReads() {
    String conversation = startConversation(aliceToken, "R-" + run, bob);
    send(aliceToken, conversation, "x");
    long before = head();
    String reason = "case " + run + " ticket 17";

    Response first = get(Map.of("aggregateId", conversation, "limit", "5"), officerToken, reason);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("Content-Type")).startsWith("application/x-ndjson");
    assertThat(lines(first.body())).hasSize(2);

    List<JsonNode> accesses =
        read(Map.of("type", "AuditAccessedEvent", "after", Long.toString(before)));
    JsonNode mine =
        accesses.stream()
            .filter(e -> reason.equals(e.at("/payload/reason").asText()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no record of the read in " + accesses));
    assertThat(mine.at("/payload/readerId").asText()).isEqualTo(officer);
    assertThat(mine.at("/payload/endpoint").asText()).isEqualTo("events");
    assertThat(mine.at("/payload/eventsReturned").asLong()).isEqualTo(2);
    assertThat(mine.at("/payload/filters/aggregateId").asText()).isEqualTo(conversation);
    assertThat(mine.at("/payload/filters/limit").asText()).isEqualTo("5");
    assertThat(mine.at("/payload/filters").size()).isEqualTo(2);
    assertThat(mine.get("aggregateType").isNull()).isTrue();

    awaitCaughtUp(AuditSubjectIndexProjection.PROCESSING_GROUP);
    assertThat(read(Map.of("subjectId", officer, "type", "AuditAccessedEvent")))
        .extracting(e -> e.at("/payload/reason").asText())
        .contains(reason);
  }

  @Test
  void onlyComplianceMayRead_andInvalidInputIsA400NamingTheParameter_recordingNothing() {
    double forbidden = reads("USER", "forbidden");
    double unauthenticated = reads("none", "unauthenticated");
    assertThat(get(Map.of(), aliceToken, "curious").status()).isEqualTo(403);
    assertThat(get(Map.of(), null, "curious").status()).isEqualTo(401);
    // Refused attempts are counted by the caller's role, nothing recorded as read.
    assertThat(reads("USER", "forbidden")).isEqualTo(forbidden + 1);
    assertThat(reads("none", "unauthenticated")).isEqualTo(unauthenticated + 1);

    long recorded = accessesRecorded();
    double rejected = reads("rejected");
    double ok = reads("ok");
    assertBadRequest(Map.of(), null, "X-Audit-Reason");
    assertBadRequest(Map.of(), "", "X-Audit-Reason");
    assertBadRequest(Map.of(), "x".repeat(501), "X-Audit-Reason");
    assertBadRequest(Map.of("type", "NoSuchEvent"), "r", "type");
    assertBadRequest(Map.of("type", "String"), "r", "type");
    assertBadRequest(Map.of("from", "yesterday"), "r", "from");
    assertBadRequest(Map.of("to", "2026-13-01T00:00:00Z"), "r", "to");
    assertBadRequest(
        Map.of("from", "2026-12-02T00:00:00Z", "to", "2026-12-01T00:00:00Z"), "r", "from");
    assertBadRequest(Map.of("limit", "0"), "r", "limit");
    assertBadRequest(Map.of("limit", "10001"), "r", "limit");
    assertBadRequest(Map.of("limit", "ten"), "r", "limit");
    assertBadRequest(Map.of("limit", "99999999999999999999999"), "r", "limit");
    assertBadRequest(Map.of("after", "-1"), "r", "after");
    assertBadRequest(Map.of("after", "1.5"), "r", "after");
    assertBadRequest(Map.of("aggregateId", "not an id!"), "r", "aggregateId");
    assertBadRequest(Map.of("aggregateId", "x".repeat(65)), "r", "aggregateId");
    assertBadRequest(Map.of("subjectId", "a/b"), "r", "subjectId");
    assertThat(
            get(Map.of("limit", "10000", "after", "9223372036854775807"), officerToken, "r")
                .status())
        .isEqualTo(200);

    // Only the last (valid) read was recorded.
    eventually(this::accessesRecorded, n -> n >= recorded + 1);
    assertThat(accessesRecorded()).isEqualTo(recorded + 1);
    assertThat(reads("rejected")).isEqualTo(rejected + 17);
    assertThat(reads("ok")).isEqualTo(ok + 1);
  }

  @Test
  void clientLeavingMidStream_endsTheReadTransaction() throws IOException {
    // A stream longer than the socket buffers: 10,000 copies of a stored AuditAccessedEvent (an
    // event only the audit subject index handles, so the copies burden no other projection).
    read(Map.of("limit", "1"));
    long before = head();
    jdbc.update(
        "insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number,"
            + " type, time_stamp, payload_type, payload_revision, payload, meta_data)"
            + " select gen_random_uuid()::text, gen_random_uuid()::text, 0, e.type,"
            + " e.time_stamp, e.payload_type, e.payload_revision, e.payload, e.meta_data"
            + " from (select * from domain_event_entry"
            + "       where payload_type = 'io.parley.api.audit.AuditAccessedEvent'"
            + "       order by global_index desc limit 1) e, generate_series(1, 10000)");

    String query = "?after=" + before + "&limit=10000";
    double aborted = reads("aborted");
    try (Socket socket = new Socket()) {
      // A small window: the server blocks on its writes instead of filling our buffers.
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("localhost", port));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + EVENTS
                  + query
                  + " HTTP/1.1\r\nHost: localhost\r\n"
                  + "Authorization: Bearer "
                  + officerToken
                  + "\r\n"
                  + "X-Audit-Reason: disconnect test\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith("HTTP/1.1 200");
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.contains("\"globalIndex\""));
      assertThat(line).as("a first event").isNotNull();

      // The read is under way: its transaction is open, waiting on us.
      assertThat(openReadTransactions()).isEqualTo(1);
    }

    eventually(this::openReadTransactions, open -> open == 0);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from pg_stat_activity where datname = current_database()"
                    + " and state like 'idle in transaction%' and query like ?",
                Integer.class, READ_QUERY))
        .isZero();
    // What the client was given before it left is still recorded, as an aborted read.
    eventually(() -> reads("aborted"), n -> n == aborted + 1);
  }

  double reads(String outcome) {
    return reads("COMPLIANCE", outcome);
  }

  double reads(String role, String outcome) {
    Counter counter =
        meters
            .find("parley.audit.reads")
            .tag("endpoint", "events")
            .tag("role", role)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  static final String READ_QUERY = "select e.global_index, e.event_identifier%";

  /** Sessions of this database in a transaction whose last statement is the replay's cursor. */
  int openReadTransactions() {
    return jdbc.queryForObject(
        "select count(*) from pg_stat_activity where datname = current_database()"
            + " and xact_start is not null and query like ?",
        Integer.class,
        READ_QUERY);
  }

  void assertBadRequest(Map<String, String> params, String reason, String field) {
    Response response = get(params, officerToken, reason);
    assertThat(response.status()).as(params + " " + response.body()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().get("errors").findValuesAsText("field")).contains(field);
  }

  long accessesRecorded() {
    return jdbc.queryForObject(
        "select count(*) from domain_event_entry"
            + " where payload_type = 'io.parley.api.audit.AuditAccessedEvent'",
        Long.class);
  }

  long head() {
    return jdbc.queryForObject(
        "select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
  }

  int data_keysOf(String subject) {
    return jdbc.queryForObject(
        "select count(*) from data_key where subject_id = ?", Integer.class, subject);
  }

  /** A read by the officer that must succeed: its events. */
  List<JsonNode> read(Map<String, String> params) {
    Response response = get(params, officerToken, "audit test " + run);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return lines(response.body());
  }

  Response get(Map<String, String> params, String token, String reason) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (reason != null) {
      headers.put("X-Audit-Reason", reason);
    }
    String query =
        params.entrySet().stream()
            .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return api.get(EVENTS + (query.isEmpty() ? "" : "?" + query), token, headers);
  }

  static List<JsonNode> lines(String body) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isEmpty()) {
        try {
          events.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("Not a JSON line: " + line, e);
        }
      }
    }
    return events;
  }

  static List<Long> indexes(List<JsonNode> events) {
    return events.stream().map(e -> e.get("globalIndex").asLong()).toList();
  }

  static void assertIncreasingGlobalIndex(List<JsonNode> events) {
    List<Long> indexes = indexes(events);
    assertThat(indexes).isSorted().doesNotHaveDuplicates();
  }

  String startConversation(String token, String title, String... participants) {
    Response started =
        api.postJson(
            "/api/v1/conversations",
            token,
            Map.of("title", title, "participants", List.of(participants)));
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().get("conversationId").asText();
  }

  void send(String token, String conversationId, String text) {
    Response sent =
        api.postJson(
            "/api/v1/conversations/" + conversationId + "/messages", token, Map.of("text", text));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
  }
}
