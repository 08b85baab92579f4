-- Satisfaction ratings and feedback (phản ánh, kiến nghị). Numbered 0030+ apart from the
-- statistics work so the two branches never clash.

-- One rating per dossier, each criterion 1 (not satisfied), 2 (satisfied), 3 (very satisfied).
-- The receiving unit and procedure are copied so statistics aggregate without joins.
CREATE TABLE ratings (
    id            TEXT PRIMARY KEY,
    dossier_id    TEXT NOT NULL UNIQUE REFERENCES dossiers (id) ON DELETE CASCADE,
    agency_code   TEXT NOT NULL,                 -- the dossier's receiving unit (national code)
    procedure_id  TEXT NOT NULL REFERENCES procedures (id),
    channel       TEXT NOT NULL CHECK (channel IN ('account', 'kiosk')),
    reception     SMALLINT NOT NULL CHECK (reception BETWEEN 1 AND 3),
    timing        SMALLINT NOT NULL CHECK (timing BETWEEN 1 AND 3),
    attitude      SMALLINT NOT NULL CHECK (attitude BETWEEN 1 AND 3),
    correctness   SMALLINT NOT NULL CHECK (correctness BETWEEN 1 AND 3),
    comment       TEXT NOT NULL DEFAULT '',
    rated_by      TEXT REFERENCES users (id),    -- NULL at the kiosk
    created_at    BIGINT NOT NULL
);
CREATE INDEX ratings_unit ON ratings (agency_code, created_at);
CREATE INDEX ratings_procedure ON ratings (procedure_id, created_at);

-- The reminder to rate goes out once per dossier.
ALTER TABLE dossiers ADD COLUMN rating_reminded_at BIGINT;

-- Feedback about a procedure, a unit or one's own dossier, answered by the responsible unit
-- within 10 working days; answered items may be published without personal data.
CREATE TABLE feedback (
    id             TEXT PRIMARY KEY,
    sender_id      TEXT NOT NULL REFERENCES users (id),
    about          TEXT NOT NULL CHECK (about IN ('procedure', 'unit', 'dossier')),
    procedure_id   TEXT REFERENCES procedures (id),
    dossier_id     TEXT REFERENCES dossiers (id) ON DELETE SET NULL,
    agency_id      TEXT NOT NULL REFERENCES agencies (id),   -- the responsible unit
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    due_at         BIGINT NOT NULL,
    answer         TEXT NOT NULL DEFAULT '',
    answered_at    BIGINT,
    answered_by    TEXT REFERENCES users (id),
    overdue_at     BIGINT,
    published_at   BIGINT,
    public_subject TEXT NOT NULL DEFAULT '',
    public_body    TEXT NOT NULL DEFAULT '',
    public_answer  TEXT NOT NULL DEFAULT '',
    public_search  TEXT NOT NULL DEFAULT ''  -- the three, folded (domain::search::fold)
);
CREATE INDEX feedback_unit ON feedback (agency_id, created_at);
CREATE INDEX feedback_sender ON feedback (sender_id, created_at);
CREATE INDEX feedback_published ON feedback (published_at);
