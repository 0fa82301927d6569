package io.parley.query.subject;

import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONSENT_HISTORY;

import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Current consents (one row per subject and purpose) and their history. */
@Component
@ProcessingGroup(ConsentProjection.PROCESSING_GROUP)
public class ConsentProjection {

  public static final String PROCESSING_GROUP = "consents";

  private final DSLContext db;

  public ConsentProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(ConsentGrantedEvent event, EventMessage<?> message) {
    record(
        message.getIdentifier(),
        event.subjectId(),
        event.purpose(),
        true,
        event.policyVersion(),
        event.changedAt());
  }

  @EventHandler
  void on(ConsentWithdrawnEvent event, EventMessage<?> message) {
    record(
        message.getIdentifier(),
        event.subjectId(),
        event.purpose(),
        false,
        event.policyVersion(),
        event.changedAt());
  }

  /** Consent records are the subject's data: gone with them. */
  @EventHandler
  void on(SubjectErasedEvent event) {
    db.deleteFrom(CONSENT).where(CONSENT.SUBJECT_ID.eq(event.subjectId())).execute();
    db.deleteFrom(CONSENT_HISTORY)
        .where(CONSENT_HISTORY.SUBJECT_ID.eq(event.subjectId()))
        .execute();
  }

  @ResetHandler
  void reset() {
    db.truncate(CONSENT).execute();
    db.truncate(CONSENT_HISTORY).execute();
  }

  private void record(
      String eventId,
      String subjectId,
      ConsentPurpose purpose,
      boolean granted,
      String policyVersion,
      Instant changedAt) {
    var at = changedAt.atOffset(ZoneOffset.UTC);
    db.insertInto(CONSENT_HISTORY)
        .set(CONSENT_HISTORY.EVENT_ID, eventId)
        .set(CONSENT_HISTORY.SUBJECT_ID, subjectId)
        .set(CONSENT_HISTORY.PURPOSE, purpose.name())
        .set(CONSENT_HISTORY.GRANTED, granted)
        .set(CONSENT_HISTORY.POLICY_VERSION, policyVersion)
        .set(CONSENT_HISTORY.CHANGED_AT, at)
        .onConflictDoNothing()
        .execute();
    db.insertInto(CONSENT)
        .set(CONSENT.SUBJECT_ID, subjectId)
        .set(CONSENT.PURPOSE, purpose.name())
        .set(CONSENT.GRANTED, granted)
        .set(CONSENT.POLICY_VERSION, policyVersion)
        .set(CONSENT.CHANGED_AT, at)
        .onConflict(CONSENT.SUBJECT_ID, CONSENT.PURPOSE)
        .doUpdate()
        .set(CONSENT.GRANTED, granted)
        .set(CONSENT.POLICY_VERSION, policyVersion)
        .set(CONSENT.CHANGED_AT, at)
        .where(CONSENT.CHANGED_AT.le(at))
        .execute();
  }
}
