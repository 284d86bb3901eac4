-- Issue #17 (quality sampling): a share of each queue's final decisions is
-- checked again, blind, by a second reviewer; a lead settles disagreements.

-- The share of a queue's final decisions sampled, in percent.
ALTER TABLE queues ADD COLUMN qa_percent INTEGER NOT NULL DEFAULT 5 CHECK (qa_percent BETWEEN 0 AND 100);

-- A sample is created with its decision, and an undo (which deletes the
-- decision) takes it too: at most one per decision (UNIQUE). It can be
-- claimed once its decision settled (no pending_decisions row). The lease
-- works like an item's. decided_by made the decision (for automated ones,
-- the lead who configured it) and never checks it.
CREATE TABLE qa_samples (
    id             INTEGER PRIMARY KEY,
    decision_id    INTEGER NOT NULL UNIQUE REFERENCES decisions (id) ON DELETE CASCADE,
    item_id        INTEGER NOT NULL REFERENCES items (id),
    queue_id       INTEGER NOT NULL REFERENCES queues (id),
    source         TEXT NOT NULL CHECK (source IN ('human', 'cluster', 'automated')),
    decided_by     INTEGER NOT NULL REFERENCES users (id),
    sampled_at     TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'agreed', 'disputed', 'resolved')),
    lease_user_id  INTEGER REFERENCES users (id),
    lease_until    TEXT NOT NULL DEFAULT '',
    qa_reviewer_id INTEGER REFERENCES users (id),
    qa_verdict     TEXT NOT NULL DEFAULT '',
    qa_category    TEXT NOT NULL DEFAULT '',
    qa_note        TEXT NOT NULL DEFAULT '',
    qa_at          TEXT NOT NULL DEFAULT '',
    lead_id        INTEGER REFERENCES users (id),
    lead_verdict   TEXT NOT NULL DEFAULT '',
    lead_category  TEXT NOT NULL DEFAULT '',
    lead_note      TEXT NOT NULL DEFAULT '',
    resolved_at    TEXT NOT NULL DEFAULT '',
    override_id    INTEGER REFERENCES decisions (id)
);
CREATE INDEX qa_samples_open ON qa_samples (queue_id, id) WHERE status = 'open';
CREATE INDEX qa_samples_item ON qa_samples (item_id, lease_user_id) WHERE status = 'open';
CREATE INDEX qa_samples_status ON qa_samples (status, id);

-- What QA told the leads: automation switched off for poor agreement.
CREATE TABLE qa_alerts (
    id         INTEGER PRIMARY KEY,
    queue_id   INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX qa_alerts_queue ON qa_alerts (queue_id, created_at);
