-- Issue #16: on PostgreSQL, the tables filled and emptied as reviews go
-- (audit entries waiting to be chained, decisions waiting out their undo
-- window) are not truncated by vacuum (see 021_queue_tables_kept.pg.sql).
-- SQLite has no such vacuum: nothing to do.
SELECT 1;
