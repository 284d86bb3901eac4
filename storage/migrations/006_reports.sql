-- Reports: cases built from reportable violating decisions, what was sent
-- to a destination and what it answered, legal holds and retention.

-- A case is one report to one destination about one reported account
-- (source + uploader account id). Items of unknown accounts get a case
-- each (account_id '').
CREATE TABLE report_cases (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES sources (id),
    account_id      TEXT NOT NULL DEFAULT '',
    destination     TEXT NOT NULL CHECK (destination IN ('cybertipline', 'bundle')),
    -- open: gathering items; approved: a lead approved it, the outbox
    -- sends it; finished: the destination confirmed it (or the bundle was
    -- made); failed: the destination refused it for good; retracted;
    -- merged: its items moved to merged_into.
    status          TEXT NOT NULL CHECK (status IN ('open', 'approved', 'finished', 'failed', 'retracted', 'merged')),
    incident_type   TEXT NOT NULL DEFAULT '',
    escalation      TEXT NOT NULL DEFAULT '', -- why it is urgent; '' when not
    additional_info TEXT NOT NULL DEFAULT '',
    approved_by     INTEGER REFERENCES users (id),
    approved_at     TEXT NOT NULL DEFAULT '',
    environment     TEXT NOT NULL DEFAULT '', -- test or production, fixed at approval
    report_id       INTEGER NOT NULL DEFAULT 0, -- the destination's report id once it gave one
    finished_at     TEXT NOT NULL DEFAULT '',
    problem         TEXT NOT NULL DEFAULT '', -- why it failed
    merged_into     INTEGER REFERENCES report_cases (id),
    xml             TEXT NOT NULL DEFAULT '', -- the report document as sent
    attempts        INTEGER NOT NULL DEFAULT 0, -- failed sending attempts in a row
    next_attempt_at TEXT NOT NULL DEFAULT '', -- when the outbox tries again
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
-- One open case per account and destination.
CREATE UNIQUE INDEX report_cases_open ON report_cases (source_id, account_id, destination)
    WHERE status = 'open' AND account_id != '';
CREATE INDEX report_cases_status ON report_cases (status, id);

-- The items of a case; an item is in at most one case.
CREATE TABLE report_items (
    case_id INTEGER NOT NULL REFERENCES report_cases (id),
    item_id INTEGER NOT NULL UNIQUE REFERENCES items (id)
);
CREATE INDEX report_items_case ON report_items (case_id);

-- Progress of each file of a case at the destination: its file id once
-- uploaded, and when its file details were accepted.
CREATE TABLE report_files (
    case_id     INTEGER NOT NULL REFERENCES report_cases (id),
    media_id    TEXT NOT NULL REFERENCES media (id),
    file_id     TEXT NOT NULL DEFAULT '',
    uploaded_at TEXT NOT NULL DEFAULT '',
    info_at     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, media_id)
);

-- Every request to a destination and its answer, shown on the case.
CREATE TABLE report_transmissions (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES report_cases (id),
    step     TEXT NOT NULL, -- status, submit, upload, fileinfo, finish, retract, bundle
    request  TEXT NOT NULL DEFAULT '',
    status   INTEGER NOT NULL DEFAULT 0, -- HTTP status; 0 when no answer came
    response TEXT NOT NULL DEFAULT '',
    code     INTEGER NOT NULL DEFAULT -1, -- the destination's response code; -1 when none
    error    TEXT NOT NULL DEFAULT '',
    at       TEXT NOT NULL
);
CREATE INDEX report_transmissions_case ON report_transmissions (case_id, id);

-- Legal holds: an item's media and metadata are preserved until held_until.
CREATE TABLE legal_holds (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES items (id),
    case_id    INTEGER REFERENCES report_cases (id),
    reason     TEXT NOT NULL,
    held_until TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX legal_holds_item ON legal_holds (item_id, held_until);

-- Retention: when an item's original media (all renditions) were deleted.
ALTER TABLE media ADD COLUMN purged_at TEXT NOT NULL DEFAULT '';
