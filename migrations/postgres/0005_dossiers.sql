-- Dossiers (hồ sơ): drafts, submission, the timeline, scans and the document store.

-- Every file a person uploaded or received; attached again to new dossiers without
-- re-uploading. The bytes live in the blob store under `blob_key` (the SHA-256 in hex).
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    owner_id     TEXT NOT NULL REFERENCES users (id),
    blob_key     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    media_type   TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('upload', 'result')),
    created_at   BIGINT NOT NULL
);
CREATE INDEX documents_owner ON documents (owner_id, created_at);
CREATE INDEX documents_blob ON documents (blob_key);

CREATE TABLE dossiers (
    id                  TEXT PRIMARY KEY,
    code                TEXT UNIQUE,                  -- given at submission
    procedure_id        TEXT NOT NULL REFERENCES procedures (id),
    version_id          TEXT NOT NULL REFERENCES procedure_versions (id),
    applicant_id        TEXT NOT NULL REFERENCES users (id),
    organisation_id     TEXT REFERENCES organisations (id),
    receiving_agency    TEXT NOT NULL,                -- national unit code
    state               TEXT NOT NULL,                -- domain::dossier_status::DossierState (JSON)
    national_status     BIGINT,                       -- 1–10, NULL for a draft
    form_values         TEXT NOT NULL,                -- JSON: field key → value as typed
    delivery            TEXT NOT NULL DEFAULT '',
    delivery_address    TEXT NOT NULL DEFAULT '',
    lookup_secret       TEXT,
    submit_token        TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    submitted_at        BIGINT,
    due_at              BIGINT
);
CREATE INDEX dossiers_applicant ON dossiers (applicant_id, updated_at);
CREATE INDEX dossiers_organisation ON dossiers (organisation_id, updated_at);
CREATE INDEX dossiers_state ON dossiers (national_status, receiving_agency);

-- The scans of a dossier, by paper (index into the version's papers).
CREATE TABLE dossier_files (
    id            TEXT PRIMARY KEY,
    dossier_id    TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    paper_index   BIGINT NOT NULL,
    document_id   TEXT NOT NULL REFERENCES documents (id),
    added_at      BIGINT NOT NULL
);
CREATE INDEX dossier_files_dossier ON dossier_files (dossier_id, paper_index);

-- The timeline (process-control log): one row per change, written with the change.
CREATE TABLE dossier_events (
    id          TEXT PRIMARY KEY,
    dossier_id  TEXT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    actor_id    TEXT REFERENCES users (id),
    kind        TEXT NOT NULL,
    state_from  TEXT,
    state_to    TEXT,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, at);

-- The daily sequence behind dossier codes, per receiving unit and day (YYMMDD, Vietnam
-- time). Incremented in the submitting transaction, so codes are unique and gap-free.
CREATE TABLE dossier_sequences (
    unit_code  TEXT NOT NULL,
    day        TEXT NOT NULL,
    last_seq   BIGINT NOT NULL,
    PRIMARY KEY (unit_code, day)
);
