-- Issue #17 (see it once): known material decided without a look, and
-- waiting items matched again when a list changes.

-- A lead marks a list trusted so that entries imported from outside Loupe
-- may decide items on their own; entries approved in Loupe always may.
ALTER TABLE hash_lists ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0 CHECK (trusted IN (0, 1));
-- The list version whose entries waiting items were last matched against
-- (the re-matching cursor); lists start caught up.
ALTER TABLE hash_lists ADD COLUMN rematched_version BIGINT NOT NULL DEFAULT 0;
UPDATE hash_lists SET rematched_version = version;

-- A queue's automation: decide violating when every media matches an
-- eligible entry of auto_block_list_id at a distance of at most
-- auto_block_distance, not violating likewise for the allow list. auto_by
-- is the lead who configured it, and the reviewer of record of every
-- decision it makes. auto_off_reason says why it was switched off.
ALTER TABLE queues ADD COLUMN auto_enabled INTEGER NOT NULL DEFAULT 0 CHECK (auto_enabled IN (0, 1));
ALTER TABLE queues ADD COLUMN auto_block_list_id BIGINT REFERENCES hash_lists (id);
ALTER TABLE queues ADD COLUMN auto_block_distance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queues ADD COLUMN auto_allow_list_id BIGINT REFERENCES hash_lists (id);
ALTER TABLE queues ADD COLUMN auto_allow_distance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queues ADD COLUMN auto_by BIGINT REFERENCES users (id);
ALTER TABLE queues ADD COLUMN auto_off_reason TEXT NOT NULL DEFAULT '';

-- What an automated decision rests on (decisions.kind 'automated' is
-- allowed by the Go step of this migration: see allowAutomatedDecisions).
ALTER TABLE decisions ADD COLUMN auto_entry_id BIGINT REFERENCES hash_entries (id);
ALTER TABLE decisions ADD COLUMN auto_distance INTEGER;
