package io.parley.infra.privacy;

import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONVERSATION_SUMMARY;
import static io.parley.migrations.jooq.Tables.TIMELINE_MESSAGE;

import io.parley.command.subject.PersonalDataInventory;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Counts a subject's data in the read models, for the erasure certificate. */
@Component
public class JooqPersonalDataInventory implements PersonalDataInventory {

  private final DSLContext db;

  public JooqPersonalDataInventory(DSLContext db) {
    this.db = db;
  }

  @Override
  public Counts count(String subjectId) {
    return new Counts(
        db.fetchCount(TIMELINE_MESSAGE, TIMELINE_MESSAGE.SENDER_ID.eq(subjectId)),
        db.fetchCount(CONVERSATION_SUMMARY, CONVERSATION_SUMMARY.OWNER_ID.eq(subjectId)),
        db.fetchCount(CONSENT, CONSENT.SUBJECT_ID.eq(subjectId)));
  }
}
