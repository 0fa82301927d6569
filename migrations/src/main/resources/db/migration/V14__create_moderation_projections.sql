-- Moderator queue (query-side ModerationProjection): one row per flag. `queue_position` orders the
-- queue in the order flags were raised and is the page cursor. `reason` and `note` are the
-- flagger's words: NULL once erased or expired (flag evidence retention).
CREATE TABLE moderation_flag (
    flag_id            UUID          NOT NULL,
    queue_position     BIGINT        GENERATED ALWAYS AS IDENTITY,
    message_id         UUID          NOT NULL,
    conversation_id    UUID          NOT NULL,
    message_sender_id  VARCHAR(64)   NOT NULL,
    source             VARCHAR(16)   NOT NULL,
    flagger_id         VARCHAR(64),
    reason             VARCHAR(100),
    note               VARCHAR(2000),
    toxicity           NUMERIC(4, 3) NOT NULL,
    status             VARCHAR(16)   NOT NULL,
    outcome            VARCHAR(16),
    reviewer_id        VARCHAR(64),
    raised_at          TIMESTAMPTZ   NOT NULL,
    review_started_at  TIMESTAMPTZ,
    resolved_at        TIMESTAMPTZ,
    CONSTRAINT moderation_flag_pk PRIMARY KEY (flag_id),
    CONSTRAINT moderation_flag_queue_position_uq UNIQUE (queue_position)
);

CREATE INDEX moderation_flag_status_idx ON moderation_flag (status, queue_position);
CREATE INDEX moderation_flag_flagger_idx ON moderation_flag (flagger_id);
CREATE INDEX moderation_flag_sender_idx ON moderation_flag (message_sender_id);

-- Blocked messages, for audit and the sender's export; never shown in a timeline. `text` is NULL
-- once erased or expired (blocked message retention, 30 days by default).
CREATE TABLE blocked_message (
    message_id      UUID          NOT NULL,
    conversation_id UUID          NOT NULL,
    sender_id       VARCHAR(64)   NOT NULL,
    text            VARCHAR(10000),
    toxicity        NUMERIC(4, 3) NOT NULL,
    scorer          VARCHAR(64)   NOT NULL,
    blocked_at      TIMESTAMPTZ   NOT NULL,
    erased          BOOLEAN       NOT NULL DEFAULT FALSE,
    CONSTRAINT blocked_message_pk PRIMARY KEY (message_id)
);

CREATE INDEX blocked_message_sender_idx ON blocked_message (sender_id);
CREATE INDEX blocked_message_blocked_at_idx ON blocked_message (blocked_at) WHERE NOT erased;

-- A message removed by an upheld flag stays in the table (audit, the sender's export) but is
-- absent from every timeline read.
ALTER TABLE timeline_message ADD COLUMN removed BOOLEAN NOT NULL DEFAULT FALSE;
