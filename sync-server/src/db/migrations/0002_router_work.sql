-- Router work (docs/router-work.md). Edge agents authenticate with a bearer token made by an
-- admin; only its SHA-256 is stored, so a copy of the database does not hand out live agents.
CREATE TABLE agents (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	last_seen_at TEXT,
	revoked_at TEXT
);

-- The routers an agent declared in its last hello: the set it claims jobs and posts status for.
-- The router rows themselves are synced records (entity 'router'); this is the server's own
-- bookkeeping, so a router the agent no longer declares stops being handed jobs.
CREATE TABLE agent_routers (
	agent_id TEXT NOT NULL REFERENCES agents (id),
	router_id TEXT NOT NULL,
	name TEXT NOT NULL,
	PRIMARY KEY (agent_id, router_id)
);
CREATE UNIQUE INDEX agent_routers_router ON agent_routers (router_id);

-- Each router's open queue (queued or running jobs), read on every claim. Done and failed jobs
-- stay in records as history but are reached only through pull, not these lookups.
CREATE INDEX records_job_queue ON records (json_extract(data, '$.routerId'), json_extract(data, '$.state'))
	WHERE entity = 'routerJob';
-- Status turns a router's session list into cmiStatus rows: its current rows by router.
CREATE INDEX records_cmi_router ON records (json_extract(data, '$.routerId'))
	WHERE entity = 'cmiStatus';
CREATE INDEX records_cmi_account ON records (json_extract(data, '$.accountId'))
	WHERE entity = 'cmiStatus';
-- Accounts by router (status, router.check) and by username (unique per router, on every save).
CREATE INDEX records_pppoe_router ON records (json_extract(data, '$.routerId'))
	WHERE entity = 'pppoeAccount';
CREATE INDEX records_pppoe_username ON records (json_extract(data, '$.username'))
	WHERE entity = 'pppoeAccount';
