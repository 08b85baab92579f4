-- Reception at the one-stop desk: when a dossier was accepted (its appointment is due_at).
ALTER TABLE dossiers ADD COLUMN received_at BIGINT;
CREATE INDEX dossiers_reception ON dossiers (receiving_agency, state, submitted_at);
