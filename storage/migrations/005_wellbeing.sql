-- Wellbeing: limits with their overrides, breaks, check-ins, and the
-- organisation's settings.

-- Whether a decision put its item in a category the queue marks severe.
ALTER TABLE decisions ADD COLUMN severe INTEGER NOT NULL DEFAULT 0 CHECK (severe IN (0, 1));

-- Limits per scope: the organisation's defaults (scope_id 0), and
-- overrides per queue and per person. A limit absent from the JSON object
-- is inherited.
CREATE TABLE wellbeing_limits (
    scope      TEXT NOT NULL CHECK (scope IN ('org', 'queue', 'person')),
    scope_id   INTEGER NOT NULL DEFAULT 0,
    limits     TEXT NOT NULL DEFAULT '{}',
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, scope_id)
);

-- A break: the server refuses the person's claims and reveals from
-- started_at until ends_at, or until ended_at when a step-away break was
-- ended early.
CREATE TABLE breaks (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    reason     TEXT NOT NULL CHECK (reason IN ('step_away', 'continuous', 'budget', 'severe_rate', 'cooldown')),
    started_at TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    ended_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX breaks_user ON breaks (user_id, started_at);

-- A reviewer's check-in after a break: every part optional, private unless
-- shared.
CREATE TABLE checkins (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    break_id   INTEGER REFERENCES breaks (id),
    mood       INTEGER CHECK (mood BETWEEN 1 AND 5), -- NULL: not given
    note       TEXT NOT NULL DEFAULT '',
    shared     INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX checkins_user ON checkins (user_id, created_at);

-- Organisation settings, one value per key.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
