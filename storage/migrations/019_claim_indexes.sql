-- Issue #16: indexes for the queries every review page runs.
--
-- The uploader history reads the final decisions of the uploader's decided
-- items. Through items_uploader it visited every item of the uploader,
-- decided or not: with a backlog of a million from 5,000 accounts, 200
-- lookups a page. An item with a decision has decided_at set (and keeps it,
-- or gets its prior value back on undo).
CREATE INDEX items_uploader_decided ON items (source_id, uploader_id) WHERE decided_at != '';

-- A claim takes the first claimable item nobody holds. In items_claimable,
-- the items other reviewers hold stay at the head of the queue (they are
-- still queued), so with 200 reviewers each claim and each count of the
-- waiting items read 200 rows it could not use first. Nobody holds an
-- item when lease_user_id is NULL (lease_until is then ''); a lease that
-- has run out is found by when it ran out. (Keyed by queue too, SQLite
-- took items_lease_expiry for "what does this reviewer hold in this
-- queue", reading every lease of the queue, over items_lease.)
CREATE INDEX items_unleased ON items (queue_id, priority DESC, id)
    WHERE status IN ('queued', 'awaiting_second_review', 'escalated') AND lease_user_id IS NULL;
CREATE INDEX items_lease_expiry ON items (lease_until)
    WHERE status IN ('queued', 'awaiting_second_review', 'escalated') AND lease_user_id IS NOT NULL;
