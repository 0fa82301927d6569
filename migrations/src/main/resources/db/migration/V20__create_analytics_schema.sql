-- Analytics (query-side AnalyticsProjection, ADR 0015, docs/analytics.md): daily counts of the
-- activity of data subjects who had granted ANALYTICS when it happened, read by analysts with SQL
-- through the role parley_analytics. This schema holds counts only: never text, titles or user ids.
CREATE SCHEMA analytics;

-- One row per conversation and UTC day with counted activity. messages_sent counts delivered
-- messages (ALLOWED and WARNED), messages_warned the WARNED among them, messages_blocked the
-- messages blocked instead of delivered (not part of messages_sent).
CREATE TABLE analytics.conversation_daily (
    day              DATE    NOT NULL,
    conversation_id  UUID    NOT NULL,
    messages_sent    INTEGER NOT NULL DEFAULT 0,
    messages_warned  INTEGER NOT NULL DEFAULT 0,
    messages_blocked INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT conversation_daily_pk PRIMARY KEY (day, conversation_id)
);
CREATE INDEX conversation_daily_conversation_idx ON analytics.conversation_daily (conversation_id);

-- Flags by the UTC day they were raised, their source (USER, AUTO) and their outcome (UPHELD,
-- DISMISSED, or UNRESOLVED while no moderator has decided): a flag moves from UNRESOLVED to its
-- outcome's row when it is resolved. median_resolution_seconds: from raised to resolved, over the
-- row's flags; NULL for UNRESOLVED.
CREATE TABLE analytics.moderation_daily (
    day                       DATE    NOT NULL,
    source                    TEXT    NOT NULL,
    outcome                   TEXT    NOT NULL,
    flags                     INTEGER NOT NULL,
    median_resolution_seconds NUMERIC,
    CONSTRAINT moderation_daily_pk PRIMARY KEY (day, source, outcome)
);

-- Cards generated per UTC day and rarity. Empty until cards exist (the cards issue adds their
-- events; the projection fills this table then).
CREATE TABLE analytics.card_daily (
    day    DATE    NOT NULL,
    rarity TEXT    NOT NULL,
    cards  INTEGER NOT NULL,
    CONSTRAINT card_daily_pk PRIMARY KEY (day, rarity)
);

-- The projection's private working state, outside the analytics schema (parley_analytics cannot
-- read it). analytics_consent: the subjects who have granted ANALYTICS, as the projection saw the
-- consent events in stream order (user ids: a row goes on withdrawal and on erasure).
CREATE TABLE analytics_consent (
    subject_id VARCHAR(64) NOT NULL,
    CONSTRAINT analytics_consent_pk PRIMARY KEY (subject_id)
);

-- The messages already counted (by id, no user id): a redelivered event is not counted twice.
CREATE TABLE analytics_counted_message (
    message_id UUID NOT NULL,
    day        DATE NOT NULL,
    CONSTRAINT analytics_counted_message_pk PRIMARY KEY (message_id)
);

-- The flags counted (no user id), with what moderation_daily is computed from: its day, source, and
-- once resolved its outcome and time to resolution (the median needs every value of its group).
CREATE TABLE analytics_counted_flag (
    flag_id            UUID    NOT NULL,
    day                DATE    NOT NULL,
    source             TEXT    NOT NULL,
    outcome            TEXT,
    resolution_seconds NUMERIC,
    CONSTRAINT analytics_counted_flag_pk PRIMARY KEY (flag_id)
);
CREATE INDEX analytics_counted_flag_group_idx ON analytics_counted_flag (day, source);

-- Nothing of the working state is anyone else's to read (no grant to PUBLIC exists by default; this
-- says so where the tables are made).
REVOKE ALL ON analytics_consent, analytics_counted_message, analytics_counted_flag FROM PUBLIC;

-- The read-only role of analysts: USAGE on the schema and SELECT on its tables, present and future,
-- and nothing else (it is granted nothing in public). Roles belong to the whole server, which many
-- databases may share (tests do), so it is created only if absent, tolerating a concurrent
-- creation; where this user may not create roles, the migration goes on without it and
-- docs/runbooks/analytics-role.md says what a DBA runs instead.
DO
$$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'parley_analytics') THEN
        BEGIN
            CREATE ROLE parley_analytics NOLOGIN;
        EXCEPTION
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'parley_analytics not created (no CREATEROLE): docs/runbooks/analytics-role.md';
            WHEN duplicate_object OR unique_violation THEN
                NULL; -- created meanwhile by the migration of another database on this server
        END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'parley_analytics') THEN
        GRANT USAGE ON SCHEMA analytics TO parley_analytics;
        GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO parley_analytics;
        ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT SELECT ON TABLES TO parley_analytics;
    END IF;
END
$$;
