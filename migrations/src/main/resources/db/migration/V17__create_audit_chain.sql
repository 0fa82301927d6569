-- The audit hash chain (ADR 0013): one row per event the single-segment "audit-chain" processor has
-- covered, in the order it received them. position is dense (1, 2, 3, …): a legitimate hole in
-- domain_event_entry.global_index is never in the chain, and an event that fills a gap late gets a
-- later position. hash = SHA-256(previous hash, the stored row's fields); verification recomputes it.
CREATE TABLE audit_chain (
    position     BIGINT NOT NULL,
    global_index BIGINT NOT NULL,
    hash         BYTEA  NOT NULL,
    CONSTRAINT audit_chain_pk PRIMARY KEY (position),
    CONSTRAINT audit_chain_global_index_uq UNIQUE (global_index)
);

-- Every N positions (parley.audit.chain.checkpoint-interval) the chain value is also kept here, with
-- when it was reached: verification checks each one it passes, reports progress by them, and a chain
-- whose tail was cut off below its last checkpoint does not verify.
CREATE TABLE audit_chain_checkpoint (
    position     BIGINT      NOT NULL,
    global_index BIGINT      NOT NULL,
    hash         BYTEA       NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT audit_chain_checkpoint_pk PRIMARY KEY (position)
);
