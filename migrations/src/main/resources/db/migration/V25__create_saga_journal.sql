-- The saga journal (axon-support io.parley.axon.saga, read by ops io.parley.ops.saga;
-- docs/ops.md "Sagas"): what Axon's saga store does not keep. Written in the transaction of the
-- saga's own processing; bounded: the last 50 handled events per saga, and a saga's rows are
-- deleted 7 days after it ended (recurring task saga-journal-prune).

-- One row per saga that handled an event since this table exists. started_at: when a
-- @StartSaga handler first journalled it; null for a saga started before this table existed.
CREATE TABLE saga_journal (
    saga_id         VARCHAR(255)             NOT NULL,
    saga_type       VARCHAR(255)             NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    last_handled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT saga_journal_pk PRIMARY KEY (saga_id)
);

CREATE INDEX saga_journal_type_idx ON saga_journal (saga_type, saga_id);
CREATE INDEX saga_journal_ended_idx ON saga_journal (ended_at) WHERE ended_at IS NOT NULL;

-- The events a saga handled: type and position only, never a payload.
CREATE TABLE saga_journal_event (
    saga_id      VARCHAR(255)             NOT NULL,
    global_index BIGINT                   NOT NULL,
    event_type   VARCHAR(255)             NOT NULL,
    handled_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT saga_journal_event_pk PRIMARY KEY (saga_id, global_index),
    CONSTRAINT saga_journal_event_saga_fk FOREIGN KEY (saga_id)
        REFERENCES saga_journal (saga_id) ON DELETE CASCADE
);

-- Which saga scheduled which deadline (db-scheduler's task_instance of task AxonDeadline): its
-- pending deadlines are read by joining scheduled_tasks on its primary key instead of
-- deserialising every deadline's task_data. A row whose task is gone (fired) is ignored by that
-- join and deleted when its saga ends or by the prune task.
CREATE TABLE saga_journal_deadline (
    deadline_id   VARCHAR(255)             NOT NULL,
    saga_id       VARCHAR(255)             NOT NULL,
    deadline_name VARCHAR(255)             NOT NULL,
    scheduled_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT saga_journal_deadline_pk PRIMARY KEY (deadline_id)
);

CREATE INDEX saga_journal_deadline_saga_idx ON saga_journal_deadline (saga_id);
