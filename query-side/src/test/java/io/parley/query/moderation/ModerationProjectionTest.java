package io.parley.query.moderation;

import static io.parley.migrations.jooq.Tables.BLOCKED_MESSAGE;
import static io.parley.migrations.jooq.Tables.MODERATION_FLAG;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.privacy.DataCategory;
import io.parley.api.subject.RetentionSweptEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.migrations.jooq.tables.records.BlockedMessageRecord;
import io.parley.migrations.jooq.tables.records.ModerationFlagRecord;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
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

class ModerationProjectionTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-0000000000c1");

  static final UUID OLD_FLAG = id(10); // dan's, raised before T0: its evidence expires
  static final UUID CYS_FLAG = id(11); // cy's, upheld; cy is erased
  static final UUID AUTO_FLAG = id(12); // the scorer's, dismissed
  static final UUID ADAS_FLAG = id(13); // ada's, still pending
  static final UUID OLD_BLOCK = id(20); // bob's, expires
  static final UUID NEW_BLOCK = id(21); // bob's, kept

  static MigratedDatabase database;
  static DSLContext db;

  Projector moderation;

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
    Rows.truncate(db, MODERATION_FLAG, BLOCKED_MESSAGE);
    moderation = new Projector(new ModerationProjection(db));
  }

  /** Every event the projection handles, from four flags and two blocked messages. */
  static List<EventMessage<?>> history() {
    return Projector.messages(
        raised(OLD_FLAG, "dan", "spam", "old evidence", T0.minus(Duration.ofDays(100))),
        raised(CYS_FLAG, "cy", "insult", "he called me names", T0),
        automatic(AUTO_FLAG, T0.plusSeconds(1)),
        raised(ADAS_FLAG, "ada", "threat", "scary", T0.plusSeconds(2)),
        reviewStarted(CYS_FLAG, T0.plusSeconds(60)),
        resolved(CYS_FLAG, FlagOutcome.UPHELD, T0.plusSeconds(120)),
        reviewStarted(AUTO_FLAG, T0.plusSeconds(180)),
        resolved(AUTO_FLAG, FlagOutcome.DISMISSED, T0.plusSeconds(240)),
        blocked(OLD_BLOCK, "bob", "awful words", T0.minus(Duration.ofDays(40))),
        blocked(NEW_BLOCK, "bob", "awful again", T0),
        erased("cy"),
        swept(DataCategory.FLAG_EVIDENCE, T0.minus(Duration.ofDays(90))),
        swept(DataCategory.BLOCKED_MESSAGE, T0.minus(Duration.ofDays(30))),
        swept(DataCategory.MESSAGE, T0.plus(Duration.ofDays(1))));
  }

  @Test
  void moderation_eachEventHandledTwice_endsInTheSameRows_andTheSameQueueOrder() {
    var passes =
        moderation.onceThenEachTwice(
            history(),
            ModerationProjectionTest::rowsAndQueue,
            () -> Rows.truncate(db, MODERATION_FLAG, BLOCKED_MESSAGE));

    assertThat(passes.once().queue()).containsExactly(OLD_FLAG, CYS_FLAG, AUTO_FLAG, ADAS_FLAG);
    // A second insert of a flag draws a queue position it then does not use: positions may have
    // gaps (cursors only compare them), but rows and order are the same.
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void moderation_wholeHistoryDeliveredAgain_endsInTheSameRows_andTheSameQueueOrder() {
    var passes = moderation.onceThenAgain(history(), ModerationProjectionTest::rowsAndQueue);

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void moderation_replayedAfterItsReset_endsInTheSameRows_queuePositionsIncluded() {
    var passes =
        moderation.onceThenReplayedAfterReset(
            history(),
            ModerationProjectionTest::allRows,
            () -> {
              assertThat(db.fetchCount(MODERATION_FLAG)).isZero();
              assertThat(db.fetchCount(BLOCKED_MESSAGE)).isZero();
            });

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void userFlag_isPendingWithTheFlaggersWords() {
    moderation.handleAll(Projector.messages(raised(ADAS_FLAG, "ada", "threat", "scary", T0)));

    ModerationFlagRecord flag = flag(ADAS_FLAG);
    assertThat(flag.getStatus()).isEqualTo("PENDING");
    assertThat(flag.getSource()).isEqualTo("USER");
    assertThat(flag.getFlaggerId()).isEqualTo("ada");
    assertThat(flag.getReason()).isEqualTo("threat");
    assertThat(flag.getNote()).isEqualTo("scary");
    assertThat(flag.getMessageSenderId()).isEqualTo("bob");
    assertThat(flag.getRaisedAt().toInstant()).isEqualTo(T0);
  }

  @Test
  void automaticFlag_isPendingWithTheToxicityReasonAndNoFlagger() {
    moderation.handleAll(Projector.messages(automatic(AUTO_FLAG, T0)));

    ModerationFlagRecord flag = flag(AUTO_FLAG);
    assertThat(flag.getStatus()).isEqualTo("PENDING");
    assertThat(flag.getSource()).isEqualTo("AUTO");
    assertThat(flag.getReason()).isEqualTo(FlagRaisedAutomaticallyEvent.REASON);
    assertThat(flag.getFlaggerId()).isNull();
  }

  @Test
  void flag_movesFromPendingThroughReviewingToResolved() {
    moderation.handleAll(
        Projector.messages(
            raised(CYS_FLAG, "cy", "insult", null, T0),
            reviewStarted(CYS_FLAG, T0.plusSeconds(1))));
    assertThat(flag(CYS_FLAG).getStatus()).isEqualTo("REVIEWING");
    assertThat(flag(CYS_FLAG).getReviewerId()).isEqualTo("mod");

    moderation.handleAll(
        Projector.messages(resolved(CYS_FLAG, FlagOutcome.UPHELD, T0.plusSeconds(2))));

    assertThat(flag(CYS_FLAG).getStatus()).isEqualTo("RESOLVED");
    assertThat(flag(CYS_FLAG).getOutcome()).isEqualTo("UPHELD");
    assertThat(flag(CYS_FLAG).getResolvedAt().toInstant()).isEqualTo(T0.plusSeconds(2));
  }

  @Test
  void reviewStartedAgainAfterResolution_doesNotReopenTheFlag() {
    moderation.handleAll(
        Projector.messages(
            raised(CYS_FLAG, "cy", "insult", null, T0),
            reviewStarted(CYS_FLAG, T0.plusSeconds(1)),
            resolved(CYS_FLAG, FlagOutcome.DISMISSED, T0.plusSeconds(2)),
            reviewStarted(CYS_FLAG, T0.plusSeconds(3))));

    assertThat(flag(CYS_FLAG).getStatus()).isEqualTo("RESOLVED");
    assertThat(flag(CYS_FLAG).getReviewStartedAt().toInstant()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void erasure_clearsTheSubjectsFlagWordsAndBlockedTexts_andNoOneElses() {
    moderation.handleAll(
        Projector.messages(
            raised(ADAS_FLAG, "ada", "threat", "scary", T0),
            raised(CYS_FLAG, "cy", "insult", "names", T0),
            blocked(OLD_BLOCK, "ada", "ada's blocked words", T0),
            blocked(NEW_BLOCK, "bob", "bob's blocked words", T0),
            erased("ada")));

    assertThat(flag(ADAS_FLAG).getReason()).isNull();
    assertThat(flag(ADAS_FLAG).getNote()).isNull();
    assertThat(flag(ADAS_FLAG).getStatus()).isEqualTo("PENDING"); // the flag itself stays
    assertThat(blockedMessage(OLD_BLOCK).getText()).isNull();
    assertThat(blockedMessage(OLD_BLOCK).getErased()).isTrue();

    assertThat(flag(CYS_FLAG).getReason()).isEqualTo("insult");
    assertThat(flag(CYS_FLAG).getNote()).isEqualTo("names");
    assertThat(blockedMessage(NEW_BLOCK).getText()).isEqualTo("bob's blocked words");
    assertThat(blockedMessage(NEW_BLOCK).getErased()).isFalse();
  }

  @Test
  void flagEvidenceSweep_clearsUserFlagsRaisedBeforeTheCutoff_andKeepsAutomaticReasons() {
    moderation.handleAll(
        Projector.messages(
            raised(OLD_FLAG, "dan", "spam", "old", T0),
            automatic(AUTO_FLAG, T0),
            raised(ADAS_FLAG, "ada", "threat", "new", T0.plusSeconds(60)),
            blocked(OLD_BLOCK, "bob", "blocked", T0),
            swept(DataCategory.FLAG_EVIDENCE, T0.plusSeconds(60))));

    assertThat(flag(OLD_FLAG).getReason()).isNull();
    assertThat(flag(OLD_FLAG).getNote()).isNull();
    assertThat(flag(AUTO_FLAG).getReason()).isEqualTo(FlagRaisedAutomaticallyEvent.REASON);
    assertThat(flag(ADAS_FLAG).getReason()).isEqualTo("threat");
    assertThat(blockedMessage(OLD_BLOCK).getText()).isEqualTo("blocked");
  }

  @Test
  void blockedMessageSweep_erasesBlockedMessagesBeforeTheCutoffOnly() {
    moderation.handleAll(
        Projector.messages(
            raised(OLD_FLAG, "dan", "spam", "old", T0),
            blocked(OLD_BLOCK, "bob", "old words", T0),
            blocked(NEW_BLOCK, "bob", "new words", T0.plusSeconds(60)),
            swept(DataCategory.BLOCKED_MESSAGE, T0.plusSeconds(60))));

    assertThat(blockedMessage(OLD_BLOCK).getText()).isNull();
    assertThat(blockedMessage(OLD_BLOCK).getErased()).isTrue();
    assertThat(blockedMessage(NEW_BLOCK).getText()).isEqualTo("new words");
    assertThat(flag(OLD_FLAG).getReason()).isEqualTo("spam");
  }

  @Test
  void blockedMessage_isKeptWithItsHighestScore_andReplayedWithoutTextReadsAsErased() {
    moderation.handleAll(
        Projector.messages(
            blocked(OLD_BLOCK, "bob", "awful", T0), blocked(NEW_BLOCK, "bob", null, T0)));

    assertThat(blockedMessage(OLD_BLOCK).getToxicity()).isEqualByComparingTo("0.970");
    assertThat(blockedMessage(OLD_BLOCK).getScorer()).isEqualTo("lexicon");
    assertThat(blockedMessage(OLD_BLOCK).getErased()).isFalse();
    assertThat(blockedMessage(NEW_BLOCK).getErased()).isTrue();
  }

  /** The rows without their queue positions, and the queue's order. */
  record RowsAndQueue(Map<String, List<Map<String, Object>>> rows, List<UUID> queue) {}

  private static RowsAndQueue rowsAndQueue() {
    return new RowsAndQueue(rowsWithoutQueuePositions(), queue());
  }

  private static Map<String, List<Map<String, Object>>> rowsWithoutQueuePositions() {
    return Map.of(
        MODERATION_FLAG.getName(), Rows.of(db, MODERATION_FLAG, MODERATION_FLAG.QUEUE_POSITION),
        BLOCKED_MESSAGE.getName(), Rows.of(db, BLOCKED_MESSAGE));
  }

  private static Map<String, List<Map<String, Object>>> allRows() {
    return Map.of(
        MODERATION_FLAG.getName(), Rows.of(db, MODERATION_FLAG),
        BLOCKED_MESSAGE.getName(), Rows.of(db, BLOCKED_MESSAGE));
  }

  /** Flag ids in queue order. */
  private static List<UUID> queue() {
    return db.select(MODERATION_FLAG.FLAG_ID)
        .from(MODERATION_FLAG)
        .orderBy(MODERATION_FLAG.QUEUE_POSITION)
        .fetch(MODERATION_FLAG.FLAG_ID);
  }

  private static ModerationFlagRecord flag(UUID flagId) {
    return db.selectFrom(MODERATION_FLAG).where(MODERATION_FLAG.FLAG_ID.eq(flagId)).fetchOne();
  }

  private static BlockedMessageRecord blockedMessage(UUID messageId) {
    return db.selectFrom(BLOCKED_MESSAGE)
        .where(BLOCKED_MESSAGE.MESSAGE_ID.eq(messageId))
        .fetchOne();
  }

  static UUID id(int n) {
    return UUID.fromString("00000000-0000-0000-0000-%012d".formatted(n));
  }

  static FlagRaisedEvent raised(
      UUID flagId, String flagger, String reason, String note, Instant at) {
    return new FlagRaisedEvent(
        flagId, id(100), CONVERSATION, "bob", flagger, reason, note, new BigDecimal("0.420"), at);
  }

  static FlagRaisedAutomaticallyEvent automatic(UUID flagId, Instant at) {
    return new FlagRaisedAutomaticallyEvent(
        flagId, id(101), CONVERSATION, "bob", new BigDecimal("0.810"), "lexicon", at);
  }

  static FlagReviewStartedEvent reviewStarted(UUID flagId, Instant at) {
    return new FlagReviewStartedEvent(flagId, id(100), "mod", at);
  }

  static FlagResolvedEvent resolved(UUID flagId, FlagOutcome outcome, Instant at) {
    return new FlagResolvedEvent(flagId, id(100), CONVERSATION, outcome, "mod", T0, at);
  }

  static MessageBlockedEvent blocked(UUID messageId, String sender, String text, Instant at) {
    return new MessageBlockedEvent(
        CONVERSATION,
        messageId,
        sender,
        text,
        ToxicityScores.of(0.9, 0.4, 0.97, 0.1),
        "lexicon",
        at);
  }

  static SubjectErasedEvent erased(String subject) {
    return new SubjectErasedEvent(
        subject, UUID.nameUUIDFromBytes(subject.getBytes()), T0.plusSeconds(3600), 1, 0, 0, 0);
  }

  static RetentionSweptEvent swept(DataCategory category, Instant cutoff) {
    return new RetentionSweptEvent(category, cutoff, 1, T0.plus(Duration.ofDays(2)));
  }
}
