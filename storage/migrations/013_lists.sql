-- Lists that scale (#15): the audit log filtered by target pages by id;
-- search finds items by external id, uploader account or screen name
-- without a scan.
CREATE INDEX audit_log_target ON audit_log (target, id);
CREATE INDEX items_external ON items (external_id);
CREATE INDEX items_uploader_account ON items (uploader_id);

-- The uploader's screen name, copied out of the metadata at ingest so
-- search can use an index; matched without regard to case (ASCII letters,
-- folded the same way on every engine: see SearchItems).
ALTER TABLE items ADD COLUMN uploader_name TEXT NOT NULL DEFAULT '';
UPDATE items SET uploader_name = COALESCE(json_extract(metadata, '$.uploader.screen_name'), '');
CREATE INDEX items_uploader_name ON items (lower(uploader_name));
