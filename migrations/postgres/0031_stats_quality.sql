-- Statistics of service quality (issue #8): the papers attached at filing (and how many were
-- reused from the document store) in the daily aggregates, and the citizens' ratings summed
-- per day (Vietnam time), receiving unit, procedure and criterion. Both are rebuilt from the
-- raw rows by the same `stats rebuild` as the rest of `stats_daily`.
ALTER TABLE stats_daily ADD COLUMN filed_digitised BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stats_daily ADD COLUMN papers BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stats_daily ADD COLUMN papers_reused BIGINT NOT NULL DEFAULT 0;

CREATE TABLE stats_ratings_daily (
    day             TEXT NOT NULL,
    agency_code     TEXT NOT NULL,
    procedure_code  TEXT NOT NULL,
    criterion       TEXT NOT NULL CHECK (criterion IN ('reception', 'timing', 'attitude', 'correctness')),
    very_satisfied  BIGINT NOT NULL DEFAULT 0,
    satisfied       BIGINT NOT NULL DEFAULT 0,
    not_satisfied   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agency_code, procedure_code, criterion)
);
CREATE INDEX stats_ratings_daily_agency ON stats_ratings_daily (agency_code, day);
CREATE INDEX ratings_created ON ratings (created_at);
CREATE INDEX feedback_due ON feedback (due_at);
