-- Issue #16: audit entries waiting to be chained. On PostgreSQL, instances
-- write side by side; an entry chained where it is written would make every
-- audited write of every instance take turns on the chain's head through
-- its commit. So an entry is written here, in the transaction of the change
-- it describes, with a MAC of its fields and seq under the audit key, and
-- ChainPending (storage/audit_pending.go) moves it onto the chain shortly
-- after. SQLite's single writer chains entries in place and never uses it;
-- the table is here so that both engines have the same schema.
CREATE TABLE audit_pending (
    seq     INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    details TEXT NOT NULL,
    mac     TEXT NOT NULL
);
