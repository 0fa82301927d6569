package io.parley.query.timeline;

import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.migrations.jooq.tables.records.TimelineMessageRecord;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimelineProjectionTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

  static MigratedDatabase database;
  static DSLContext db;

  Projector timeline;

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
  void emptyTimeline() {
    Rows.truncate(db, TIMELINE_MESSAGE);
    timeline = new Projector(new TimelineProjection(db));
  }

  // The conversation's history, with every event the projection handles: five messages (bob's
  // first expires), a moderator removes bob's second, ada is erased, then two retention sweeps
  // (flag evidence, which the timeline ignores, and messages older than T0 + 30 s).
  static final UUID M1 = id(1);
  static final UUID M2 = id(2);
  static final UUID M3 = id(3);
  static final UUID M4 = id(4);
  static final UUID M5 = id(5);

  static List<EventMessage<?>> history() {
    return Projector.messages(
        sent(M1, 1, "bob", "first, soon expired", T0),
        sent(M2, 2, "ada", "ada speaks", T0.plusSeconds(60)),
        sent(M3, 3, "bob", "rude words", T0.plusSeconds(120)),
        sent(M4, 4, "ada", "ada again", T0.plusSeconds(180)),
        sent(M5, 5, "bob", "bob stays", T0.plusSeconds(240)),
        removed(M3, "bob"),
        erased("ada"),
        swept(DataCategory.FLAG_EVIDENCE, T0.plus(Duration.ofDays(1))),
        swept(DataCategory.MESSAGE, T0.plusSeconds(30)));
  }

  /** The same history read back after ada's keys and the expired month's key are destroyed. */
  static List<EventMessage<?>> historyAsReadAfterKeysWereDestroyed() {
    return Projector.messages(
        sent(M1, 1, "bob", null, T0),
        sent(M2, 2, "ada", null, T0.plusSeconds(60)),
        sent(M3, 3, "bob", "rude words", T0.plusSeconds(120)),
        sent(M4, 4, "ada", null, T0.plusSeconds(180)),
        sent(M5, 5, "bob", "bob stays", T0.plusSeconds(240)),
        removed(M3, "bob"),
        erased("ada"),
        swept(DataCategory.FLAG_EVIDENCE, T0.plus(Duration.ofDays(1))),
        swept(DataCategory.MESSAGE, T0.plusSeconds(30)));
  }

  @Test
  void timeline_eachEventHandledTwice_endsInTheSameRows() {
    var passes =
        timeline.onceThenEachTwice(
            history(), TimelineProjectionTest::rows, () -> Rows.truncate(db, TIMELINE_MESSAGE));

    assertThat(passes.once()).hasSize(5);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void timeline_wholeHistoryDeliveredAgain_endsInTheSameRows() {
    var passes = timeline.onceThenAgain(history(), TimelineProjectionTest::rows);

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void timeline_replayedAfterItsReset_endsInTheSameRows() {
    var passes =
        timeline.onceThenReplayedAfterReset(
            history(), TimelineProjectionTest::rows, () -> assertThat(rows()).isEmpty());

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void timeline_replayedAfterKeysWereDestroyed_endsInTheSameRowsAsLive() {
    timeline.handleAll(history());
    var live = rows();

    timeline.reset();
    timeline.handleAll(historyAsReadAfterKeysWereDestroyed());

    assertThat(rows()).isEqualTo(live);
  }

  @Test
  void sentMessage_isStoredWithItsPositionVerdictAndText() {
    timeline.handleAll(Projector.messages(sent(M1, 7, "bob", "hello", T0)));

    TimelineMessageRecord row = row(M1);
    assertThat(row.getConversationId()).isEqualTo(CONVERSATION);
    assertThat(row.getPosition()).isEqualTo(7);
    assertThat(row.getSenderId()).isEqualTo("bob");
    assertThat(row.getText()).isEqualTo("hello");
    assertThat(row.getSentAt().toInstant()).isEqualTo(T0);
    assertThat(row.getVerdict()).isEqualTo("WARNED");
    assertThat(row.getToxicity()).isEqualByComparingTo("0.600");
    assertThat(row.getErased()).isFalse();
    assertThat(row.getRemoved()).isFalse();
  }

  @Test
  void sentMessage_deliveredAgainWithOtherText_keepsTheFirst() {
    timeline.handleAll(Projector.messages(sent(M1, 1, "bob", "original", T0)));
    timeline.handleAll(Projector.messages(sent(M1, 1, "bob", null, T0)));

    assertThat(row(M1).getText()).isEqualTo("original");
    assertThat(row(M1).getErased()).isFalse();
  }

  @Test
  void erasure_clearsTheTextOfTheSubjectsMessagesOnly() {
    timeline.handleAll(
        Projector.messages(
            sent(M1, 1, "ada", "mine", T0),
            sent(M2, 2, "bob", "his", T0.plusSeconds(1)),
            erased("ada")));

    assertThat(row(M1).getText()).isNull();
    assertThat(row(M1).getErased()).isTrue();
    assertThat(row(M1).getPosition()).isEqualTo(1); // the message keeps its place
    assertThat(row(M2).getText()).isEqualTo("his");
    assertThat(row(M2).getErased()).isFalse();
  }

  @Test
  void messageSweep_erasesMessagesSentBeforeTheCutoffOnly() {
    timeline.handleAll(
        Projector.messages(
            sent(M1, 1, "bob", "old", T0),
            sent(M2, 2, "bob", "at the cutoff", T0.plusSeconds(60)),
            swept(DataCategory.MESSAGE, T0.plusSeconds(60))));

    assertThat(row(M1).getText()).isNull();
    assertThat(row(M1).getErased()).isTrue();
    assertThat(row(M2).getText()).isEqualTo("at the cutoff");
    assertThat(row(M2).getErased()).isFalse();
  }

  @Test
  void sweepOfAnotherCategory_leavesMessagesAlone() {
    timeline.handleAll(
        Projector.messages(
            sent(M1, 1, "bob", "old", T0),
            swept(DataCategory.BLOCKED_MESSAGE, T0.plusSeconds(60)),
            swept(DataCategory.FLAG_EVIDENCE, T0.plusSeconds(60))));

    assertThat(row(M1).getText()).isEqualTo("old");
    assertThat(row(M1).getErased()).isFalse();
  }

  @Test
  void removal_keepsTheMessageButMarksItRemoved() {
    timeline.handleAll(
        Projector.messages(
            sent(M1, 1, "bob", "rude", T0),
            sent(M2, 2, "bob", "fine", T0.plusSeconds(1)),
            removed(M1, "bob")));

    assertThat(row(M1).getRemoved()).isTrue();
    assertThat(row(M1).getText()).isEqualTo("rude"); // for export and audit
    assertThat(row(M2).getRemoved()).isFalse();
  }

  @Test
  void messageReplayedWithoutItsText_readsAsErased() {
    timeline.handleAll(Projector.messages(sent(M1, 1, "bob", null, T0)));

    assertThat(row(M1).getErased()).isTrue();
  }

  private static List<Map<String, Object>> rows() {
    return Rows.of(db, TIMELINE_MESSAGE);
  }

  private static TimelineMessageRecord row(UUID messageId) {
    return db.selectFrom(TIMELINE_MESSAGE)
        .where(TIMELINE_MESSAGE.MESSAGE_ID.eq(messageId))
        .fetchOne();
  }

  static UUID id(int n) {
    return UUID.fromString("00000000-0000-0000-0000-%012d".formatted(n));
  }

  static MessageSentEvent sent(UUID id, long position, String sender, String text, Instant at) {
    var scores = ToxicityScores.of(0.6, 0.1, 0.2, 0.0);
    return new MessageSentEvent(
        CONVERSATION,
        id,
        position,
        sender,
        text,
        Verdict.WARNED,
        scores.highest(),
        scores,
        "lexicon",
        at);
  }

  static MessageRemovedEvent removed(UUID messageId, String sender) {
    return new MessageRemovedEvent(
        CONVERSATION, messageId, sender, id(900), "mod", T0.plus(Duration.ofHours(1)));
  }

  static SubjectErasedEvent erased(String subject) {
    return new SubjectErasedEvent(subject, id(800), T0.plus(Duration.ofDays(30)), 2, 2, 0, 0);
  }

  static RetentionSweptEvent swept(DataCategory category, Instant cutoff) {
    return new RetentionSweptEvent(category, cutoff, 1, cutoff.plus(Duration.ofDays(365)));
  }
}
