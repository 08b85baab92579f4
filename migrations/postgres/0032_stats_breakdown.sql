-- Statistics by officer and "received: new / carried over" (issue #8).
-- `closed`: dossiers that left processing on the day (decided, stopped, or withdrawn after
-- the desk had received them), so the dossiers still in progress at the start of a period
-- (carried over) are the sum of `accepted - closed` over the days before it.
ALTER TABLE stats_daily ADD COLUMN closed BIGINT NOT NULL DEFAULT 0;
-- the steps finished (or open) at a unit, for the breakdown by officer
CREATE INDEX dossier_steps_unit ON dossier_steps (agency_code, finished_at);
-- the dossiers carried over into a period, for its drill-down list
CREATE INDEX dossiers_received ON dossiers (receiving_agency, received_at);
-- the column for the days already aggregated, as `stats rebuild` counts it (Vietnam days: UTC+7)
INSERT INTO stats_daily (day, agency_code, procedure_code, closed)
SELECT to_char(to_timestamp(e.at / 1000000 + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), d.receiving_agency, p.code, COUNT(*)
FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id JOIN procedures p ON p.id = d.procedure_id
WHERE e.kind IN ('decided', 'stopped') OR (e.kind = 'withdrawn' AND d.received_at IS NOT NULL AND d.received_at <= e.at)
GROUP BY 1, 2, 3
ON CONFLICT (day, agency_code, procedure_code) DO UPDATE SET closed = EXCLUDED.closed;
