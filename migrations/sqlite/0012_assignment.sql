-- A step can be assigned to a named officer of its unit (who took it, or was given it).
ALTER TABLE dossiers ADD COLUMN step_assignee TEXT REFERENCES users (id);
ALTER TABLE dossier_steps ADD COLUMN assignee_id TEXT REFERENCES users (id);
