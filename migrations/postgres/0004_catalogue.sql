-- The procedure catalogue: fields, the agency tree's details, versioned procedures, holidays.

ALTER TABLE agencies ADD COLUMN level TEXT NOT NULL DEFAULT 'commune';
ALTER TABLE agencies ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN hours TEXT NOT NULL DEFAULT '';

CREATE TABLE fields (
    code     TEXT PRIMARY KEY,
    name_vi  TEXT NOT NULL,
    name_en  TEXT NOT NULL
);

-- One row per procedure; the columns repeat the published version's data for listing and
-- searching (search_text is folded: lower case, no diacritics, đ → d).
CREATE TABLE procedures (
    id                    TEXT PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE,
    published_version_id  TEXT,
    name_vi               TEXT NOT NULL,
    name_en               TEXT NOT NULL,
    field_code            TEXT NOT NULL REFERENCES fields (code),
    level                 TEXT NOT NULL,
    online                TEXT NOT NULL,
    processing_days       BIGINT NOT NULL,
    search_text           TEXT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX procedures_field ON procedures (field_code);

-- Every version of a procedure. A dossier keeps the version it was filed under; a draft is
-- invisible to the public; publishing supersedes the previous published version.
CREATE TABLE procedure_versions (
    id            TEXT PRIMARY KEY,
    procedure_id  TEXT NOT NULL REFERENCES procedures (id),
    version       BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
    definition    TEXT NOT NULL,                -- JSON (domain::procedure::ProcedureDef)
    created_at    BIGINT NOT NULL,
    published_at  BIGINT,
    UNIQUE (procedure_id, version)
);

-- Which units receive and decide each procedure (published version), for filtering.
CREATE TABLE procedure_agencies (
    procedure_id  TEXT NOT NULL REFERENCES procedures (id) ON DELETE CASCADE,
    agency_id     TEXT NOT NULL REFERENCES agencies (id),
    relation      TEXT NOT NULL CHECK (relation IN ('receiving', 'deciding')),
    PRIMARY KEY (procedure_id, agency_id, relation)
);
CREATE INDEX procedure_agencies_agency ON procedure_agencies (agency_id);

-- Public holidays and compensatory days off; admins edit them. Dates are YYYY-MM-DD.
CREATE TABLE holidays (
    day           TEXT PRIMARY KEY,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    compensatory  BIGINT NOT NULL DEFAULT 0
);
-- Saturdays or Sundays that are working days (made up for a bridged holiday).
CREATE TABLE extra_working_days (
    day       TEXT PRIMARY KEY,
    note      TEXT NOT NULL DEFAULT ''
);
