-- Windowed entities (docs/sync-protocol.md#windowed-entities): `win_at` is the time a Historial
-- line or router job counts from (an open job: 9999-…, never ages), NULL for every other row and
-- every tombstone. Pull sends a windowed row only when it is recent or of a pinned customer.
ALTER TABLE records ADD COLUMN win_at TEXT;
UPDATE records SET win_at = data ->> '$.at' WHERE entity = 'history' AND deleted = 0;
UPDATE records SET win_at = CASE WHEN data ->> '$.state' IN ('queued', 'running')
	THEN '9999-12-31T23:59:59.999Z' ELSE data ->> '$.createdAt' END
	WHERE entity = 'routerJob' AND deleted = 0;
-- A router job's customer, so pull can send a pinned customer's jobs whatever their age.
UPDATE records SET customer_id = data ->> '$.customerId'
	WHERE entity = 'routerJob' AND deleted = 0 AND customer_id IS NULL;
-- Pull walks this in seq order and tests scope and window on the index alone, reading the row
-- only when it is sent: a first sync passes over millions of old Historial lines.
CREATE INDEX records_pull ON records (seq, scope, win_at, customer_id);
-- One customer's older rows, newest first (GET /api/sync/older).
CREATE INDEX records_window ON records (customer_id, entity, win_at, id) WHERE win_at IS NOT NULL;
