-- The API for organisations (issue #10): tokens, idempotency keys, webhooks.

-- API tokens: created by an organisation's owner, shown once; only their SHA-256 is kept.
CREATE TABLE api_tokens (
    id               TEXT PRIMARY KEY,                 -- UUIDv7
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_by       TEXT NOT NULL REFERENCES users (id),
    name             TEXT NOT NULL,
    scope            TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash       TEXT NOT NULL UNIQUE,             -- hex SHA-256 of the token
    prefix           TEXT NOT NULL,                    -- the first characters, to recognise it
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    revoked_at       BIGINT,
    last_used_at     BIGINT
);
CREATE INDEX api_tokens_organisation ON api_tokens (organisation_id, created_at);

-- Idempotency keys of unsafe API calls: the first response is kept and replayed.
CREATE TABLE api_idempotency (
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    idem_key         TEXT NOT NULL,
    fingerprint      TEXT NOT NULL,                    -- SHA-256 of method, path and body
    status           BIGINT,                          -- NULL while the first request runs
    response         TEXT,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, idem_key)
);

-- Webhook endpoints of an organisation.
CREATE TABLE webhook_endpoints (
    id               TEXT PRIMARY KEY,
    organisation_id  TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    url              TEXT NOT NULL,
    secret           TEXT NOT NULL,                    -- HMAC key (needed to sign: kept as is)
    events           TEXT NOT NULL,                    -- ',a,b,' or '*'
    created_by       TEXT NOT NULL REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    disabled_at      BIGINT
);
CREATE INDEX webhook_endpoints_organisation ON webhook_endpoints (organisation_id);

-- One event for one endpoint; written in the transaction of the dossier's change, with the
-- job that delivers it.
CREATE TABLE webhook_deliveries (
    id               TEXT PRIMARY KEY,
    endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id         TEXT NOT NULL,                    -- the same for every endpoint
    event            TEXT NOT NULL,                    -- e.g. 'dossier.received'
    dossier_id       TEXT NOT NULL,
    payload          TEXT NOT NULL,                    -- the JSON body, signed as sent
    status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         BIGINT  NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);

-- Every attempt, as the organisation sees it in the browser.
CREATE TABLE webhook_attempts (
    id               TEXT PRIMARY KEY,
    delivery_id      TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at               BIGINT NOT NULL,
    status_code      BIGINT,                          -- NULL: no answer
    error            TEXT NOT NULL DEFAULT '',
    duration_ms      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at);
