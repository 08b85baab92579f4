-- Statistics, pre-aggregated per day (Vietnam time), receiving unit and procedure, from the
-- dossiers' events. Rebuilt for recent days by a job and wholly by `server stats rebuild`.
CREATE TABLE stats_daily (
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
    PRIMARY KEY (day, agency_code, procedure_code)
);
CREATE INDEX stats_daily_agency ON stats_daily (agency_code, day);
CREATE INDEX dossier_events_at ON dossier_events (at);
