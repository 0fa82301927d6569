package io.parley.query.subject;

import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONSENT_HISTORY;

import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentsView;
import io.parley.api.subject.ConsentsView.Consent;
import io.parley.api.subject.FetchConsentsQuery;
import io.parley.api.subject.HasConsentQuery;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.axonframework.queryhandling.QueryHandler;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Answers consent questions from {@link ConsentProjection}'s tables (one indexed row each). */
@Component
public class ConsentQueryHandler {

  private final DSLContext db;

  public ConsentQueryHandler(DSLContext db) {
    this.db = db;
  }

  @QueryHandler
  public Boolean handle(HasConsentQuery query) {
    return db.fetchExists(
        CONSENT,
        CONSENT
            .SUBJECT_ID
            .eq(query.subjectId())
            .and(CONSENT.PURPOSE.eq(query.purpose().name()))
            .and(CONSENT.GRANTED.isTrue()));
  }

  @QueryHandler
  public ConsentsView handle(FetchConsentsQuery query) {
    // History first, then the current state: the projection writes both in one transaction, so
    // the current state read second is at least as new as the history (never older, as when the
    // two reads straddled a commit in the other order).
    List<Consent> history =
        db.selectFrom(CONSENT_HISTORY)
            .where(CONSENT_HISTORY.SUBJECT_ID.eq(query.subjectId()))
            .orderBy(CONSENT_HISTORY.CHANGED_AT, CONSENT_HISTORY.EVENT_ID)
            .fetch(
                r ->
                    new Consent(
                        ConsentPurpose.valueOf(r.getPurpose()),
                        r.getGranted(),
                        r.getPolicyVersion(),
                        r.getChangedAt().toInstant()));
    Map<ConsentPurpose, Consent> current = new EnumMap<>(ConsentPurpose.class);
    for (ConsentPurpose purpose : ConsentPurpose.values()) {
      current.put(purpose, new Consent(purpose, false, null, null));
    }
    db.selectFrom(CONSENT)
        .where(CONSENT.SUBJECT_ID.eq(query.subjectId()))
        .forEach(
            r -> {
              ConsentPurpose purpose = ConsentPurpose.valueOf(r.getPurpose());
              current.put(
                  purpose,
                  new Consent(
                      purpose, r.getGranted(), r.getPolicyVersion(), r.getChangedAt().toInstant()));
            });
    return new ConsentsView(new ArrayList<>(current.values()), history);
  }
}
