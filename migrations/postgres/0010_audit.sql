-- The audit log: append-only, each row's hash covers the previous row's hash, so an edited or
-- deleted row breaks the chain. `audit_head` holds the last sequence number and hash; taking
-- it with an UPDATE serialises appenders on PostgreSQL (a row lock) as on SQLite.
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TABLE audit_head (
    id    BIGINT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
