-- Attachments of received mail go to the file service's storage (the local disk or the S3
-- bucket, docs/files.md) like every other file; `mail_files` keeps what they are. `data` stays for
-- the attachments received before this migration, which are read from it as they were.
CREATE TABLE mail_files_new (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	data BLOB,
	created_at TEXT NOT NULL
);
INSERT INTO mail_files_new (id, name, content_type, size, data, created_at)
	SELECT id, name, content_type, size, data, created_at FROM mail_files;
DROP TABLE mail_files;
ALTER TABLE mail_files_new RENAME TO mail_files;
