-- Small renditions (the blurred preview) are kept sealed in the database
-- rather than as vault files: a file of its own cost every ingested item a
-- file creation and two fsyncs. The bytes are encrypted exactly as a vault
-- file is, under the row's wrapped key, so deleting the row still shreds
-- them. NULL: the object is the vault file named after it.
ALTER TABLE media_objects ADD COLUMN sealed BLOB;
