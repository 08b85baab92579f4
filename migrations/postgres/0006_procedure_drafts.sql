-- Admin editing of procedures: at most one draft per procedure, which remembers the
-- published version it was started from. A draft has version 0 (its number is given when it
-- is published, so an import meanwhile cannot collide with it).
ALTER TABLE procedure_versions ADD COLUMN based_on BIGINT;
ALTER TABLE procedure_versions ADD COLUMN edited_by TEXT;
CREATE UNIQUE INDEX procedure_versions_one_draft ON procedure_versions (procedure_id) WHERE status = 'draft';
