-- Issue #16: every write of an item's row that cannot be heap-only (a
-- claim, a decision) adds an entry to each index of items, and an entry
-- on a page not written since the last checkpoint costs a full-page image
-- in PostgreSQL's WAL: measured with bench review on a million items, a
-- claim wrote about three, 19 KB of WAL. Three indexes did little for
-- that price:
-- - items_external and items_uploader_account served one thing, search by
--   external id and by account id across sources. The indexes that start
--   with the source ((source_id, external_id), unique, and items_uploader)
--   serve it now, one look-up per source (storage/search.go).
-- - items_cluster indexed every item, most of them in no cluster. It
--   indexes those in one: every query of it names a cluster.
DROP INDEX items_external;
DROP INDEX items_uploader_account;
DROP INDEX items_cluster;
CREATE INDEX items_cluster ON items (cluster_id) WHERE cluster_id IS NOT NULL;
