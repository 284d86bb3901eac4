-- Issue #16: audit_pending is emptied every 200 ms and pending_decisions
-- as undo windows end, so autovacuum often finds their last pages empty
-- and truncates them. Truncating takes the table's ACCESS EXCLUSIVE lock:
-- every audited write (claims, reveals, decisions) of every instance
-- waited behind it, 20 to 70 ms at a time, measured with bench review.
-- Their pages are reused as they empty; keeping them costs a few hundred
-- kilobytes at most.
ALTER TABLE audit_pending SET (vacuum_truncate = false);
ALTER TABLE pending_decisions SET (vacuum_truncate = false);
