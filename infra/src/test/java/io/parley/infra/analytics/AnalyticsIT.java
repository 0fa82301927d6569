package io.parley.infra.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.infra.axon.ProcessorLag;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.query.analytics.AnalyticsProjection;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The analytics tables end to end (API.md "Analytics tables", docs/analytics.md): people grant and
 * withdraw ANALYTICS through the consent API, send, flag and resolve over HTTP; the tables count
 * exactly the activity of those who had granted it at the time, and hold none of their ids or
 * words. The role {@code parley_analytics} reads them and nothing else. The lag gauge moves.
 */
class AnalyticsIT extends ParleyIntegrationTest {

  static final String ANALYTICS = AnalyticsProjection.PROCESSING_GROUP;

  /** Scores at or above the default block threshold (0.8) with the built-in scorer. */
  static final String SEVERE = "I will kill you, you worthless piece of shit";

  /** Scores in the default warn band (0.6 ≤ score < 0.8) with the built-in scorer. */
  static final String BORDERLINE = "you are an idiot";

  @Autowired JdbcTemplate jdbc;
  @Autowired MeterRegistry meters;

  @Test
  void tablesCountTheActivityOfConsentingUsersOnly_andHoldNoIdsOrWords() {
    // Not hex: a unique string no UUID in the tables can contain by chance.
    String marker = "zq" + UUID.randomUUID().toString().substring(0, 8);
    String aliceId = "alice-" + marker;
    String bobId = "bob-" + marker;
    String carolId = "carol-" + marker;
    String alice = api.token(aliceId, "USER");
    String bob = api.token(bobId, "USER");
    String carol = api.token(carolId, "USER");
    String moderator = api.token("mod-" + marker, "USER", "MODERATOR");
    String room =
        api.postJson(
                "/api/v1/conversations",
                alice,
                Map.of("title", "title " + marker, "participants", List.of(bobId, carolId)))
            .json()
            .get("conversationId")
            .asText();
    // What earlier tests left (in a store with at least one event: this conversation's).
    awaitCaughtUp(ANALYTICS);
    Map<String, Long> flagsBefore = flagsBySourceAndOutcome();
    assertThat(consent(alice, true).status()).isEqualTo(204);
    assertThat(consent(carol, true).status()).isEqualTo(204);

    // alice (consents): two allowed, one warned (an automatic flag), one blocked.
    send(room, alice, "hello " + marker, "ALLOWED");
    send(room, alice, "again " + marker, "ALLOWED");
    String alicesWarned = send(room, alice, BORDERLINE, "WARNED");
    send(room, alice, SEVERE, "BLOCKED");
    // bob (never consents): nothing of his counts, his automatic flag neither.
    String bobsMessage = send(room, bob, "bob here " + marker, "ALLOWED");
    String bobsWarned = send(room, bob, BORDERLINE, "WARNED");
    // carol (consents): one message, one flag on bob's message (hers: counted).
    send(room, carol, "carol here " + marker, "ALLOWED");
    String carolsFlag = flag(carol, bobsMessage, marker);

    // Resolutions: carol's flag dismissed, the automatic flag on alice's message upheld.
    resolve(moderator, carolsFlag, "DISMISSED");
    resolve(moderator, autoFlagOn(alicesWarned), "UPHELD");

    // carol withdraws: what she does next is not counted.
    assertThat(consent(carol, false).status()).isEqualTo(204);
    send(room, carol, "after withdrawal " + marker, "ALLOWED");
    flag(carol, bobsWarned, marker);

    awaitCaughtUp(ANALYTICS);
    Map<String, Object> conversation =
        jdbc.queryForMap(
            "select coalesce(sum(messages_sent), 0) as sent,"
                + " coalesce(sum(messages_warned), 0) as warned,"
                + " coalesce(sum(messages_blocked), 0) as blocked"
                + " from analytics.conversation_daily where conversation_id = ?::uuid",
            room);
    assertThat(conversation)
        .containsEntry("sent", 4L) // alice 3 (allowed and warned), carol 1
        .containsEntry("warned", 1L)
        .containsEntry("blocked", 1L);

    Map<String, Long> flagsAfter = flagsBySourceAndOutcome();
    Map<String, Long> added = new HashMap<>();
    flagsAfter.forEach(
        (group, count) -> {
          long delta = count - flagsBefore.getOrDefault(group, 0L);
          if (delta != 0) {
            added.put(group, delta);
          }
        });
    // Only carol's flag (dismissed) and alice's automatic one (upheld); bob's automatic flag and
    // carol's flag after her withdrawal are not there, not even as UNRESOLVED.
    assertThat(added).containsOnly(Map.entry("USER/DISMISSED", 1L), Map.entry("AUTO/UPHELD", 1L));
    BigDecimal median =
        jdbc.queryForObject(
            "select max(median_resolution_seconds) from analytics.moderation_daily"
                + " where source = 'USER' and outcome = 'DISMISSED'",
            BigDecimal.class);
    assertThat(median).isNotNull().isPositive();

    // No user id, title, text, reason or note anywhere in the schema.
    List<String> tables =
        jdbc.queryForList(
            "select table_name from information_schema.tables where table_schema = 'analytics'",
            String.class);
    assertThat(tables).contains("conversation_daily", "moderation_daily", "card_daily");
    for (String table : tables) {
      List<String> rows =
          jdbc.queryForList("select t::text from analytics." + table + " t", String.class);
      assertThat(String.join("\n", rows))
          .as(table)
          .doesNotContain(marker)
          .doesNotContain(BORDERLINE)
          .doesNotContain(SEVERE);
    }
  }

