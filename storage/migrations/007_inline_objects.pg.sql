-- PostgreSQL's version of 007_inline_objects.sql.
ALTER TABLE media_objects ADD COLUMN sealed BYTEA;
