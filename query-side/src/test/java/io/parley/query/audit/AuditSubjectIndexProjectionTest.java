package io.parley.query.audit;

import static io.parley.migrations.jooq.Tables.AUDIT_SUBJECT_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.audit.AuditAccessedEvent;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.conversation.Verdict;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditSubjectIndexProjectionTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final UUID CONVERSATION = UUID.fromString("3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41");

  static MigratedDatabase database;
  static DSLContext db;

  Projector index;

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
  void emptyTable() {
    Rows.truncate(db, AUDIT_SUBJECT_EVENT);
    index = new Projector(new AuditSubjectIndexProjection(db));
  }

  /**
   * ada starts a conversation with bob (actor ada, title ada's); bob is added by ada; bob writes
   * (actor bob, text bob's); the system (no actor) relays a message of cy's whose text is erased
   * (null); officer-1 reads the audit trail (actor officer-1, reason theirs).
   */
  static List<EventMessage<?>> history() {
    return List.of(
        tracked(
            1,
            new ConversationStartedEvent(
                CONVERSATION, "ada", "Ada's room", Set.of("bob"), null, null, T0),
            "ada"),
        tracked(2, new ParticipantAddedEvent(CONVERSATION, "bob", "ada", T0), "ada"),
        tracked(3, message("bob", "hello"), "bob"),
        tracked(4, message("cy", null), null),
        tracked(
            5,
            new AuditAccessedEvent(
                UUID.randomUUID(), "officer-1", "case 7", "events", Map.of(), 3, T0),
            "officer-1"));
  }

  @Test
  void index_holdsTheActorAndTheOwnersOfPersonalFields_byGlobalIndex() {
    index.handleAll(history());

    assertThat(indexOf("ada")).containsExactly(1L, 2L);
    // bob is a participant of event 1 and the subject of event 2, but neither his actor nor his
    // personal data: only his own message.
    assertThat(indexOf("bob")).containsExactly(3L);
    // cy's text is gone (null), but the event still concerns them.
    assertThat(indexOf("cy")).containsExactly(4L);
    assertThat(indexOf("officer-1")).containsExactly(5L);
  }

  @Test
  void index_eachEventHandledTwice_endsInTheSameRows() {
    var passes =
        index.onceThenEachTwice(
            history(),
            () -> Rows.of(db, AUDIT_SUBJECT_EVENT),
            () -> Rows.truncate(db, AUDIT_SUBJECT_EVENT));

    assertThat(passes.once()).hasSize(5);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void index_duringReplay_usesTheReplayedEventsPosition() {
    TrackingToken replay =
        ReplayToken.createReplayToken(
            new GlobalSequenceTrackingToken(9), new GlobalSequenceTrackingToken(3));
    index.handle(
        new GenericTrackedEventMessage<>(
            replay, GenericEventMessage.asEventMessage(message("dan", "hi"))));

    assertThat(indexOf("dan")).containsExactly(3L);
  }

  @Test
  void reset_truncatesOnlyTheIndex() {
    index.handleAll(history());

    index.reset();

    assertThat(Rows.of(db, AUDIT_SUBJECT_EVENT)).isEmpty();
  }

  List<Long> indexOf(String subject) {
    return db.select(AUDIT_SUBJECT_EVENT.GLOBAL_INDEX)
        .from(AUDIT_SUBJECT_EVENT)
        .where(AUDIT_SUBJECT_EVENT.SUBJECT_ID.eq(subject))
        .orderBy(AUDIT_SUBJECT_EVENT.GLOBAL_INDEX)
        .fetch(AUDIT_SUBJECT_EVENT.GLOBAL_INDEX);
  }

  static MessageSentEvent message(String sender, String text) {
    return new MessageSentEvent(
        CONVERSATION,
        UUID.randomUUID(),
        1,
        sender,
        text,
        Verdict.ALLOWED,
        BigDecimal.ZERO,
        null,
        MessageSentEvent.UNSCORED,
        T0);
  }

  static EventMessage<?> tracked(long globalIndex, Object payload, String actor) {
    EventMessage<?> message = GenericEventMessage.asEventMessage(payload);
    if (actor != null) {
      message = message.andMetaData(Map.of(AuditSubjectIndexProjection.ACTOR, actor));
    }
    return new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(globalIndex), message);
  }
}
