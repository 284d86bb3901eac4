-- Issue #16: audit entries waiting to be chained (see 018_audit_pending.sql).
-- The appender takes seq from the sequence first, so that the entry's MAC
-- covers it.
CREATE SEQUENCE audit_pending_seq;
CREATE TABLE audit_pending (
    seq     BIGINT PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    details TEXT NOT NULL,
    mac     TEXT NOT NULL
);
