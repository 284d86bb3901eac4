-- The review flow: who works which queue, leases, decisions, reveals and
-- the exposure ledger.

CREATE TABLE queue_members (
    queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (queue_id, user_id)
);

-- A lease is a claim on a queued or awaiting-second-review item; it ends at
-- lease_until, so an abandoned item returns to its queue without a sweeper.
ALTER TABLE items ADD COLUMN lease_user_id INTEGER REFERENCES users (id);
ALTER TABLE items ADD COLUMN lease_until TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN leased_at TEXT NOT NULL DEFAULT ''; -- when the current holder claimed it
-- The first reviewer of a two-person review, who may not take the second.
ALTER TABLE items ADD COLUMN first_reviewer_id INTEGER REFERENCES users (id);
ALTER TABLE items ADD COLUMN decided_at TEXT NOT NULL DEFAULT '';

-- The claim order as a partial index: only claimable rows, so a claim reads
-- one index entry per leased item it skips, whatever the backlog.
CREATE INDEX items_claimable ON items (queue_id, priority DESC, id)
    WHERE status IN ('queued', 'awaiting_second_review', 'escalated');

-- Who holds what: a reviewer's current item, found without a queue scan.
CREATE INDEX items_lease ON items (lease_user_id) WHERE lease_user_id IS NOT NULL;

CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items (id),
    reviewer_id INTEGER NOT NULL REFERENCES users (id),
    -- first, second (two-person rule), escalation, or override by a lead
    kind        TEXT NOT NULL CHECK (kind IN ('first', 'second', 'escalation', 'override')),
    verdict     TEXT NOT NULL CHECK (verdict IN ('violating', 'not_violating', 'escalate', 'skip')),
    category    TEXT NOT NULL DEFAULT '',
    annotations TEXT NOT NULL DEFAULT '[]', -- JSON array of file annotation codes
    note        TEXT NOT NULL DEFAULT '',
    seconds     INTEGER NOT NULL DEFAULT 0, -- time the reviewer spent on the item
    reveals     TEXT NOT NULL DEFAULT '[]', -- JSON array of the reveal steps used
    final       INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
    created_at  TEXT NOT NULL
);
CREATE INDEX decisions_item ON decisions (item_id, id);
CREATE INDEX decisions_reviewer ON decisions (reviewer_id, created_at);

-- A reveal hands out a single-use URL for exactly one rendition.
CREATE TABLE reveal_grants (
    token_digest TEXT PRIMARY KEY,
    exposure_id  INTEGER NOT NULL REFERENCES exposures (id),
    expires_at   TEXT NOT NULL,
    used_at      TEXT NOT NULL DEFAULT ''
);

-- The exposure ledger: every reveal, and how long it lasted as the server
-- accounts it (capped at the queue's policy whatever the browser says).
CREATE TABLE exposures (
    id              INTEGER PRIMARY KEY,
    reviewer_id     INTEGER NOT NULL REFERENCES users (id),
    item_id         INTEGER NOT NULL REFERENCES items (id),
    media_id        TEXT NOT NULL REFERENCES media (id),
    rendition       TEXT NOT NULL CHECK (rendition IN ('grey', 'colour', 'spotlight', 'exif')),
    region          TEXT NOT NULL DEFAULT '', -- a spotlight's "x,y,w,h" in image pixels
    region_fraction REAL NOT NULL DEFAULT 1, -- share of the image a spotlight showed
    started_at      TEXT NOT NULL,
    cap_at          TEXT NOT NULL, -- started_at + the policy's re-blur seconds
    ended_at        TEXT NOT NULL DEFAULT '',
    seconds         REAL NOT NULL DEFAULT 0,
    closed_by       TEXT NOT NULL DEFAULT '' -- reblur, decision, hidden, lease_end, cap
);
CREATE INDEX exposures_reviewer ON exposures (reviewer_id, started_at);
CREATE INDEX exposures_item ON exposures (item_id, media_id);
CREATE INDEX exposures_open ON exposures (reviewer_id) WHERE ended_at = '';

-- Escalations go to this queue, worked by leads.
INSERT INTO queues (name, description, required_reviews, created_at)
VALUES ('escalations', 'Items a reviewer escalated, or two reviewers disagreed on. Worked by leads.', 1, strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));
