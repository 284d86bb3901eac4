-- Issue #16: a reviewer's standing (every claim, review page and reveal
-- works it out) sums the day's closed exposures instead of listing them.
-- This index holds every column those sums read, so that they read the
-- index alone, not a table row for every reveal of the day. It replaces
-- the index on (reviewer_id, started_at) that it begins with.
CREATE INDEX exposures_reviewer_day ON exposures (reviewer_id, started_at, ended_at, rendition, region_fraction, seconds, item_id);
DROP INDEX exposures_reviewer;
