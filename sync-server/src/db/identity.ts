import { randomUUID } from 'node:crypto';
import { createClient } from '@libsql/client';
import type { Db } from './client';

/**
 * The database's identity (`meta.server_id`), sent with every pull page. Devices hold a position
 * (seq) in one database's change log; a different identity tells them their position means nothing
 * here, so they reset and pull from 0 (docs/sync-protocol.md).
 */
export async function serverIdentity(db: Db): Promise<string> {
	const r = await db.client.execute("SELECT value FROM meta WHERE key = 'server_id'");
	if (r.rows.length) return String(r.rows[0].value);
	const id = randomUUID();
	await db.exclusive(() =>
		db.client.execute({
			sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('server_id', ?)",
			args: [id]
		})
	);
	return serverIdentity(db);
}

/**
 * Give the database at `url` a new identity: for a copy that may be restored later (its seqs will
 * be reused by new writes, which devices that synced past them would never pull) or a database
 * rolled back by other means. Run it while no server has the database open.
 */
export async function renewIdentity(url: string, authToken?: string): Promise<string> {
	const client = createClient({ url, authToken });
	try {
		const id = randomUUID();
		await client.batch(
			[
				{
					sql: "INSERT INTO meta (key, value) VALUES ('server_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
					args: [id]
				},
				{
					sql: "INSERT INTO meta (key, value) VALUES ('identity_renewed_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
					args: [new Date().toISOString()]
				}
			],
			'write'
		);
		return id;
	} finally {
		client.close();
	}
}
