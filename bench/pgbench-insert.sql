-- pgbench baseline for Parley's message path: one single-row INSERT per transaction into a table
-- shaped like Axon's domain_event_entry (varchar identifiers, ~300-byte payload, ~100-byte
-- metadata, the same unique keys). Table: see bench/run-benchmark.sh (schema bench_baseline).
-- Run with -D conversations=M so the aggregate ids spread like the Parley run.
\set agg random(1, :conversations)
INSERT INTO bench_baseline.event_entry
    (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
     payload_type, payload_revision, payload, meta_data)
VALUES
    (gen_random_uuid()::text, 'conversation-' || :agg, nextval('bench_baseline.event_seq'),
     'ConversationAggregate', now()::text, 'io.parley.api.conversation.MessageSentEvent', NULL,
     convert_to(repeat('{"text":"The quick brown fox jumps over the lazy dog."}', 6), 'UTF8'),
     convert_to(repeat('{"correlationId":"x"}', 5), 'UTF8'));
