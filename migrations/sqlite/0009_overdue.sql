-- The overdue sweep marks each late dossier and each late step once.
ALTER TABLE dossiers ADD COLUMN overdue_at BIGINT;
ALTER TABLE dossier_steps ADD COLUMN overdue_at BIGINT;
CREATE INDEX dossiers_due ON dossiers (due_at, overdue_at);
