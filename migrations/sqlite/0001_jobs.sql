-- The outbox / job queue: work that outlives a request (emails, sweeps, reconciliation).
-- A job is claimed by one worker at a time (lease), runs at least once and is idempotent.
CREATE TABLE jobs (
    id            TEXT PRIMARY KEY,              -- UUIDv7
    kind          TEXT NOT NULL,                 -- e.g. 'send_email'
    payload       TEXT NOT NULL,                 -- JSON
    run_at        BIGINT NOT NULL,               -- unix microseconds (UTC)
    attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT,                        -- lease end, unix microseconds
    last_error    TEXT,
    done_at       BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (done_at, run_at);
