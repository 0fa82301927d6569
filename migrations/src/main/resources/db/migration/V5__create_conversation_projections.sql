-- Read models of the conversation list and conversation detail (query-side ConversationProjection).
CREATE TABLE conversation_summary (
    conversation_id UUID          NOT NULL,
    title           VARCHAR(200)  NOT NULL,
    owner_id        VARCHAR(64)   NOT NULL,
    created_at      TIMESTAMPTZ   NOT NULL,
    message_count   BIGINT        NOT NULL DEFAULT 0,
    last_message_at TIMESTAMPTZ,
    warn_threshold  NUMERIC(4, 3) NOT NULL,
    block_threshold NUMERIC(4, 3) NOT NULL,
    CONSTRAINT conversation_summary_pk PRIMARY KEY (conversation_id)
);

CREATE TABLE conversation_participant (
    conversation_id UUID        NOT NULL,
    user_id         VARCHAR(64) NOT NULL,
    joined_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT conversation_participant_pk PRIMARY KEY (conversation_id, user_id)
);

-- "The caller's conversations": participant -> conversations.
CREATE INDEX conversation_participant_user_idx ON conversation_participant (user_id, conversation_id);
