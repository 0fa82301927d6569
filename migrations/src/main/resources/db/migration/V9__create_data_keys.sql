-- Crypto-shredding (ADR 0007). One AES-256 data key per (data subject, category, month), wrapped
-- (AES-GCM) by a master key from configuration. Deleting a row makes every field encrypted under
-- it unrecoverable: erasure deletes all of a subject's rows, retention deletes expired months.
CREATE TABLE data_key (
    subject_id    VARCHAR(64) NOT NULL,
    category      VARCHAR(32) NOT NULL,
    period        CHAR(7)     NOT NULL, -- yyyy-MM; '0000-00' for categories that never expire
    wrapped_key   BYTEA       NOT NULL,
    master_key_id VARCHAR(64) NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT data_key_pk PRIMARY KEY (subject_id, category, period)
);

CREATE INDEX data_key_expiry_idx ON data_key (category, period);
CREATE INDEX data_key_master_key_idx ON data_key (master_key_id);
