-- PostgreSQL's version of 008_exposure_downloads.sql: PostgreSQL changes
-- the CHECK constraint in place, so nothing is rebuilt.
ALTER TABLE exposures DROP CONSTRAINT exposures_rendition_check;
ALTER TABLE exposures ADD CONSTRAINT exposures_rendition_check
    CHECK (rendition IN ('grey', 'colour', 'spotlight', 'exif', 'download'));
