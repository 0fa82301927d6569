-- Replays asked for through the operations API (POST /api/v1/ops/processors/{name}/replay), one
-- row per processor: its latest replay. Every node polls the unfinished rows: it stops its copy of
-- the processor (releasing its segments), one node resets the tokens (the projection's reset
-- handler clears its tables) and records reset_at, then every node starts the processor again and
-- the first to see no replay token left records finished_at (ops.processor.ReplayCoordinator).
CREATE TABLE processor_replay (
    processor_name VARCHAR(255)  NOT NULL,
    requested_at   TIMESTAMPTZ   NOT NULL,
    -- The operator's id (the JWT sub of the OPS token), as the log line of the request says.
    requested_by   VARCHAR(64)   NOT NULL,
    -- When the tokens were reset: the replay's start. NULL while nodes are still stopping.
    reset_at       TIMESTAMPTZ,
    -- The store's head at the reset: where the replay ends and normal processing resumes.
    end_position   BIGINT,
    finished_at    TIMESTAMPTZ,
    CONSTRAINT processor_replay_pk PRIMARY KEY (processor_name)
);
