-- The rest of the back office: generated results that a QR code verifies, how a result was
-- handed over, apologies with a new appointment (once), warnings before a deadline,
-- counter intake and delegation of signing.
ALTER TABLE dossiers ADD COLUMN result_verify_token TEXT;
ALTER TABLE dossiers ADD COLUMN result_issued_at BIGINT;
ALTER TABLE dossiers ADD COLUMN returned_via TEXT;          -- electronic | post | desk
ALTER TABLE dossiers ADD COLUMN return_detail TEXT NOT NULL DEFAULT '';  -- tracking no. or collector
ALTER TABLE dossiers ADD COLUMN original_due_at BIGINT;     -- set when rescheduled (once)
ALTER TABLE dossiers ADD COLUMN apology TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'online';  -- online | desk
ALTER TABLE dossiers ADD COLUMN filed_by TEXT REFERENCES users (id);     -- the desk officer at the counter
CREATE UNIQUE INDEX dossiers_verify ON dossiers (result_verify_token);
ALTER TABLE dossier_steps ADD COLUMN warned_at BIGINT;

-- A leader delegates signing to a deputy of the same unit for a period.
CREATE TABLE delegations (
    id          TEXT PRIMARY KEY,
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    leader_id   TEXT NOT NULL REFERENCES users (id),
    deputy_id   TEXT NOT NULL REFERENCES users (id),
    starts_at   BIGINT NOT NULL,
    ends_at     BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX delegations_deputy ON delegations (deputy_id, agency_id);
