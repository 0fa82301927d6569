-- Idempotency of `clientMessageId`: written in the same transaction as the MessageSentEvent, so a
-- retry finds the first outcome and appends nothing. Read by the command side only.
CREATE TABLE client_message (
    conversation_id   UUID          NOT NULL,
    sender_id         VARCHAR(64)   NOT NULL,
    client_message_id VARCHAR(128)  NOT NULL,
    message_id        UUID          NOT NULL,
    verdict           VARCHAR(16)   NOT NULL,
    toxicity          NUMERIC(4, 3) NOT NULL,
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT client_message_pk PRIMARY KEY (conversation_id, sender_id, client_message_id)
);
