-- Correo (docs/mail.md). The mail account: its settings as JSON and its two passwords in their own
-- columns. Never synced: the passwords reach no device and no log; the API answers only whether
-- each is set.
CREATE TABLE mail_account (
	id TEXT PRIMARY KEY,
	settings TEXT NOT NULL,
	smtp_password TEXT NOT NULL DEFAULT '',
	imap_password TEXT NOT NULL DEFAULT '',
	updated_at TEXT NOT NULL,
	updated_by TEXT
);
-- Where the receiver stands in each watched IMAP folder: the folder's UIDVALIDITY and the highest
-- UID imported, written in the same batch as the message's rows (never twice, never missed).
CREATE TABLE mail_folders (
	account TEXT NOT NULL,
	folder TEXT NOT NULL,
	uid_validity TEXT NOT NULL,
	last_uid INTEGER NOT NULL,
	PRIMARY KEY (account, folder)
);
-- Attachments of received mail, downloadable by the office (GET /api/mail/files/:id).
CREATE TABLE mail_files (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	data BLOB NOT NULL,
	created_at TEXT NOT NULL
);
-- The outbox's scan for messages to send.
CREATE INDEX records_mail_status ON records (json_extract(data, '$.status'))
	WHERE entity = 'mailMessage';
-- A received message is matched to customers by their address and their contact people's.
CREATE INDEX records_customer_email ON records (lower(trim(json_extract(data, '$.email'))))
	WHERE entity = 'customer';
CREATE INDEX records_contact_email ON records (lower(trim(json_extract(data, '$.email'))))
	WHERE entity = 'contactPerson';
-- Threads and duplicates: a message by its Message-ID.
CREATE INDEX records_mail_message_id ON records (json_extract(data, '$.messageId'))
	WHERE entity = 'mailMessage';
CREATE INDEX records_mail_unassigned_id ON records (json_extract(data, '$.messageId'))
	WHERE entity = 'mailUnassigned';
