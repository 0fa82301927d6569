-- Per-sender send rate limit, shared by every node (infra JooqSendRateLimiter). One row per
-- (conversation, sender) holding the generic cell rate algorithm's "theoretical arrival time": a
-- send is allowed while theoretical_arrival - now stays within the period. Rows whose time has
-- passed are equivalent to no row and are deleted by a recurring task.
CREATE TABLE send_rate_limit (
    conversation_id     UUID         NOT NULL,
    sender_id           VARCHAR(64)  NOT NULL,
    theoretical_arrival TIMESTAMPTZ  NOT NULL,
    CONSTRAINT send_rate_limit_pk PRIMARY KEY (conversation_id, sender_id)
);

CREATE INDEX send_rate_limit_arrival_idx ON send_rate_limit (theoretical_arrival);
