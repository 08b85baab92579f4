-- The internal workflow: where a received dossier is now (its current step, that step's unit
-- and role, and deadline), every step's history (the process-control log), and the result.
ALTER TABLE dossiers ADD COLUMN current_step BIGINT;
ALTER TABLE dossiers ADD COLUMN step_agency TEXT;
ALTER TABLE dossiers ADD COLUMN step_role TEXT;
ALTER TABLE dossiers ADD COLUMN step_due_at BIGINT;
-- the issued result, kept until it is returned (then it enters the applicant's documents)
ALTER TABLE dossiers ADD COLUMN result_blob_key TEXT;
ALTER TABLE dossiers ADD COLUMN result_sha256 TEXT;
ALTER TABLE dossiers ADD COLUMN result_size BIGINT;
ALTER TABLE dossiers ADD COLUMN result_file_name TEXT;
ALTER TABLE dossiers ADD COLUMN result_document_id TEXT;
CREATE INDEX dossiers_work ON dossiers (step_agency, step_role);

CREATE TABLE dossier_steps (
    id           TEXT PRIMARY KEY,
    dossier_id   TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    step_index   BIGINT NOT NULL,
    agency_code  TEXT NOT NULL,
    role         TEXT NOT NULL,
    started_at   BIGINT NOT NULL,
    due_at       BIGINT,
    finished_at  BIGINT,
    outcome      TEXT,
    actor_id     TEXT REFERENCES users (id),
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dossier_steps_dossier ON dossier_steps (dossier_id, started_at);
