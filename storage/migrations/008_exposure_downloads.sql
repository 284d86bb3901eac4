-- The exposure ledger also records originals handed out in an export
-- bundle: rendition 'download', one row per file for the person who
-- downloaded it, with no seconds (nothing is timed off screen). SQLite
-- cannot change a CHECK constraint in place, so the ledger and the reveal
-- grants that refer to it are rebuilt with their rows and ids.
ALTER TABLE reveal_grants RENAME TO reveal_grants_007;
ALTER TABLE exposures RENAME TO exposures_007;

CREATE TABLE exposures (
    id              INTEGER PRIMARY KEY,
    reviewer_id     INTEGER NOT NULL REFERENCES users (id),
    item_id         INTEGER NOT NULL REFERENCES items (id),
    media_id        TEXT NOT NULL REFERENCES media (id),
    rendition       TEXT NOT NULL CHECK (rendition IN ('grey', 'colour', 'spotlight', 'exif', 'download')),
    region          TEXT NOT NULL DEFAULT '', -- a spotlight's "x0,y0,x1,y1" in image pixels
    region_fraction REAL NOT NULL DEFAULT 1, -- share of the image a spotlight showed
    started_at      TEXT NOT NULL,
    cap_at          TEXT NOT NULL, -- started_at + the policy's re-blur seconds
    ended_at        TEXT NOT NULL DEFAULT '',
    seconds         REAL NOT NULL DEFAULT 0,
    closed_by       TEXT NOT NULL DEFAULT '' -- reblur, decision, hidden, lease_end, break, cap, download
);
INSERT INTO exposures (id, reviewer_id, item_id, media_id, rendition, region, region_fraction, started_at, cap_at, ended_at, seconds, closed_by)
SELECT id, reviewer_id, item_id, media_id, rendition, region, region_fraction, started_at, cap_at, ended_at, seconds, closed_by FROM exposures_007;

CREATE TABLE reveal_grants (
    token_digest TEXT PRIMARY KEY,
    exposure_id  INTEGER NOT NULL REFERENCES exposures (id),
    expires_at   TEXT NOT NULL,
    used_at      TEXT NOT NULL DEFAULT ''
);
INSERT INTO reveal_grants (token_digest, exposure_id, expires_at, used_at)
SELECT token_digest, exposure_id, expires_at, used_at FROM reveal_grants_007;

DROP TABLE reveal_grants_007;
DROP TABLE exposures_007;
CREATE INDEX exposures_reviewer ON exposures (reviewer_id, started_at);
CREATE INDEX exposures_item ON exposures (item_id, media_id);
CREATE INDEX exposures_open ON exposures (reviewer_id) WHERE ended_at = '';
