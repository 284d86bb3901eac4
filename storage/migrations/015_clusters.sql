-- Issue #17 (see it once): near-duplicate items of a queue are reviewed
-- together as a cluster. cluster_id is the id of the cluster's first item
-- (NULL: in no cluster); cluster_distance is the distance to the member the
-- item matched when it joined (0 for an exact copy), cluster_match how it
-- matched ('sha256', 'md5', 'pdq'; '' for the first item).
ALTER TABLE items ADD COLUMN cluster_id BIGINT;
ALTER TABLE items ADD COLUMN cluster_distance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN cluster_match TEXT NOT NULL DEFAULT '';
CREATE INDEX items_cluster ON items (cluster_id);

-- A decision made through a cluster names the item the reviewer decided
-- on (the representative); on the representative's own decision it equals
-- item_id. NULL: decided on its own.
ALTER TABLE decisions ADD COLUMN cluster_item_id BIGINT;
CREATE INDEX decisions_cluster_item ON decisions (cluster_item_id);

-- How near a copy must be to join a cluster (PDQ bits; 0: clustering off),
-- and whether a report needs a view of every file before it is approved.
ALTER TABLE queues ADD COLUMN cluster_threshold INTEGER NOT NULL DEFAULT 31 CHECK (cluster_threshold BETWEEN 0 AND 64);
ALTER TABLE queues ADD COLUMN require_view_for_report INTEGER NOT NULL DEFAULT 0 CHECK (require_view_for_report IN (0, 1));
