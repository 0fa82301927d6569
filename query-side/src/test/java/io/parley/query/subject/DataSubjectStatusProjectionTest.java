package io.parley.query.subject;

import static io.parley.migrations.jooq.Tables.DATA_SUBJECT_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.subject.ErasureCancelledEvent;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import io.parley.migrations.jooq.tables.records.DataSubjectStatusRecord;
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

class DataSubjectStatusProjectionTest {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration GRACE = Duration.ofDays(30);

  static MigratedDatabase database;
  static DSLContext db;

  Projector statuses;

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
    Rows.truncate(db, DATA_SUBJECT_STATUS);
    statuses = new Projector(new DataSubjectStatusProjection(db));
  }

  /**
   * Every event the projection handles: ada asks, cancels, asks again and is erased; bob's request
   * is pending; cy cancels; dan is erased with no request this projection saw.
   */
  static List<EventMessage<?>> history() {
    return Projector.messages(
        requested("ada", 1, T0),
        cancelled("ada", 1, T0.plusSeconds(60)),
        requested("ada", 2, T0.plusSeconds(120)),
        erased("ada", 2, T0.plusSeconds(120).plus(GRACE)),
        requested("bob", 3, T0),
        requested("cy", 4, T0),
        cancelled("cy", 4, T0.plusSeconds(60)),
        erased("dan", 5, T0));
  }

  @Test
  void statuses_eachEventHandledTwice_endInTheSameRows() {
    var passes =
        statuses.onceThenEachTwice(
            history(),
            DataSubjectStatusProjectionTest::rows,
            () -> Rows.truncate(db, DATA_SUBJECT_STATUS));

    assertThat(passes.once()).hasSize(4);
    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void statuses_wholeHistoryDeliveredAgain_endInTheSameRows() {
    var passes = statuses.onceThenAgain(history(), DataSubjectStatusProjectionTest::rows);

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void statuses_replayedAfterTheirReset_endInTheSameRows() {
    var passes =
        statuses.onceThenReplayedAfterReset(
            history(), DataSubjectStatusProjectionTest::rows, () -> assertThat(rows()).isEmpty());

    assertThat(passes.again()).isEqualTo(passes.once());
  }

  @Test
  void request_isPendingUntilItsEffectiveTime() {
    statuses.handleAll(Projector.messages(requested("bob", 3, T0)));

    DataSubjectStatusRecord bob = status("bob");
    assertThat(bob.getStatus()).isEqualTo(DataSubjectStatusProjection.PENDING);
    assertThat(bob.getErasureId()).isEqualTo(erasureId(3));
    assertThat(bob.getEffectiveAt().toInstant()).isEqualTo(T0.plus(GRACE));
    assertThat(bob.getErasedAt()).isNull();
  }

  @Test
  void cancellation_makesTheSubjectActiveAgain_withoutAnEffectiveTime() {
    statuses.handleAll(
        Projector.messages(requested("cy", 4, T0), cancelled("cy", 4, T0.plusSeconds(60))));

    assertThat(status("cy").getStatus()).isEqualTo(DataSubjectStatusProjection.ACTIVE);
    assertThat(status("cy").getEffectiveAt()).isNull();
  }

  @Test
  void newRequestAfterACancellation_isPendingWithTheNewErasure() {
    statuses.handleAll(
        Projector.messages(
            requested("ada", 1, T0),
            cancelled("ada", 1, T0.plusSeconds(60)),
            requested("ada", 2, T0.plusSeconds(120))));

    assertThat(status("ada").getStatus()).isEqualTo(DataSubjectStatusProjection.PENDING);
    assertThat(status("ada").getErasureId()).isEqualTo(erasureId(2));
    assertThat(status("ada").getEffectiveAt().toInstant())
        .isEqualTo(T0.plusSeconds(120).plus(GRACE));
  }

  @Test
  void erasure_isFinal_aLaterRequestOrCancellationDoesNotReviveTheSubject() {
    statuses.handleAll(
        Projector.messages(
            requested("ada", 1, T0),
            erased("ada", 1, T0.plus(GRACE)),
            requested("ada", 2, T0.plus(GRACE).plusSeconds(1)),
            cancelled("ada", 2, T0.plus(GRACE).plusSeconds(2))));

    DataSubjectStatusRecord ada = status("ada");
    assertThat(ada.getStatus()).isEqualTo(DataSubjectStatusProjection.ERASED);
    assertThat(ada.getErasureId()).isEqualTo(erasureId(1));
    assertThat(ada.getErasedAt().toInstant()).isEqualTo(T0.plus(GRACE));
  }

  @Test
  void erasureWithoutASeenRequest_recordsTheSubjectAsErased() {
    statuses.handleAll(Projector.messages(erased("dan", 5, T0)));

    assertThat(status("dan").getStatus()).isEqualTo(DataSubjectStatusProjection.ERASED);
    assertThat(status("dan").getErasureId()).isEqualTo(erasureId(5));
  }

  private static List<Map<String, Object>> rows() {
    return Rows.of(db, DATA_SUBJECT_STATUS);
  }

  private static DataSubjectStatusRecord status(String subject) {
    return db.selectFrom(DATA_SUBJECT_STATUS)
        .where(DATA_SUBJECT_STATUS.SUBJECT_ID.eq(subject))
        .fetchOne();
  }

  static UUID erasureId(int n) {
    return UUID.fromString("00000000-0000-0000-0000-%012d".formatted(n));
  }

  static ErasureRequestedEvent requested(String subject, int erasure, Instant at) {
    return new ErasureRequestedEvent(
        subject, erasureId(erasure), subject, "please forget me", at, at.plus(GRACE));
  }

  static ErasureCancelledEvent cancelled(String subject, int erasure, Instant at) {
    return new ErasureCancelledEvent(subject, erasureId(erasure), at);
  }

  static SubjectErasedEvent erased(String subject, int erasure, Instant at) {
    return new SubjectErasedEvent(subject, erasureId(erasure), at, 3, 10, 1, 2);
  }
}
