package io.parley.query.conversation;

import static io.parley.migrations.jooq.Tables.CONVERSATION_PARTICIPANT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.migrations.jooq.tables.records.ConversationSummaryRecord;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversationProjectionTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID ADAS = UUID.fromString("00000000-0000-0000-0000-00000000ada1");
  static final UUID BOBS = UUID.fromString("00000000-0000-0000-0000-00000000b0b1");

  static MigratedDatabase database;
  static DSLContext db;

  Projector conversations;

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
    Rows.truncate(db, CONVERSATION_SUMMARY, CONVERSATION_PARTICIPANT);
    conversations = new Projector(new ConversationProjection(db));
  }

  /**
   * Every event the projection handles: ada's and bob's conversations (each takes part in the
   * other's), cy joins ada's, three messages, two threshold changes, then ada is erased.
   */
  static List<EventMessage<?>> history() {
    return Projector.messages(
        started(ADAS, "ada", "Ada's plans", T0, "ada", "bob"),
        started(BOBS, "bob", "Bob's plans", T0.plusSeconds(10), "bob", "ada"),
        new ParticipantAddedEvent(ADAS, "cy", "ada", T0.plusSeconds(20)),
        sent(ADAS, 1, T0.plusSeconds(30)),
        sent(ADAS, 2, T0.plusSeconds(40)),
        sent(BOBS, 1, T0.plusSeconds(50)),
        thresholds(ADAS, "0.400", "0.800", T0.plusSeconds(60)),
        thresholds(ADAS, "0.300", "0.700", T0.plusSeconds(70)),
        erased("ada"));
  }

  @Test
  void conversations_eachEventHandledTwice_endInTheSameRows() {
    var passes =
        conversations.onceThenEachTwice(
            history(),
            ConversationProjectionTest::rows,
            () -> Rows.truncate(db, CONVERSATION_SUMMARY, CONVERSATION_PARTICIPANT));

    assertThat(passes.once().get(CONVERSATION_SUMMARY.getName())).hasSize(2);
    assertThat(passes.once().get(CONVERSATION_PARTICIPANT.getName())).hasSize(5);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void conversations_wholeHistoryDeliveredAgain_endInTheSameRows() {
    var passes = conversations.onceThenAgain(history(), ConversationProjectionTest::rows);

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void conversations_replayedAfterTheirReset_endInTheSameRows() {
    var passes =
        conversations.onceThenReplayedAfterReset(
            history(),
            ConversationProjectionTest::rows,
            () -> {
              assertThat(db.fetchCount(CONVERSATION_SUMMARY)).isZero();
              assertThat(db.fetchCount(CONVERSATION_PARTICIPANT)).isZero();
            });

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void started_storesTheSummaryAndEveryParticipant() {
    conversations.handleAll(Projector.messages(started(ADAS, "ada", "Plans", T0, "ada", "bob")));

    ConversationSummaryRecord summary = summary(ADAS);
    assertThat(summary.getTitle()).isEqualTo("Plans");
    assertThat(summary.getOwnerId()).isEqualTo("ada");
    assertThat(summary.getCreatedAt().toInstant()).isEqualTo(T0);
    assertThat(summary.getMessageCount()).isZero();
    assertThat(summary.getLastMessageAt()).isNull();
    assertThat(summary.getWarnThreshold()).isEqualByComparingTo("0.500");
    assertThat(summary.getBlockThreshold()).isEqualByComparingTo("0.900");
    assertThat(participants(ADAS)).containsExactly("ada", "bob");
  }

  @Test
  void messagesDeliveredOutOfOrder_keepTheHighestCountAndTheLatestTime() {
    conversations.handleAll(
        Projector.messages(
            started(ADAS, "ada", "Plans", T0, "ada"),
            sent(ADAS, 2, T0.plusSeconds(40)),
            sent(ADAS, 1, T0.plusSeconds(30))));

    assertThat(summary(ADAS).getMessageCount()).isEqualTo(2);
    assertThat(summary(ADAS).getLastMessageAt().toInstant()).isEqualTo(T0.plusSeconds(40));
  }

  @Test
  void thresholdsChanged_replaceBothThresholds() {
    conversations.handleAll(
        Projector.messages(
            started(ADAS, "ada", "Plans", T0, "ada"),
            thresholds(ADAS, "0.300", "0.700", T0.plusSeconds(1))));

    assertThat(summary(ADAS).getWarnThreshold()).isEqualByComparingTo("0.300");
    assertThat(summary(ADAS).getBlockThreshold()).isEqualByComparingTo("0.700");
  }

  @Test
  void erasure_clearsTheTitlesOfConversationsTheSubjectOwns_andKeepsTheConversations() {
    conversations.handleAll(history());

    assertThat(summary(ADAS).getTitle()).isNull();
    assertThat(summary(ADAS).getMessageCount()).isEqualTo(2);
    assertThat(participants(ADAS)).containsExactly("ada", "bob", "cy");
    assertThat(summary(BOBS).getTitle()).isEqualTo("Bob's plans");
    assertThat(participants(BOBS)).containsExactly("ada", "bob");
  }

  private static Map<String, List<Map<String, Object>>> rows() {
    return Map.of(
        CONVERSATION_SUMMARY.getName(), Rows.of(db, CONVERSATION_SUMMARY),
        CONVERSATION_PARTICIPANT.getName(), Rows.of(db, CONVERSATION_PARTICIPANT));
  }

  private static ConversationSummaryRecord summary(UUID conversationId) {
    return db.selectFrom(CONVERSATION_SUMMARY)
        .where(CONVERSATION_SUMMARY.CONVERSATION_ID.eq(conversationId))
        .fetchOne();
  }

  private static List<String> participants(UUID conversationId) {
    return db.select(CONVERSATION_PARTICIPANT.USER_ID)
        .from(CONVERSATION_PARTICIPANT)
        .where(CONVERSATION_PARTICIPANT.CONVERSATION_ID.eq(conversationId))
        .orderBy(CONVERSATION_PARTICIPANT.USER_ID)
        .fetch(CONVERSATION_PARTICIPANT.USER_ID);
  }

  static ConversationStartedEvent started(
      UUID id, String owner, String title, Instant at, String... participants) {
    return new ConversationStartedEvent(
        id,
        owner,
        title,
        new LinkedHashSet<>(List.of(participants)),
        new BigDecimal("0.500"),
        new BigDecimal("0.900"),
        at);
  }

  static MessageSentEvent sent(UUID conversationId, long position, Instant at) {
    return new MessageSentEvent(
        conversationId,
        UUID.nameUUIDFromBytes((conversationId + "/" + position).getBytes()),
        position,
        "bob",
        "text " + position,
        Verdict.ALLOWED,
        ToxicityScores.NONE.highest(),
        ToxicityScores.NONE,
        "lexicon",
        at);
  }

  static ModerationThresholdsChangedEvent thresholds(
      UUID conversationId, String warn, String block, Instant at) {
    return new ModerationThresholdsChangedEvent(
        conversationId, new BigDecimal(warn), new BigDecimal(block), "ada", at);
  }

  static SubjectErasedEvent erased(String subject) {
    return new SubjectErasedEvent(
        subject, UUID.nameUUIDFromBytes(subject.getBytes()), T0.plusSeconds(3600), 1, 2, 1, 0);
  }
}
