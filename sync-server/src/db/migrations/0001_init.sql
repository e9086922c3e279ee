-- Every synced row lives in `records`: one row per (entity, id), its data as JSON validated by the
-- zod schemas in shared/. `seq` is the change-log position: every write takes the next value of
-- the `seq` counter inside the same batch, so pull can page by it and never miss a write.
CREATE TABLE counters (
	name TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('seq', 0);

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE records (
	entity TEXT NOT NULL,
	id TEXT NOT NULL,
	customer_id TEXT,
	scope TEXT NOT NULL,
	data TEXT NOT NULL,
	deleted INTEGER NOT NULL DEFAULT 0,
	seq INTEGER NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT,
	PRIMARY KEY (entity, id)
);
CREATE UNIQUE INDEX records_seq ON records (seq);
CREATE INDEX records_customer ON records (customer_id, entity);
CREATE UNIQUE INDEX records_customer_code ON records (json_extract(data, '$.code'))
	WHERE entity = 'customer' AND deleted = 0;

-- Idempotency: a mutation id seen before is answered as the first time and not applied twice.
CREATE TABLE mutations (
	id TEXT PRIMARY KEY,
	client_id TEXT NOT NULL,
	user_id TEXT NOT NULL,
	name TEXT NOT NULL,
	status TEXT NOT NULL,
	error TEXT,
	at TEXT NOT NULL
);

CREATE TABLE users (
	id TEXT PRIMARY KEY,
	email TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	password_hash TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
