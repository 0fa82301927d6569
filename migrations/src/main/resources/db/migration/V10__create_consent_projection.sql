-- Consent read model (query-side ConsentProjection): the current state and the full history.
CREATE TABLE consent (
    subject_id     VARCHAR(64)  NOT NULL,
    purpose        VARCHAR(32)  NOT NULL,
    granted        BOOLEAN      NOT NULL,
    policy_version VARCHAR(64)  NOT NULL,
    changed_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT consent_pk PRIMARY KEY (subject_id, purpose)
);

CREATE TABLE consent_history (
    event_id       VARCHAR(64)  NOT NULL,
    subject_id     VARCHAR(64)  NOT NULL,
    purpose        VARCHAR(32)  NOT NULL,
    granted        BOOLEAN      NOT NULL,
    policy_version VARCHAR(64)  NOT NULL,
    changed_at     TIMESTAMPTZ  NOT NULL,
    CONSTRAINT consent_history_pk PRIMARY KEY (event_id)
);
CREATE INDEX consent_history_subject_idx ON consent_history (subject_id, changed_at);
