-- PostgreSQL's version of 012_pending_decisions.sql (BIGINT ids).
CREATE TABLE pending_decisions (
    decision_id             BIGINT PRIMARY KEY REFERENCES decisions (id),
    item_id                 BIGINT NOT NULL REFERENCES items (id),
    reviewer_id             BIGINT NOT NULL REFERENCES users (id),
    actor                   TEXT NOT NULL,
    due_at                  TEXT NOT NULL,
    prior_status            TEXT NOT NULL,
    prior_queue_id          BIGINT NOT NULL,
    prior_first_reviewer_id BIGINT,
    prior_decided_at        TEXT NOT NULL DEFAULT '',
    prior_final             TEXT NOT NULL DEFAULT '[]',
    source_id               BIGINT NOT NULL,
    callback                TEXT NOT NULL DEFAULT '',
    report                  INTEGER NOT NULL DEFAULT 0,
    proposals               TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX pending_decisions_due ON pending_decisions (due_at);
CREATE INDEX pending_decisions_reviewer ON pending_decisions (reviewer_id, decision_id);
