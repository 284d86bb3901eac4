-- Hash lists: block lists of known harmful content and allow lists of known
-- false positives, their entries (versioned for delta exports), proposals
-- from decisions awaiting a second person, and matches found at ingest.

CREATE TABLE hash_lists (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('block', 'allow')),
    category   TEXT NOT NULL DEFAULT '', -- shown with block matches
    threshold  INTEGER NOT NULL DEFAULT 31 CHECK (threshold BETWEEN 1 AND 64),
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    version    INTEGER NOT NULL DEFAULT 0, -- bumped by every change to an entry
    created_at TEXT NOT NULL
);

CREATE TABLE hash_entries (
    id         INTEGER PRIMARY KEY,
    list_id    INTEGER NOT NULL REFERENCES hash_lists (id),
    hash_type  TEXT NOT NULL CHECK (hash_type IN ('pdq', 'md5', 'sha256')),
    value      TEXT NOT NULL,
    category   TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL CHECK (source IN ('decision', 'import', 'manual')),
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retracted')),
    reason     TEXT NOT NULL DEFAULT '',
    version    INTEGER NOT NULL, -- the list's version when this entry last changed
    item_id    INTEGER REFERENCES items (id), -- for entries from decisions
    UNIQUE (list_id, hash_type, value)
);
CREATE INDEX hash_entries_version ON hash_entries (list_id, version);
CREATE INDEX hash_entries_item ON hash_entries (item_id) WHERE item_id IS NOT NULL;

CREATE TABLE hash_proposals (
    id          INTEGER PRIMARY KEY,
    list_id     INTEGER NOT NULL REFERENCES hash_lists (id),
    item_id     INTEGER NOT NULL REFERENCES items (id),
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    reviewer_id INTEGER NOT NULL REFERENCES users (id), -- who decided: never the approver
    hash_type   TEXT NOT NULL,
    value       TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX hash_proposals_pending ON hash_proposals (list_id, status);

CREATE TABLE media_matches (
    media_id  TEXT NOT NULL REFERENCES media (id),
    list_id   INTEGER NOT NULL REFERENCES hash_lists (id),
    entry_id  INTEGER NOT NULL REFERENCES hash_entries (id),
    hash_type TEXT NOT NULL,
    distance  INTEGER NOT NULL,
    variant   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (media_id, entry_id)
);

-- Violating decisions in a queue propose their items' hashes to this list.
ALTER TABLE queues ADD COLUMN propose_list_id INTEGER REFERENCES hash_lists (id);