  @Test
  void aReadyCardOverHttp_countsInCardDaily_onlyWhenEveryContributorGrantedAnalytics() {
    awaitProcessorClaimed(jdbc, "CardGenerationSagaProcessor");
    String marker = "zq" + UUID.randomUUID().toString().substring(0, 8);
    String fayId = "fay-" + marker;
    String gusId = "gus-" + marker;
    String hal = "hal-" + marker;
    String fay = api.token(fayId, "USER");
    String gus = api.token(gusId, "USER");
    String halToken = api.token(hal, "USER");
    // All three let cards be made of their messages; fay and gus also grant ANALYTICS, hal not.
    for (String token : List.of(fay, gus, halToken)) {
      assertThat(grant(token, "CARD_GENERATION").status()).isEqualTo(204);
    }
    assertThat(consent(fay, true).status()).isEqualTo(204);
    assertThat(consent(gus, true).status()).isEqualTo(204);

    String counted = room(fay, gusId);
    send(counted, fay, "What a wonderful day at the lake, I loved every minute!", "ALLOWED");
    send(counted, gus, "Best trip ever. The sunset was amazing and the food great.", "ALLOWED");
    String notCounted = room(fay, hal);
    send(notCounted, fay, "The concert was incredible, what a night!", "ALLOWED");
    send(notCounted, halToken, "Absolutely. Great music and a great crowd.", "ALLOWED");

    awaitCaughtUp(ANALYTICS);
    Map<String, Long> before = cardsByDayAndRarity();
    JsonNode countedCard = readyCard(fay, counted, 2);
    JsonNode otherCard = readyCard(fay, notCounted, 2);
    awaitCaughtUp(ANALYTICS);

    // fay's and gus's card counts on the UTC day it was made, under its rarity; fay's and hal's
    // does not (hal never granted ANALYTICS), not even under another rarity.
    String countedKey = dayAndRarity(countedCard);
    Map<String, Long> added = new HashMap<>();
    cardsByDayAndRarity()
        .forEach(
            (key, cards) -> {
              long delta = cards - before.getOrDefault(key, 0L);
              if (delta != 0) {
                added.put(key, delta);
              }
            });
    assertThat(added).containsOnly(Map.entry(countedKey, 1L));
    assertThat(countedIn(countedCard)).isEqualTo(1);
    assertThat(countedIn(otherCard)).isZero();

    // No user id, title or caption in the schema or in the ledger.
    List<String> rows =
        jdbc.queryForList(
            "select t::text from analytics.card_daily t"
                + " union all select c::text from analytics_counted_card c",
            String.class);
    for (JsonNode card : List.of(countedCard, otherCard)) {
      assertThat(String.join("\n", rows))
          .doesNotContain(marker)
          .doesNotContain(card.get("title").asText())
          .doesNotContain(card.get("caption").asText());
    }
  }

