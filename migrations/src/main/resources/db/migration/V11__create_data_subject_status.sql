-- Erasure state per data subject (query-side DataSubjectStatusProjection): exports answer 410
-- once a subject is erased.
CREATE TABLE data_subject_status (
    subject_id   VARCHAR(64) NOT NULL,
    status       VARCHAR(16) NOT NULL, -- ERASURE_PENDING | ERASED | ACTIVE (after a cancel)
    erasure_id   UUID,
    effective_at TIMESTAMPTZ,
    erased_at    TIMESTAMPTZ,
    CONSTRAINT data_subject_status_pk PRIMARY KEY (subject_id)
);
