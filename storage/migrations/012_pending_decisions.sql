-- A decision made on the review screen can be undone for a few seconds.
-- Until its window ends, what it would send out of Loupe (the platform
-- callback, a report case, hash-list proposals) waits here, committed with
-- the decision, with what the decision changed on its item so that an undo
-- can put it back. A settle step applies due rows; an undo deletes its row.
CREATE TABLE pending_decisions (
    decision_id             INTEGER PRIMARY KEY REFERENCES decisions (id),
    item_id                 INTEGER NOT NULL REFERENCES items (id),
    reviewer_id             INTEGER NOT NULL REFERENCES users (id),
    actor                   TEXT NOT NULL,
    due_at                  TEXT NOT NULL,
    prior_status            TEXT NOT NULL,
    prior_queue_id          INTEGER NOT NULL,
    prior_first_reviewer_id INTEGER,
    prior_decided_at        TEXT NOT NULL DEFAULT '',
    prior_final             TEXT NOT NULL DEFAULT '[]', -- ids of the item's decisions that were final before
    source_id               INTEGER NOT NULL,
    callback                TEXT NOT NULL DEFAULT '',
    report                  INTEGER NOT NULL DEFAULT 0,
    proposals               TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX pending_decisions_due ON pending_decisions (due_at);
CREATE INDEX pending_decisions_reviewer ON pending_decisions (reviewer_id, decision_id);