  /** A conversation of the owner with these participants; its id. */
  String room(String ownerToken, String... participants) {
    return api.postJson(
            "/api/v1/conversations",
            ownerToken,
            Map.of("title", "cards", "participants", List.of(participants)))
        .json()
        .get("conversationId")
        .asText();
  }

  /** Requests a card once the timeline has the messages, and waits until it is READY. */
  JsonNode readyCard(String token, String room, int messages) {
    eventually(
        () -> api.get("/api/v1/conversations/" + room + "/messages", token),
        r -> r.status() == 200 && r.json().get("items").size() == messages);
    Response requested =
        api.send("POST", "/api/v1/conversations/" + room + "/cards", token, null, null, Map.of());
    assertThat(requested.status()).as(requested.body()).isEqualTo(202);
    String cardId = requested.json().get("cardId").asText();
    return eventually(
            () -> api.get("/api/v1/cards/" + cardId, token),
            r -> r.status() == 200 && r.json().get("status").asText().equals("READY"))
        .json();
  }

  /** "day/rarity" of a card as the API shows it: the UTC day of its generatedAt. */
  static String dayAndRarity(JsonNode card) {
    LocalDate day =
        LocalDate.ofInstant(Instant.parse(card.get("generatedAt").asText()), ZoneOffset.UTC);
    return day + "/" + card.get("rarity").asText();
  }

  Map<String, Long> cardsByDayAndRarity() {
    Map<String, Long> cards = new HashMap<>();
    jdbc.query(
        "select day, rarity, cards from analytics.card_daily",
        row -> {
          cards.put(row.getDate(1).toLocalDate() + "/" + row.getString(2), row.getLong(3));
        });
    return cards;
  }

  int countedIn(JsonNode card) {
    return jdbc.queryForObject(
        "select count(*) from analytics_counted_card where card_id = ?::uuid",
        Integer.class,
        card.get("cardId").asText());
  }

  Response grant(String token, String purpose) {
    return api.putJson(
        "/api/v1/me/consents/" + purpose, token, Map.of("granted", true, "policyVersion", "v1"));
  }

  /** Every table the projection writes, its working tables included, in a stable order. */
  static final Map<String, String> TABLES =
      Map.of(
          "analytics.conversation_daily",
          "select * from analytics.conversation_daily order by day, conversation_id",
          "analytics.moderation_daily",
          "select * from analytics.moderation_daily order by day, source, outcome",
          "analytics.card_daily",
          "select * from analytics.card_daily order by day, rarity",
          "analytics_consent",
          "select * from analytics_consent order by subject_id",
          "analytics_counted_message",
          "select * from analytics_counted_message order by message_id",
          "analytics_counted_flag",
          "select * from analytics_counted_flag order by flag_id",
          "analytics_counted_card",
          "select * from analytics_counted_card order by card_id");

