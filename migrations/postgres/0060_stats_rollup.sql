-- Statistics that stay fast as history grows (issue #8).
-- * `stats_monthly` and `stats_ratings_monthly`: the daily aggregates summed per month (`day`
--   is the month's first day), recomputed for the months touched in the same transaction that
--   replaces daily rows (`db::stats::replace_days`), so a long period reads its whole months
--   there and only the days at either end from the daily tables.
-- * `dossiers_open`: a covering index for the live "open now" figures (status, unit and
--   appointment read from the index alone, never from the dossier rows).

CREATE TABLE stats_monthly (
    day                   TEXT NOT NULL,
    agency_code           TEXT NOT NULL,
    procedure_code        TEXT NOT NULL,
    submitted_online      BIGINT NOT NULL DEFAULT 0,
    submitted_desk        BIGINT NOT NULL DEFAULT 0,
    accepted              BIGINT NOT NULL DEFAULT 0,
    refused_at_reception  BIGINT NOT NULL DEFAULT 0,
    withdrawn             BIGINT NOT NULL DEFAULT 0,
    resolved_early        BIGINT NOT NULL DEFAULT 0,
    resolved_on_time      BIGINT NOT NULL DEFAULT 0,
    resolved_late         BIGINT NOT NULL DEFAULT 0,
    returned              BIGINT NOT NULL DEFAULT 0,
    returned_electronic   BIGINT NOT NULL DEFAULT 0,
    paid_online           BIGINT NOT NULL DEFAULT 0,
    paid_counter          BIGINT NOT NULL DEFAULT 0,
    filed_digitised       BIGINT NOT NULL DEFAULT 0,
    papers                BIGINT NOT NULL DEFAULT 0,
    papers_reused         BIGINT NOT NULL DEFAULT 0,
    closed                BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agency_code, procedure_code)
);
INSERT INTO stats_monthly (day, agency_code, procedure_code, submitted_online, submitted_desk, accepted, refused_at_reception, withdrawn, resolved_early, resolved_on_time, resolved_late, returned, returned_electronic, paid_online, paid_counter, filed_digitised, papers, papers_reused, closed)
SELECT SUBSTR(day, 1, 7) || '-01', agency_code, procedure_code,
    SUM(submitted_online), SUM(submitted_desk), SUM(accepted), SUM(refused_at_reception), SUM(withdrawn), SUM(resolved_early), SUM(resolved_on_time), SUM(resolved_late), SUM(returned), SUM(returned_electronic), SUM(paid_online), SUM(paid_counter), SUM(filed_digitised), SUM(papers), SUM(papers_reused), SUM(closed)
FROM stats_daily GROUP BY SUBSTR(day, 1, 7), agency_code, procedure_code;

CREATE TABLE stats_ratings_monthly (
    day             TEXT NOT NULL,
    agency_code     TEXT NOT NULL,
    procedure_code  TEXT NOT NULL,
    criterion       TEXT NOT NULL CHECK (criterion IN ('reception', 'timing', 'attitude', 'correctness')),
    very_satisfied  BIGINT NOT NULL DEFAULT 0,
    satisfied       BIGINT NOT NULL DEFAULT 0,
    not_satisfied   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agency_code, procedure_code, criterion)
);
INSERT INTO stats_ratings_monthly (day, agency_code, procedure_code, criterion, very_satisfied, satisfied, not_satisfied)
SELECT SUBSTR(day, 1, 7) || '-01', agency_code, procedure_code, criterion, SUM(very_satisfied), SUM(satisfied), SUM(not_satisfied)
FROM stats_ratings_daily GROUP BY SUBSTR(day, 1, 7), agency_code, procedure_code, criterion;

CREATE INDEX dossiers_open ON dossiers (national_status, receiving_agency, due_at);
