-- Outcomes of commands sent with an Idempotency-Key header (API.md: a retry returns the first
-- outcome and produces no second event; infra IdempotencyKeyInterceptor). The row is inserted in
-- the command's own transaction before the handler runs, so it commits or rolls back with the
-- command's events, and a concurrent duplicate waits on its key until the first one has finished.
-- scope is the command's name and the request path: one key may name one operation per path.
-- Rows older than parley.idempotency-key-retention are deleted by a recurring task.
CREATE TABLE idempotent_command (
    actor_id        VARCHAR(64)   NOT NULL,
    scope           VARCHAR(512)  NOT NULL,
    idempotency_key VARCHAR(128)  NOT NULL,
    result_type     VARCHAR(255),
    result_revision VARCHAR(64),
    result          BYTEA,
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT idempotent_command_pk PRIMARY KEY (actor_id, scope, idempotency_key)
);

CREATE INDEX idempotent_command_created_idx ON idempotent_command (created_at);

-- The registry of clientMessageIds now expires on the same schedule (it grew without bound
-- before). Not CONCURRENTLY: Flyway's transactional advisory lock makes a concurrent build wait
-- for Flyway itself. On a large client_message table, build this index by hand with CONCURRENTLY
-- before upgrading (docs/runbooks/run-in-production.md); IF NOT EXISTS then skips it here.
CREATE INDEX IF NOT EXISTS client_message_created_idx ON client_message (created_at);