  @Test
  void resetAndReplayByTheProcessor_rebuildsIdenticalTables() {
    String marker = "zq" + UUID.randomUUID().toString().substring(0, 8);
    String dana = api.token("dana-" + marker, "USER");
    String eve = api.token("eve-" + marker, "USER");
    String moderator = api.token("mod-" + marker, "USER", "MODERATOR");
    String room =
        api.postJson(
                "/api/v1/conversations",
                dana,
                Map.of("title", "replay", "participants", List.of("eve-" + marker)))
            .json()
            .get("conversationId")
            .asText();
    assertThat(consent(dana, true).status()).isEqualTo(204);
    assertThat(consent(eve, true).status()).isEqualTo(204);
    for (int i = 0; i < 5; i++) {
      send(room, dana, "replayed " + i, "ALLOWED");
    }
    send(room, dana, BORDERLINE, "WARNED");
    send(room, dana, SEVERE, "BLOCKED");
    String evesMessage = send(room, eve, "eve's", "ALLOWED");
    resolve(moderator, flag(dana, evesMessage, marker), "UPHELD");
    flag(eve, send(room, dana, "flag me", "ALLOWED"), marker); // left unresolved
    assertThat(consent(eve, false).status()).isEqualTo(204);
    send(room, eve, "not counted", "ALLOWED");
    awaitCaughtUp(ANALYTICS);
    Map<String, List<Map<String, Object>>> before = snapshot();
    assertThat(before.get("analytics.conversation_daily")).isNotEmpty();
    assertThat(before.get("analytics.moderation_daily")).isNotEmpty();
    assertThat(before.get("analytics_counted_message")).hasSizeGreaterThanOrEqualTo(8);

    StreamingEventProcessor processor = processor(ANALYTICS);
    processor.shutDown();
    processor.resetTokens();
    processor.start();
    awaitCaughtUp(ANALYTICS);
    eventually(() -> !processor(ANALYTICS).isReplaying(), done -> done);

    Map<String, List<Map<String, Object>>> after = snapshot();
    before.forEach((table, rows) -> assertThat(after.get(table)).as(table).isEqualTo(rows));
  }

  Map<String, List<Map<String, Object>>> snapshot() {
    Map<String, List<Map<String, Object>>> tables = new TreeMap<>();
    TABLES.forEach((table, query) -> tables.put(table, jdbc.queryForList(query)));
    return tables;
  }

