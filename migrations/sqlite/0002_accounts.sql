-- Accounts, sessions and the tokens sent by email. Instants are unix microseconds (UTC).

-- Agency units (a tree of any depth). The catalogue migration extends this table.
CREATE TABLE agencies (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,          -- national agency code, e.g. 000.00.01.H26
    name_vi     TEXT NOT NULL,
    name_en     TEXT,
    parent_id   TEXT REFERENCES agencies (id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('citizen', 'officer')),
    email               TEXT NOT NULL UNIQUE,   -- lower-cased
    full_name           TEXT NOT NULL,
    phone               TEXT,
    citizen_id          TEXT UNIQUE,            -- CCCD, 12 digits
    postal_address      TEXT,
    password_hash       TEXT NOT NULL,
    email_verified_at   BIGINT,
    totp_secret         TEXT,                   -- base32; set at enrolment
    totp_enabled_at     BIGINT,
    failed_logins       BIGINT NOT NULL DEFAULT 0,
    locked_until        BIGINT,
    disabled_at         BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

-- Officer roles, each scoped to an agency unit (NULL only for system_admin).
CREATE TABLE officer_roles (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('desk_officer', 'specialist', 'leader', 'clerk', 'agency_admin', 'system_admin')),
    agency_id   TEXT REFERENCES agencies (id),
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX officer_roles_unique ON officer_roles (user_id, role, COALESCE(agency_id, ''));

CREATE TABLE recovery_codes (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL,                 -- SHA-256 hex
    used_at     BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Server-side sessions; the cookie holds a random token, the table its SHA-256.
CREATE TABLE sessions (
    id              TEXT PRIMARY KEY,          -- SHA-256 hex of the cookie token
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    mfa_pending     BIGINT NOT NULL DEFAULT 0, -- 1 while an officer still owes the TOTP code
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,           -- absolute expiry
    ip              TEXT,
    user_agent      TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Single-use links sent by email (verification, password reset, invitations).
CREATE TABLE email_tokens (
    id          TEXT PRIMARY KEY,              -- SHA-256 hex of the token in the link
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'org_invite')),
    payload     TEXT,                          -- JSON for invitations
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Recent attempts per key (sliding-window rate limits shared by every server process).
CREATE TABLE rate_limit_hits (
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX rate_limit_hits_key ON rate_limit_hits (key, at);
