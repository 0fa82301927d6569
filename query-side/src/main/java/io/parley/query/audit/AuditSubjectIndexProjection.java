package io.parley.query.audit;

import static io.parley.migrations.jooq.Tables.AUDIT_SUBJECT_EVENT;

import io.parley.api.conversation.ConversationLimits;
import io.parley.query.PerBatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * The subject index of the audit replay ({@code audit_subject_event}): for every event, the data
 * subjects it concerns, by global index. A subject is the event's {@code actor} (metadata) or the
 * subject of one of its {@code @PersonalData} fields (the component their {@code subject} attribute
 * names). The subject is recorded whether or not the field still reads (an erased field's owner is
 * in clear), so replaying after erasure rebuilds the same rows. A batch's rows are inserted in one
 * statement ({@link PerBatch}).
 */
@Component
@ProcessingGroup(AuditSubjectIndexProjection.PROCESSING_GROUP)
public class AuditSubjectIndexProjection {

  public static final String PROCESSING_GROUP = "audit-subjects";
  static final String ACTOR = "actor";

  private static final String BATCH = AuditSubjectIndexProjection.class.getName() + ".batch";

  private final DSLContext db;

  public AuditSubjectIndexProjection(DSLContext db) {
    this.db = db;
  }

  @EventHandler
  void on(Object payload, EventMessage<?> message, TrackingToken token, UnitOfWork<?> unitOfWork) {
    long globalIndex =
        token
            .position()
            .orElseThrow(() -> new IllegalStateException("A token without a position: " + token));
    Set<String> subjects = subjectsOf(payload, message);
    if (subjects.isEmpty()) {
      return;
    }
    List<SubjectEvent> batch = PerBatch.of(unitOfWork, BATCH, ArrayList::new, this::insert);
    subjects.forEach(subject -> batch.add(new SubjectEvent(subject, globalIndex)));
  }

  /** One statement for the batch; rows already there (a redelivered event) are left alone. */
  private void insert(List<SubjectEvent> rows) {
    if (rows.isEmpty()) {
      return;
    }
    var insert =
        db.insertInto(
            AUDIT_SUBJECT_EVENT, AUDIT_SUBJECT_EVENT.SUBJECT_ID, AUDIT_SUBJECT_EVENT.GLOBAL_INDEX);
    for (SubjectEvent row : rows) {
      insert = insert.values(row.subject(), row.globalIndex());
    }
    insert.onConflictDoNothing().execute();
  }

  private record SubjectEvent(String subject, long globalIndex) {}

  /** The user ids an event concerns: its actor and the owners of its personal fields. */
  static Set<String> subjectsOf(Object payload, EventMessage<?> message) {
    Set<String> subjects = new LinkedHashSet<>();
    add(subjects, message.getMetaData().get(ACTOR));
    for (PersonalFields.Field field : PersonalFields.of(payload.getClass())) {
      for (String subject : field.subjectsOf(payload)) {
        add(subjects, subject);
      }
    }
    return subjects;
  }

  private static void add(Set<String> subjects, Object id) {
    // Only ids the endpoint's subjectId can ask for (1..64 of [A-Za-z0-9._@-]) fit the column.
    if (id instanceof String s && ConversationLimits.isValidUserId(s)) {
      subjects.add(s);
    }
  }

  @ResetHandler
  void reset() {
    db.truncate(AUDIT_SUBJECT_EVENT).execute();
  }
}