  @Test
  void theAnalyticsRole_readsTheAnalyticsSchema_andNothingElse() throws SQLException {
    assertThat(
            jdbc.queryForObject(
                "select rolcanlogin from pg_roles where rolname = 'parley_analytics'",
                Boolean.class))
        .isFalse();
    String analyst = "analyst_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String password = UUID.randomUUID().toString();
    String url =
        withoutCredentials(
            jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getURL()));
    jdbc.execute(
        "create role " + analyst + " login password '" + password + "' in role parley_analytics");
    try (Connection connection = DriverManager.getConnection(url, analyst, password);
        Statement statement = connection.createStatement()) {
      try (ResultSet user = statement.executeQuery("select current_user")) {
        user.next();
        assertThat(user.getString(1)).isEqualTo(analyst);
      }
      for (String table : List.of("conversation_daily", "moderation_daily", "card_daily")) {
        statement.executeQuery("select * from analytics." + table).close();
      }
      List<String> publicTables =
          jdbc.queryForList(
              "select tablename from pg_tables where schemaname = 'public'", String.class);
      assertThat(publicTables)
          .contains(
              "domain_event_entry",
              "analytics_consent",
              "analytics_counted_message",
              "analytics_counted_flag",
              "analytics_counted_card",
              "consent");
      for (String table : publicTables) {
        assertThatThrownBy(() -> statement.executeQuery("select * from public." + table).close())
            .as(table)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      }
      // Read only.
      assertThatThrownBy(
              () ->
                  statement.executeUpdate(
                      "insert into analytics.card_daily values (current_date, 'COMMON', 1)"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      assertThatThrownBy(() -> statement.executeUpdate("delete from analytics.conversation_daily"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    } finally {
      jdbc.execute("drop role " + analyst);
    }
  }

  @Test
  void lagGauge_growsWhileTheProcessorStands_andReturnsToZero() {
    String marker = "zq" + UUID.randomUUID().toString().substring(0, 8);
    String alice = api.token("lag-" + marker, "USER");
    String room =
        api.postJson("/api/v1/conversations", alice, Map.of("title", "lag"))
            .json()
            .get("conversationId")
            .asText();
    awaitCaughtUp(ANALYTICS);
    eventually(this::lag, lag -> lag == 0);

    processor(ANALYTICS).shutDown();
    try {
      for (int i = 0; i < 3; i++) {
        send(room, alice, "lag " + i, "ALLOWED");
      }
      // Three messages stored, none handled.
      assertThat(lag()).isGreaterThanOrEqualTo(3);
      Response scrape = api.get("/actuator/prometheus", api.token("ops", "OPS"));
      assertThat(scrape.body()).contains("parley_processor_lag_events{processor=\"analytics\"}");
      // Axon's time-based complement, documented beside it (docs/analytics.md).
      assertThat(scrape.body().lines())
          .anyMatch(
              line ->
                  line.startsWith("eventProcessor_latency")
                      && line.contains("processorName=\"analytics\""));
    } finally {
      processor(ANALYTICS).start();
    }
    eventually(this::lag, lag -> lag == 0);
  }

  /**
   * The URL without a user or password parameter: the in-process server's URL names its superuser
   * ({@code ?user=postgres}), which the driver would prefer over the user it is given.
   */
  static String withoutCredentials(String url) {
    int query = url.indexOf('?');
    if (query < 0) {
      return url;
    }
    String kept =
        Arrays.stream(url.substring(query + 1).split("&"))
            .filter(p -> !p.startsWith("user=") && !p.startsWith("password="))
            .collect(Collectors.joining("&"));
    return url.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
  }

  double lag() {
    return meters.get(ProcessorLag.METER).tag("processor", ANALYTICS).gauge().value();
  }

  Map<String, Long> flagsBySourceAndOutcome() {
    Map<String, Long> flags = new HashMap<>();
    jdbc.query(
        "select source, outcome, sum(flags) from analytics.moderation_daily group by 1, 2",
        row -> {
          flags.put(row.getString(1) + "/" + row.getString(2), row.getLong(3));
        });
    return flags;
  }

  Response consent(String token, boolean granted) {
    return api.putJson(
        "/api/v1/me/consents/ANALYTICS", token, Map.of("granted", granted, "policyVersion", "v1"));
  }

  /** Sends and checks the verdict; the message id. */
  String send(String room, String token, String text, String verdict) {
    Response sent =
        api.postJson("/api/v1/conversations/" + room + "/messages", token, Map.of("text", text));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    assertThat(sent.json().get("verdict").asText()).isEqualTo(verdict);
    return sent.json().get("messageId").asText();
  }

  /** Flags once the message can be flagged (the read model has it); the flag id. */
  String flag(String token, String messageId, String marker) {
    Response flagged =
        eventually(
            () ->
                api.postJson(
                    "/api/v1/messages/" + messageId + "/flags",
                    token,
                    Map.of("reason", "reason " + marker, "note", "note " + marker)),
            response -> response.status() != 404);
    assertThat(flagged.status()).as(flagged.body()).isEqualTo(201);
    return flagged.json().get("flagId").asText();
  }

  static String autoFlagOn(String messageId) {
    return FlagRaisedAutomaticallyEvent.flagIdFor(UUID.fromString(messageId)).toString();
  }

  void resolve(String moderator, String flagId, String outcome) {
    assertThat(api.postJson("/api/v1/flags/" + flagId + "/review", moderator, Map.of()).status())
        .isEqualTo(204);
    assertThat(
            api.postJson(
                    "/api/v1/flags/" + flagId + "/resolve", moderator, Map.of("outcome", outcome))
                .status())
        .isEqualTo(204);
  }
}
