-- Conversation cards (query-side CardProjection, processor `cards`). One row per card, from its
-- request (PENDING) to its outcome (READY or FAILED). `number` is the card's number within its
-- conversation (1, 2, 3, … assigned by the conversation): the list's order and cursor. `title` and
-- `caption` are personal data of every contributor: NULL with `erased` once any of them is erased
-- or their messages expire. `artwork_svg` is drawn from rarity, sentiment and the window's hash:
-- it holds no text.
CREATE TABLE card (
    card_id          UUID          NOT NULL,
    conversation_id  UUID          NOT NULL,
    number           BIGINT        NOT NULL,
    trigger          VARCHAR(16)   NOT NULL,
    requested_by     VARCHAR(64),
    status           VARCHAR(16)   NOT NULL,
    failure_reason   VARCHAR(32),
    rarity           VARCHAR(16),
    polarity         NUMERIC(4, 3),
    confidence       NUMERIC(4, 3),
    title            VARCHAR(200),
    caption          VARCHAR(1000),
    message_count    INTEGER       NOT NULL DEFAULT 0,
    window_hash      CHAR(64),
    artwork_svg      TEXT,
    provider         VARCHAR(64),
    model            VARCHAR(200),
    fallback_reason  VARCHAR(64),
    reused_from      UUID,
    requested_at     TIMESTAMPTZ   NOT NULL,
    generated_at     TIMESTAMPTZ,
    erased           BOOLEAN       NOT NULL DEFAULT FALSE,
    CONSTRAINT card_pk PRIMARY KEY (card_id),
    CONSTRAINT card_number_uq UNIQUE (conversation_id, number)
);

-- The pending-cards gauge.
CREATE INDEX card_pending_idx ON card (requested_at) WHERE status = 'PENDING';
-- The provenance ledger's reuse rule: an earlier READY card of the same window and provider.
CREATE INDEX card_reuse_idx ON card (window_hash, provider, model)
    WHERE status = 'READY' AND NOT erased;
-- Retention: cards made before a cutoff lose their text.
CREATE INDEX card_generated_at_idx ON card (generated_at) WHERE NOT erased;

-- Whose messages each card drew on: erasure (which cards lose their text) and the export's
-- `cards` section.
CREATE TABLE card_contributor (
    card_id     UUID         NOT NULL,
    subject_id  VARCHAR(64)  NOT NULL,
    CONSTRAINT card_contributor_pk PRIMARY KEY (card_id, subject_id)
);
CREATE INDEX card_contributor_subject_idx ON card_contributor (subject_id);

-- The provenance ledger as a table: every external provider call made for a card (one row per
-- card per call; a batched call appears on each of its cards). Never the prompt or the answer.
CREATE TABLE card_provider_call (
    call_id            UUID          NOT NULL,
    card_id            UUID          NOT NULL,
    provider           VARCHAR(64)   NOT NULL,
    model              VARCHAR(200)  NOT NULL,
    prompt_sha256      CHAR(64)      NOT NULL,
    latency_ms         BIGINT        NOT NULL,
    outcome            VARCHAR(32)   NOT NULL,
    prompt_tokens      INTEGER       NOT NULL,
    completion_tokens  INTEGER       NOT NULL,
    batch_size         INTEGER       NOT NULL,
    called_at          TIMESTAMPTZ   NOT NULL,
    CONSTRAINT card_provider_call_pk PRIMARY KEY (call_id, card_id)
);
CREATE INDEX card_provider_call_card_idx ON card_provider_call (card_id);
