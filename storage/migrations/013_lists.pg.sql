-- PostgreSQL's version of 013_lists.sql: the backfill reads the metadata
-- as jsonb, and the screen name's column compares by bytes (C collation)
-- so that lower() folds ASCII letters only, as SQLite's does.
CREATE INDEX audit_log_target ON audit_log (target, id);
CREATE INDEX items_external ON items (external_id);
CREATE INDEX items_uploader_account ON items (uploader_id);

ALTER TABLE items ADD COLUMN uploader_name TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE items SET uploader_name = COALESCE(metadata::jsonb -> 'uploader' ->> 'screen_name', '');
CREATE INDEX items_uploader_name ON items (lower(uploader_name));
