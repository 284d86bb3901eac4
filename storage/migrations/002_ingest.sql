-- Sources and their API tokens, queues, routing rules, items with their
-- media, and the outbox that delivers decision callbacks.

-- A source is a platform or surface that sends items.
CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    callback_url    TEXT NOT NULL DEFAULT '',
    -- The callback signing secret, sealed with the master key (never in clear).
    callback_secret BLOB,
    created_at      TEXT NOT NULL
);

-- Only the SHA-256 of a token is stored; the token is shown once.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    source_id    INTEGER NOT NULL REFERENCES sources (id),
    scope        TEXT NOT NULL DEFAULT 'ingest',
    digest       TEXT NOT NULL UNIQUE,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NOT NULL DEFAULT '',
    revoked_at   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE queues (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    description      TEXT NOT NULL DEFAULT '',
    -- JSON array of {"code","label","severe"}: the categories a violating verdict picks from.
    taxonomy         TEXT NOT NULL DEFAULT '[]',
    sla_hours        INTEGER NOT NULL DEFAULT 24,
    -- JSON {"steps":["grey","colour","spotlight","exif"],"reblur_seconds":10}.
    reveal_policy    TEXT NOT NULL DEFAULT '{}',
    required_reviews INTEGER NOT NULL DEFAULT 1 CHECK (required_reviews IN (1, 2)),
    reportable       INTEGER NOT NULL DEFAULT 1 CHECK (reportable IN (0, 1)),
    paused           INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_at       TEXT NOT NULL
);
INSERT INTO queues (name, description, created_at)
VALUES ('default', 'Everything no routing rule claims.', strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'));

-- Ordered routing rules; source_id NULL means the rule applies to every
-- source, after that source's own rules.
CREATE TABLE routing_rules (
    id         INTEGER PRIMARY KEY,
    position   INTEGER NOT NULL,
    source_id  INTEGER REFERENCES sources (id),
    name       TEXT NOT NULL,
    conditions TEXT NOT NULL, -- JSON, see review/routing.go
    queue_id   INTEGER NOT NULL REFERENCES queues (id),
    priority   INTEGER CHECK (priority BETWEEN 0 AND 100), -- NULL keeps the item's own
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE items (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources (id),
    external_id TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'leased', 'awaiting_second_review', 'escalated', 'decided', 'reported', 'purged')),
    queue_id    INTEGER NOT NULL REFERENCES queues (id),
    priority    INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
    rule_id     INTEGER REFERENCES routing_rules (id) ON DELETE SET NULL,
    uploader_id TEXT NOT NULL DEFAULT '', -- the platform's account id, for grouping
    metadata    TEXT NOT NULL,            -- the validated metadata JSON as received
    received_at TEXT NOT NULL,
    UNIQUE (source_id, external_id)
);
-- The claim order: highest priority, then oldest, per queue.
CREATE INDEX items_queue_order ON items (queue_id, status, priority DESC, id);
CREATE INDEX items_uploader ON items (source_id, uploader_id);

CREATE TABLE media (
    id           TEXT PRIMARY KEY, -- random; also names the vault objects
    item_id      INTEGER NOT NULL REFERENCES items (id),
    position     INTEGER NOT NULL,
    file_name    TEXT NOT NULL DEFAULT '', -- as sent, for reports only; never a path
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    md5          TEXT NOT NULL,
    pdq          TEXT NOT NULL DEFAULT '',
    pdq_quality  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (item_id, position)
);
CREATE INDEX media_sha256 ON media (sha256);
CREATE INDEX media_md5 ON media (md5);

-- One row per encrypted object in the vault: the original and each
-- rendition. Deleting the row (the wrapped key) is crypto-shredding.
CREATE TABLE media_objects (
    media_id    TEXT NOT NULL REFERENCES media (id),
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'preview', 'grey')),
    wrapped_key BLOB NOT NULL,
    PRIMARY KEY (media_id, kind)
);

-- Work that must happen at least once, even across restarts: decision
-- callbacks now, report submissions later.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    source_id       INTEGER REFERENCES sources (id),
    item_id         INTEGER REFERENCES items (id),
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    last_status     INTEGER NOT NULL DEFAULT 0,
    delivered_at    TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (delivered_at, next_attempt_at);
