package io.parley.query.subject;

import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONSENT_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.migrations.jooq.tables.records.ConsentRecord;
import io.parley.query.support.Projector;
import io.parley.query.support.Rows;
import io.parley.testsupport.MigratedDatabase;
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

class ConsentProjectionTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static MigratedDatabase database;
  static DSLContext db;

  Projector consents;

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
    Rows.truncate(db, CONSENT, CONSENT_HISTORY);
    consents = new Projector(new ConsentProjection(db));
  }

  /** Every event the projection handles: three subjects change consents, then cy is erased. */
  static List<EventMessage<?>> history() {
    return Projector.messages(
        granted("ada", ConsentPurpose.ANALYTICS, "v1", T0),
        granted("ada", ConsentPurpose.CARD_GENERATION, "v1", T0.plusSeconds(1)),
        withdrawn("ada", ConsentPurpose.ANALYTICS, "v2", T0.plusSeconds(2)),
        granted("bob", ConsentPurpose.ANALYTICS, "v1", T0.plusSeconds(3)),
        granted("cy", ConsentPurpose.AI_PROCESSING, "v1", T0.plusSeconds(4)),
        erased("cy"));
  }

  @Test
  void consents_eachEventHandledTwice_endInTheSameRows() {
    var passes =
        consents.onceThenEachTwice(
            history(),
            ConsentProjectionTest::rows,
            () -> Rows.truncate(db, CONSENT, CONSENT_HISTORY));

    assertThat(passes.once().get(CONSENT.getName())).hasSize(3);
    assertThat(passes.once().get(CONSENT_HISTORY.getName())).hasSize(4);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void consents_wholeHistoryDeliveredAgain_endInTheSameRows() {
    var passes = consents.onceThenAgain(history(), ConsentProjectionTest::rows);

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void consents_replayedAfterTheirReset_endInTheSameRows() {
    var passes =
        consents.onceThenReplayedAfterReset(
            history(),
            ConsentProjectionTest::rows,
            () -> {
              assertThat(db.fetchCount(CONSENT)).isZero();
              assertThat(db.fetchCount(CONSENT_HISTORY)).isZero();
            });

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void changes_setTheCurrentConsent_andAreAllKeptInTheHistory() {
    consents.handleAll(history());

    assertThat(current("ada", ConsentPurpose.ANALYTICS).getGranted()).isFalse();
    assertThat(current("ada", ConsentPurpose.ANALYTICS).getPolicyVersion()).isEqualTo("v2");
    assertThat(current("ada", ConsentPurpose.CARD_GENERATION).getGranted()).isTrue();
    assertThat(current("bob", ConsentPurpose.ANALYTICS).getGranted()).isTrue();
    assertThat(
            db.selectFrom(CONSENT_HISTORY)
                .where(CONSENT_HISTORY.SUBJECT_ID.eq("ada"))
                .orderBy(CONSENT_HISTORY.CHANGED_AT)
                .fetch())
        .extracting(r -> r.getPurpose(), r -> r.getGranted())
        .containsExactly(
            tuple("ANALYTICS", true), tuple("CARD_GENERATION", true), tuple("ANALYTICS", false));
  }

  @Test
  void olderChangeDeliveredLate_entersTheHistory_butDoesNotOverwriteTheCurrentConsent() {
    consents.handleAll(
        Projector.messages(
            withdrawn("ada", ConsentPurpose.ANALYTICS, "v2", T0.plusSeconds(2)),
            granted("ada", ConsentPurpose.ANALYTICS, "v1", T0.plusSeconds(1))));

    assertThat(current("ada", ConsentPurpose.ANALYTICS).getGranted()).isFalse();
    assertThat(current("ada", ConsentPurpose.ANALYTICS).getPolicyVersion()).isEqualTo("v2");
    assertThat(db.fetchCount(CONSENT_HISTORY)).isEqualTo(2);
  }

  @Test
  void twoEventsWithTheSameChange_areTwoHistoryEntries_whileARedeliveryIsOne() {
    var first = granted("ada", ConsentPurpose.ANALYTICS, "v1", T0);
    var second = granted("ada", ConsentPurpose.ANALYTICS, "v1", T0);
    var events = Projector.messages(first, second);
    consents.handleAll(events);
    consents.handle(events.get(0)); // redelivered: same message, same identifier

    assertThat(db.fetchCount(CONSENT_HISTORY)).isEqualTo(2);
    assertThat(db.fetchCount(CONSENT)).isEqualTo(1);
  }

  @Test
  void erasure_deletesTheSubjectsConsentsAndHistory_andNoOneElses() {
    consents.handleAll(history());
    consents.handleAll(Projector.messages(erased("ada")));

    assertThat(db.fetchCount(CONSENT, CONSENT.SUBJECT_ID.in("ada", "cy"))).isZero();
    assertThat(db.fetchCount(CONSENT_HISTORY, CONSENT_HISTORY.SUBJECT_ID.in("ada", "cy"))).isZero();
    assertThat(db.fetchCount(CONSENT, CONSENT.SUBJECT_ID.eq("bob"))).isEqualTo(1);
    assertThat(db.fetchCount(CONSENT_HISTORY, CONSENT_HISTORY.SUBJECT_ID.eq("bob"))).isEqualTo(1);
  }

  private static Map<String, List<Map<String, Object>>> rows() {
    return Map.of(
        CONSENT.getName(), Rows.of(db, CONSENT),
        CONSENT_HISTORY.getName(), Rows.of(db, CONSENT_HISTORY));
  }

  private static ConsentRecord current(String subject, ConsentPurpose purpose) {
    return db.selectFrom(CONSENT)
        .where(CONSENT.SUBJECT_ID.eq(subject))
        .and(CONSENT.PURPOSE.eq(purpose.name()))
        .fetchOne();
  }

  static ConsentGrantedEvent granted(
      String subject, ConsentPurpose purpose, String policy, Instant at) {
    return new ConsentGrantedEvent(subject, purpose, policy, at);
  }

  static ConsentWithdrawnEvent withdrawn(
      String subject, ConsentPurpose purpose, String policy, Instant at) {
    return new ConsentWithdrawnEvent(subject, purpose, policy, at);
  }

  static SubjectErasedEvent erased(String subject) {
    return new SubjectErasedEvent(
        subject, UUID.nameUUIDFromBytes(subject.getBytes()), T0.plusSeconds(3600), 1, 0, 0, 1);
  }
}
