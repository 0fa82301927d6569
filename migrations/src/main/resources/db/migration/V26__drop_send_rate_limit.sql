-- The send rate limit is now state of the conversation aggregate, changed by its message events
-- (ADR 0020): no table is written per send any more. Its table goes, and so does the row of its
-- hourly cleanup task in db-scheduler's table (no node runs that task any more; db-scheduler would
-- otherwise warn about it as unresolved until it deleted it on its own).
DROP TABLE send_rate_limit;

DELETE FROM scheduled_tasks WHERE task_name = 'send-rate-limit-cleanup';
