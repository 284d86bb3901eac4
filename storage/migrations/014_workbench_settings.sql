-- Issue #15 (workbench): what wellbeing staff noted about an alert, the
-- category codes each queue defines, and passwords an admin set for a
-- person, to be changed at their next sign-in.

-- An alert is worked out from the ledger (review.Alert); its key names the
-- pattern and the day it started, so an acknowledgement sticks to it. The
-- note is for wellbeing staff only: the audit log records only that an
-- alert was acknowledged.
CREATE TABLE wellbeing_alert_acks (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    alert_key TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    acked_by  TEXT NOT NULL,
    acked_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, alert_key)
);

-- A queue's category codes and what each means, in the order shown.
CREATE TABLE queue_categories (
    queue_id   BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    code       TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (queue_id, code)
);

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
