package io.parley.query.analytics;

import static io.parley.migrations.jooq.Tables.ANALYTICS_CONSENT;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_CARD;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_FLAG;
import static io.parley.migrations.jooq.Tables.ANALYTICS_COUNTED_MESSAGE;
import static io.parley.migrations.jooq.analytics.Tables.CARD_DAILY;
import static io.parley.migrations.jooq.analytics.Tables.CONVERSATION_DAILY;
import static io.parley.migrations.jooq.analytics.Tables.MODERATION_DAILY;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.Rarity;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnalyticsProjectionTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final LocalDate DAY = LocalDate.parse("2026-03-01");
  static final UUID ROOM = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
  static final UUID OTHER_ROOM = UUID.fromString("00000000-0000-0000-0000-0000000000a2");

  /** Every table the projection writes, its private ones included. */
  static final List<Table<?>> TABLES =
      List.of(
          CONVERSATION_DAILY,
          MODERATION_DAILY,
          CARD_DAILY,
          ANALYTICS_CONSENT,
          ANALYTICS_COUNTED_MESSAGE,
          ANALYTICS_COUNTED_FLAG,
          ANALYTICS_COUNTED_CARD);

  static MigratedDatabase database;
  static DSLContext db;

  Projector analytics;
  int nextId = 1;

  @BeforeAll
  static void migrate() {
    database = MigratedDatabase.create();
    db = database.dsl();
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @BeforeEach
  void emptyTables() {
    Rows.truncate(db, TABLES.toArray(new Table<?>[0]));
    analytics = new Projector(new AnalyticsProjection(db));
  }

  @Test
  void messages_areCountedForSendersWhoGrantedAnalytics_only() {
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            // bob granted something else; cy withdrew what she never granted.
            new ConsentGrantedEvent("bob", ConsentPurpose.CARD_GENERATION, "v1", T0),
            withdrawn("cy", T0),
            sent("ada", ROOM, Verdict.ALLOWED, T0.plusSeconds(1)),
            sent("ada", ROOM, Verdict.ALLOWED, T0.plusSeconds(2)),
            sent("ada", ROOM, Verdict.WARNED, T0.plusSeconds(3)),
            blocked("ada", ROOM, T0.plusSeconds(4)),
            sent("ada", OTHER_ROOM, Verdict.ALLOWED, T0.plusSeconds(5)),
            sent("bob", ROOM, Verdict.ALLOWED, T0.plusSeconds(6)),
            blocked("bob", ROOM, T0.plusSeconds(7)),
            sent("cy", ROOM, Verdict.WARNED, T0.plusSeconds(8))));

    // Delivered (ALLOWED and WARNED) in messages_sent, WARNED also in messages_warned; blocked
    // messages apart.
    assertThat(conversationDaily())
        .containsExactly(
            List.of(DAY.toString(), ROOM.toString(), 3, 1, 1),
            List.of(DAY.toString(), OTHER_ROOM.toString(), 1, 0, 0));
  }

  @Test
  void consentWithdrawnMidDay_countsWhatCameBeforeIt_andAgainAfterARegrant() {
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            sent("ada", ROOM, Verdict.ALLOWED, T0.plusSeconds(60)),
            withdrawn("ada", T0.plusSeconds(120)),
            sent("ada", ROOM, Verdict.ALLOWED, T0.plusSeconds(180)),
            blocked("ada", ROOM, T0.plusSeconds(181)),
            granted("ada", T0.plusSeconds(240)),
            sent("ada", ROOM, Verdict.WARNED, T0.plusSeconds(300))));

    assertThat(conversationDaily())
        .containsExactly(List.of(DAY.toString(), ROOM.toString(), 2, 1, 0));
  }

  @Test
  void days_areUtcDaysOfTheEventsTimes() {
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            sent("ada", ROOM, Verdict.ALLOWED, Instant.parse("2026-03-01T23:59:59.999Z")),
            sent("ada", ROOM, Verdict.ALLOWED, Instant.parse("2026-03-02T00:00:00Z")),
            sent("ada", ROOM, Verdict.ALLOWED, Instant.parse("2026-03-02T13:00:00Z"))));

    assertThat(conversationDaily())
        .containsExactly(
            List.of("2026-03-01", ROOM.toString(), 1, 0, 0),
            List.of("2026-03-02", ROOM.toString(), 2, 0, 0));
  }

  @Test
  void flags_countByTheConsentOfWhoseActivityTheyAre() {
    UUID carolFlagsBob = UUID.randomUUID();
    UUID bobFlagsAda = UUID.randomUUID();
    UUID autoOnAda = UUID.randomUUID();
    UUID autoOnBob = UUID.randomUUID();
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            granted("carol", T0),
            // A user flag is the flagger's: carol consents (bob, the sender, does not) → counted;
            // bob does not (ada, the sender, does) → not counted.
            userFlag(carolFlagsBob, "carol", "bob", T0.plusSeconds(1)),
            userFlag(bobFlagsAda, "bob", "ada", T0.plusSeconds(2)),
            // An automatic flag is the sender's: ada's message counted, bob's not.
            autoFlag(autoOnAda, "ada", T0.plusSeconds(3)),
            autoFlag(autoOnBob, "bob", T0.plusSeconds(4)),
            // A resolution counts where its flag did, whoever the moderator is.
            resolved(bobFlagsAda, FlagOutcome.UPHELD, T0.plusSeconds(2), T0.plusSeconds(100))));

    assertThat(moderationDaily())
        .containsExactly(
            List.of(DAY.toString(), "AUTO", "UNRESOLVED", 1, "null"),
            List.of(DAY.toString(), "USER", "UNRESOLVED", 1, "null"));
  }

  @Test
  void moderationDaily_holdsCountsPerOutcome_andTheMedianTimeToResolution() {
    List<Object> events = new ArrayList<>(List.of(granted("carol", T0)));
    // Five user flags raised on DAY: three dismissed after 10 s, 20.5 s and 60 s (median 20.5),
    // one upheld after 30 s, one never resolved. Two automatic flags on the next day, upheld after
    // 40 s and 50 s (median 45), on messages of carol's.
    List<Long> dismissedAfter = List.of(10_000L, 20_500L, 60_000L);
    for (long millis : dismissedAfter) {
      UUID flag = UUID.randomUUID();
      events.add(userFlag(flag, "carol", "bob", T0));
      events.add(resolved(flag, FlagOutcome.DISMISSED, T0, T0.plusMillis(millis)));
    }
    UUID upheld = UUID.randomUUID();
    events.add(userFlag(upheld, "carol", "bob", T0.plusSeconds(5)));
    events.add(resolved(upheld, FlagOutcome.UPHELD, T0.plusSeconds(5), T0.plusSeconds(35)));
    events.add(userFlag(UUID.randomUUID(), "carol", "bob", T0.plusSeconds(6)));
    Instant nextDay = Instant.parse("2026-03-02T23:59:30Z");
    for (long seconds : List.of(40L, 50L)) {
      UUID flag = UUID.randomUUID();
      events.add(autoFlag(flag, "carol", nextDay));
      // Resolved on the day after: the row is the day the flag was raised.
      events.add(resolved(flag, FlagOutcome.UPHELD, nextDay, nextDay.plusSeconds(seconds)));
    }
    analytics.handleAll(Projector.messages(events.toArray()));

    assertThat(moderationDaily())
        .containsExactly(
            List.of("2026-03-01", "USER", "DISMISSED", 3, "20.500"),
            List.of("2026-03-01", "USER", "UNRESOLVED", 1, "null"),
            List.of("2026-03-01", "USER", "UPHELD", 1, "30.000"),
            List.of("2026-03-02", "AUTO", "UPHELD", 2, "45.000"));
  }

  @Test
  void aResolution_movesItsFlagFromUnresolvedToItsOutcome_acrossBatches() {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    analytics.handleAll(
        Projector.messages(
            granted("carol", T0),
            userFlag(first, "carol", "bob", T0),
            userFlag(second, "carol", "bob", T0.plusSeconds(1))));
    assertThat(moderationDaily())
        .containsExactly(List.of(DAY.toString(), "USER", "UNRESOLVED", 2, "null"));

    analytics.handle(
        Projector.event(resolved(first, FlagOutcome.DISMISSED, T0, T0.plusSeconds(8))));
    assertThat(moderationDaily())
        .containsExactly(
            List.of(DAY.toString(), "USER", "DISMISSED", 1, "8.000"),
            List.of(DAY.toString(), "USER", "UNRESOLVED", 1, "null"));

    analytics.handle(
        Projector.event(
            resolved(second, FlagOutcome.DISMISSED, T0.plusSeconds(1), T0.plusSeconds(13))));
    assertThat(moderationDaily())
        .containsExactly(List.of(DAY.toString(), "USER", "DISMISSED", 2, "10.000"));
  }

  @Test
  void erasure_removesTheSubjectFromTheConsentView_andKeepsTheCounts() {
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            granted("bob", T0),
            sent("ada", ROOM, Verdict.ALLOWED, T0.plusSeconds(1)),
            erased("ada", T0.plusSeconds(2))));

    assertThat(db.fetch(ANALYTICS_CONSENT).getValues(ANALYTICS_CONSENT.SUBJECT_ID))
        .containsExactly("bob");
    assertThat(conversationDaily())
        .containsExactly(List.of(DAY.toString(), ROOM.toString(), 1, 0, 0));
  }

  @Test
  void cards_areCountedOnlyWhenEveryContributorHadGrantedAnalytics() {
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            granted("carol", T0),
            // All contributors consent: counted, under the card's rarity and UTC day.
            card(id(), Rarity.COMMON, T0.plusSeconds(1), "ada", "carol"),
            card(id(), Rarity.COMMON, T0.plusSeconds(2), "carol"),
            card(id(), Rarity.EPIC, Instant.parse("2026-03-01T23:59:59.999Z"), "ada"),
            card(id(), Rarity.EPIC, Instant.parse("2026-03-02T00:00:00Z"), "ada", "carol"),
            // One contributor (bob) never granted ANALYTICS: the card is not counted at all.
            card(id(), Rarity.LEGENDARY, T0.plusSeconds(3), "ada", "bob"),
            card(id(), Rarity.RARE, T0.plusSeconds(4), "bob"),
            // No contributor: nobody consenting, not counted.
            card(id(), Rarity.RARE, T0.plusSeconds(5))));

    assertThat(cardDaily())
        .containsExactly(
            List.of("2026-03-01", "COMMON", 2),
            List.of("2026-03-01", "EPIC", 1),
            List.of("2026-03-02", "EPIC", 1));
  }

  @Test
  void cards_areDecidedByTheConsentAtThatPointOfTheStream_acrossBatches() {
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            card(id(), Rarity.RARE, T0.plusSeconds(1), "ada", "dan"), // dan not yet
            granted("dan", T0.plusSeconds(2)),
            card(id(), Rarity.RARE, T0.plusSeconds(3), "ada", "dan")));
    // The withdrawal and the card in batches of their own, after the grants were stored.
    analytics.handle(Projector.event(withdrawn("dan", T0.plusSeconds(4))));
    analytics.handle(Projector.event(card(id(), Rarity.RARE, T0.plusSeconds(5), "ada", "dan")));
    analytics.handle(Projector.event(card(id(), Rarity.COMMON, T0.plusSeconds(6), "ada")));

    assertThat(cardDaily())
        .containsExactly(List.of(DAY.toString(), "COMMON", 1), List.of(DAY.toString(), "RARE", 1));
  }

  @Test
  void aCardDeliveredAgain_countsOnce_inTheSameBatchOrALaterOne() {
    EventMessage<?> card = Projector.event(card(id(), Rarity.EPIC, T0, "ada"));
    analytics.handle(Projector.event(granted("ada", T0)));
    analytics.handleAll(List.of(card, card));
    analytics.handle(card);
    // Even once the contributor withdrew: the ledger says it is counted already.
    analytics.handle(Projector.event(withdrawn("ada", T0.plusSeconds(1))));
    analytics.handle(card);

    assertThat(cardDaily()).containsExactly(List.of(DAY.toString(), "EPIC", 1));
    assertThat(db.fetchCount(ANALYTICS_COUNTED_CARD)).isEqualTo(1);
  }

  @Test
  void aContributorsErasure_keepsTheCardsCounted_andTheirLaterCardsAreNot() {
    analytics.handleAll(
        Projector.messages(
            granted("ada", T0),
            granted("carol", T0),
            card(id(), Rarity.COMMON, T0.plusSeconds(1), "ada", "carol"),
            erased("ada", T0.plusSeconds(2))));
    analytics.handle(Projector.event(card(id(), Rarity.COMMON, T0.plusSeconds(3), "ada", "carol")));

    assertThat(cardDaily()).containsExactly(List.of(DAY.toString(), "COMMON", 1));
    assertThat(db.fetch(ANALYTICS_COUNTED_CARD).formatCSV()).doesNotContain("ada", "carol");
  }

  @Test
  void oneBatchOrOneEventPerBatch_endInTheSameTables() {
    List<EventMessage<?>> history = history();
    analytics.handleAll(history);
    Map<String, List<Map<String, Object>>> inOneBatch = snapshot();
    Rows.truncate(db, TABLES.toArray(new Table<?>[0]));

    history.forEach(analytics::handle);

    assertThat(snapshot()).isEqualTo(inOneBatch);
    assertThat(inOneBatch.get(CONVERSATION_DAILY.getName())).hasSize(3);
    assertThat(inOneBatch.get(MODERATION_DAILY.getName())).hasSize(3);
    assertThat(inOneBatch.get(CARD_DAILY.getName())).hasSize(2);
  }

  @Test
  void replay_afterReset_rebuildsIdenticalTables() {
    var passes =
        analytics.onceThenReplayedAfterReset(
            history(),
            this::snapshot,
            () ->
                TABLES.forEach(
                    table -> assertThat(db.fetchCount(table)).as(table.getName()).isZero()));

    assertThat(passes.once().get(CONVERSATION_DAILY.getName())).hasSize(3);
    assertThat(passes.once().get(MODERATION_DAILY.getName())).hasSize(3);
    assertThat(passes.once().get(CARD_DAILY.getName())).hasSize(2);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void eachEventDeliveredTwice_countsOnce() {
    var passes =
        analytics.onceThenEachTwice(
            history(), this::snapshot, () -> Rows.truncate(db, TABLES.toArray(new Table<?>[0])));

    assertThat(passes.once().get(CONVERSATION_DAILY.getName())).hasSize(3);
    assertThat(passes.once().get(CARD_DAILY.getName())).hasSize(2);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void theHistoryDeliveredAgain_countsOnce() {
    var passes = analytics.onceThenAgain(history(), this::snapshot);

    assertThat(passes.once().get(CONVERSATION_DAILY.getName())).hasSize(3);
    assertThat(passes.once().get(CARD_DAILY.getName())).hasSize(2);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void history_endsInTheseTables() {
    analytics.handleAll(history());

    assertThat(conversationDaily())
        .containsExactly(
            List.of("2026-03-01", ROOM.toString(), 2, 1, 0),
            List.of("2026-03-01", OTHER_ROOM.toString(), 1, 0, 1),
            List.of("2026-03-02", ROOM.toString(), 1, 0, 0));
    assertThat(moderationDaily())
        .containsExactly(
            List.of("2026-03-01", "AUTO", "DISMISSED", 1, "79197.000"),
            List.of("2026-03-01", "USER", "UNRESOLVED", 1, "null"),
            List.of("2026-03-01", "USER", "UPHELD", 1, "61.000"));
    // ada and carol's card, carol's after ada's erasure; not bob's, dan's after his withdrawal, or
    // ada and carol's after ada's erasure.
    assertThat(cardDaily())
        .containsExactly(List.of("2026-03-01", "RARE", 1), List.of("2026-03-02", "COMMON", 1));
    assertThat(db.fetch(ANALYTICS_CONSENT).getValues(ANALYTICS_CONSENT.SUBJECT_ID))
        .containsExactly("carol");
  }

  @Test
  void theAnalyticsSchema_holdsNoUserIdsOrText() {
    analytics.handleAll(history());

    assertThat(db.fetchCount(CARD_DAILY)).isPositive();
    for (Table<?> table :
        List.of(CONVERSATION_DAILY, MODERATION_DAILY, CARD_DAILY, ANALYTICS_COUNTED_CARD)) {
      String rows = db.selectFrom(table).fetch().formatCSV();
      for (String personal :
          List.of(
              "ada",
              "bob",
              "carol",
              "dan",
              "mod-1",
              "text of",
              "awful",
              "spam",
              "a note",
              "CARD-TITLE",
              "CARD-CAPTION")) {
        assertThat(rows).as(table.getName()).doesNotContain(personal);
      }
    }
  }

  /**
   * ada and carol grant ANALYTICS, bob never does, dan grants and withdraws mid-stream; messages of
   * each, blocked and warned ones, user and automatic flags, resolutions (one of a flag that was
   * not counted), cards (counted or not by their contributors' consent), and ada's erasure.
   */
  List<EventMessage<?>> history() {
    UUID carolsFlag = id();
    UUID adasAutoFlag = id();
    UUID bobsFlag = id();
    UUID dansFlag = id();
    return Projector.messages(
        granted("ada", T0),
        granted("carol", T0),
        granted("dan", T0),
        new ConsentGrantedEvent("bob", ConsentPurpose.AI_PROCESSING, "v1", T0),
        sent("ada", ROOM, Verdict.ALLOWED, T0.plusSeconds(1)),
        sent("bob", ROOM, Verdict.ALLOWED, T0.plusSeconds(2)),
        sent("ada", ROOM, Verdict.WARNED, T0.plusSeconds(3)),
        autoFlag(adasAutoFlag, "ada", T0.plusSeconds(3)),
        blocked("carol", OTHER_ROOM, T0.plusSeconds(4)),
        sent("dan", OTHER_ROOM, Verdict.ALLOWED, T0.plusSeconds(5)),
        userFlag(dansFlag, "dan", "carol", T0.plusSeconds(6)),
        card(id(), Rarity.RARE, T0.plusSeconds(6), "ada", "carol"),
        card(id(), Rarity.RARE, T0.plusSeconds(6), "ada", "bob"),
        withdrawn("dan", T0.plusSeconds(7)),
        card(id(), Rarity.EPIC, T0.plusSeconds(7), "dan"),
        sent("dan", OTHER_ROOM, Verdict.ALLOWED, T0.plusSeconds(8)),
        userFlag(carolsFlag, "carol", "bob", T0.plusSeconds(9)),
        userFlag(bobsFlag, "bob", "ada", T0.plusSeconds(10)),
        resolved(carolsFlag, FlagOutcome.UPHELD, T0.plusSeconds(9), T0.plusSeconds(70)),
        resolved(bobsFlag, FlagOutcome.DISMISSED, T0.plusSeconds(10), T0.plusSeconds(80)),
        resolved(
            adasAutoFlag,
            FlagOutcome.DISMISSED,
            T0.plusSeconds(3),
            Instant.parse("2026-03-02T08:00:00Z")),
        erased("ada", Instant.parse("2026-03-02T09:00:00Z")),
        sent("carol", ROOM, Verdict.ALLOWED, Instant.parse("2026-03-02T10:00:00Z")),
        card(id(), Rarity.COMMON, Instant.parse("2026-03-02T10:00:01Z"), "carol"),
        card(id(), Rarity.COMMON, Instant.parse("2026-03-02T10:00:02Z"), "ada", "carol"));
  }

  /** Every table of the projection, each as its rows in a fixed order. */
  Map<String, List<Map<String, Object>>> snapshot() {
    Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
    TABLES.forEach(table -> tables.put(table.getName(), Rows.of(db, table)));
    return tables;
  }

  List<List<Object>> conversationDaily() {
    return db.selectFrom(CONVERSATION_DAILY)
        .orderBy(CONVERSATION_DAILY.DAY, CONVERSATION_DAILY.CONVERSATION_ID)
        .fetch(
            r ->
                List.of(
                    r.getDay().toString(),
                    r.getConversationId().toString(),
                    r.getMessagesSent(),
                    r.getMessagesWarned(),
                    r.getMessagesBlocked()));
  }

  /** (day, rarity, cards). */
  List<List<Object>> cardDaily() {
    return db.selectFrom(CARD_DAILY)
        .orderBy(CARD_DAILY.DAY, CARD_DAILY.RARITY)
        .fetch(r -> List.of(r.getDay().toString(), r.getRarity(), r.getCards()));
  }

  /** (day, source, outcome, flags, median as plain text or "null"). */
  List<List<Object>> moderationDaily() {
    return db.selectFrom(MODERATION_DAILY)
        .orderBy(MODERATION_DAILY.DAY, MODERATION_DAILY.SOURCE, MODERATION_DAILY.OUTCOME)
        .fetch(
            r ->
                List.of(
                    r.getDay().toString(), r.getSource(), r.getOutcome(), r.getFlags(), median(r)));
  }

  static String median(Record r) {
    BigDecimal median = r.get(MODERATION_DAILY.MEDIAN_RESOLUTION_SECONDS);
    return median == null ? "null" : median.toPlainString();
  }

  UUID id() {
    return new UUID(0xA11, nextId++);
  }

  static ConsentGrantedEvent granted(String subject, Instant at) {
    return new ConsentGrantedEvent(subject, ConsentPurpose.ANALYTICS, "v1", at);
  }

  static ConsentWithdrawnEvent withdrawn(String subject, Instant at) {
    return new ConsentWithdrawnEvent(subject, ConsentPurpose.ANALYTICS, "v1", at);
  }

  static SubjectErasedEvent erased(String subject, Instant at) {
    return new SubjectErasedEvent(subject, UUID.randomUUID(), at, 1, 1, 0, 1);
  }

  static MessageSentEvent sent(String sender, UUID room, Verdict verdict, Instant at) {
    return new MessageSentEvent(
        room,
        UUID.randomUUID(),
        1,
        sender,
        "text of " + sender,
        verdict,
        BigDecimal.ZERO,
        ToxicityScores.NONE,
        "builtin",
        at);
  }

  static MessageBlockedEvent blocked(String sender, UUID room, Instant at) {
    return new MessageBlockedEvent(
        room, UUID.randomUUID(), sender, "awful words", ToxicityScores.NONE, "builtin", at);
  }

  static FlagRaisedEvent userFlag(UUID flag, String flagger, String sender, Instant at) {
    return new FlagRaisedEvent(
        flag, UUID.randomUUID(), ROOM, sender, flagger, "spam", "a note", BigDecimal.ZERO, at);
  }

  static FlagRaisedAutomaticallyEvent autoFlag(UUID flag, String sender, Instant at) {
    return new FlagRaisedAutomaticallyEvent(
        flag, UUID.randomUUID(), ROOM, sender, new BigDecimal("0.700"), "builtin", at);
  }

  /** A READY card of these contributors, with a title and caption no table may hold. */
  static CardGeneratedEvent card(UUID cardId, Rarity rarity, Instant at, String... contributors) {
    return new CardGeneratedEvent(
        cardId,
        ROOM,
        rarity,
        0.5,
        0.8,
        "CARD-TITLE of " + String.join(",", contributors),
        "CARD-CAPTION of " + String.join(",", contributors),
        List.of(contributors),
        contributors.length,
        "ab".repeat(32),
        "<svg/>",
        "builtin",
        null,
        null,
        null,
        at);
  }

  static FlagResolvedEvent resolved(UUID flag, FlagOutcome outcome, Instant raisedAt, Instant at) {
    return new FlagResolvedEvent(flag, UUID.randomUUID(), ROOM, outcome, "mod-1", raisedAt, at);
  }
}
