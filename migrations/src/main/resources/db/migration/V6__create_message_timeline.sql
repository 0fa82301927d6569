-- Read model of a conversation's timeline (query-side TimelineProjection). `position` is the
-- message's number within its conversation, assigned by the aggregate: gap-free, it orders the
-- timeline and is the cursor.
CREATE TABLE timeline_message (
    message_id      UUID           NOT NULL,
    conversation_id UUID           NOT NULL,
    position        BIGINT         NOT NULL,
    sender_id       VARCHAR(64)    NOT NULL,
    text            VARCHAR(10000),
    sent_at         TIMESTAMPTZ    NOT NULL,
    verdict         VARCHAR(16)    NOT NULL,
    toxicity        NUMERIC(4, 3)  NOT NULL,
    erased          BOOLEAN        NOT NULL DEFAULT FALSE,
    CONSTRAINT timeline_message_pk PRIMARY KEY (message_id),
    CONSTRAINT timeline_message_position_uq UNIQUE (conversation_id, position)
);
