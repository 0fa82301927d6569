-- The audit replay's subject index (query-side AuditSubjectIndexProjection): which events concern
-- which data subject, by global index of domain_event_entry. A subject is the event's actor (its
-- metadata) or the owner of one of its @PersonalData fields. GET /api/v1/audit/events?subjectId=
-- joins this table instead of scanning the store. Rebuilt by replaying its processor.
CREATE TABLE audit_subject_event (
    subject_id   VARCHAR(64) NOT NULL,
    global_index BIGINT      NOT NULL,
    CONSTRAINT audit_subject_event_pk PRIMARY KEY (subject_id, global_index)
);
