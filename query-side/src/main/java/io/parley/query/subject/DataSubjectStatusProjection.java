package io.parley.query.subject;

import static io.parley.migrations.jooq.Tables.DATA_SUBJECT_STATUS;

import io.parley.api.subject.ErasureCancelledEvent;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Where each subject's erasure stands: pending, cancelled (active again) or erased. */
@Component
@ProcessingGroup(DataSubjectStatusProjection.PROCESSING_GROUP)
public class DataSubjectStatusProjection {

  public static final String PROCESSING_GROUP = "data-subjects";
  public static final String PENDING = "ERASURE_PENDING";
  public static final String ACTIVE = "ACTIVE";
  public static final String ERASED = "ERASED";

  private final DSLContext db;

  public DataSubjectStatusProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(ErasureRequestedEvent event) {
    var effectiveAt = event.effectiveAt().atOffset(ZoneOffset.UTC);
    db.insertInto(DATA_SUBJECT_STATUS)
        .set(DATA_SUBJECT_STATUS.SUBJECT_ID, event.subjectId())
        .set(DATA_SUBJECT_STATUS.STATUS, PENDING)
        .set(DATA_SUBJECT_STATUS.ERASURE_ID, event.erasureId())
        .set(DATA_SUBJECT_STATUS.EFFECTIVE_AT, effectiveAt)
        .onConflict(DATA_SUBJECT_STATUS.SUBJECT_ID)
        .doUpdate()
        .set(DATA_SUBJECT_STATUS.STATUS, PENDING)
        .set(DATA_SUBJECT_STATUS.ERASURE_ID, event.erasureId())
        .set(DATA_SUBJECT_STATUS.EFFECTIVE_AT, effectiveAt)
        .where(DATA_SUBJECT_STATUS.STATUS.ne(ERASED))
        .execute();
  }

  @EventHandler
  void on(ErasureCancelledEvent event) {
    db.update(DATA_SUBJECT_STATUS)
        .set(DATA_SUBJECT_STATUS.STATUS, ACTIVE)
        .setNull(DATA_SUBJECT_STATUS.EFFECTIVE_AT)
        .where(DATA_SUBJECT_STATUS.SUBJECT_ID.eq(event.subjectId()))
        .and(DATA_SUBJECT_STATUS.STATUS.eq(PENDING))
        .execute();
  }

  @EventHandler
  void on(SubjectErasedEvent event) {
    var erasedAt = event.erasedAt().atOffset(ZoneOffset.UTC);
    db.insertInto(DATA_SUBJECT_STATUS)
        .set(DATA_SUBJECT_STATUS.SUBJECT_ID, event.subjectId())
        .set(DATA_SUBJECT_STATUS.STATUS, ERASED)
        .set(DATA_SUBJECT_STATUS.ERASURE_ID, event.erasureId())
        .set(DATA_SUBJECT_STATUS.ERASED_AT, erasedAt)
        .onConflict(DATA_SUBJECT_STATUS.SUBJECT_ID)
        .doUpdate()
        .set(DATA_SUBJECT_STATUS.STATUS, ERASED)
        .set(DATA_SUBJECT_STATUS.ERASED_AT, erasedAt)
        .execute();
  }

  @ResetHandler
  void reset() {
    db.truncate(DATA_SUBJECT_STATUS).execute();
  }
}
