-- Two background sweeps read only a small part of `dossiers`; partial indexes keep them from
-- reading every returned dossier, or the whole table, as it grows. Each index leads with the
-- column its condition pins, so that the planner (SQLite's too, without statistics) prefers it
-- to the wider `dossiers_open (national_status, ...)`.
-- Stale drafts (hourly): drafts are the rows without a national status.
CREATE INDEX dossiers_drafts ON dossiers (national_status, updated_at) WHERE national_status IS NULL;
-- Rating reminders (every 5 minutes): returned dossiers not reminded yet. A dossier leaves the
-- index once it is reminded, so the sweep reads only the new ones.
CREATE INDEX dossiers_rating_due ON dossiers (national_status) WHERE rating_reminded_at IS NULL AND national_status = 10;
