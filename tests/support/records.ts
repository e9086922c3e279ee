// Helpers of the tests that need rows the API cannot write (lines from months ago, issued
// documents), users of a role, and a full pull's ids (windowed entities).
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Change, PullResponse, Router } from '@enlace/shared';
import { recordStatements, type RecordWrite } from '../../sync-server/src/sync/store';
import { api, type TestServer } from './server';

/** Rows written straight into the change log, as the server's own writes are. */
export async function writeRecords(s: TestServer, writes: RecordWrite[]): Promise<void> {
	await s.db.exclusive(() =>
		s.db.client.batch(recordStatements(writes, null, new Date().toISOString()), 'write')
	);
}

/**
 * A router row named `name`, up, written as an agent's hello would (routers are declared by
 * agents, never pushed): for tests that queue router jobs without an agent.
 */
export async function declaredRouter(s: TestServer, name: string, host: string): Promise<Router> {
	const router: Router = {
		id: randomUUID(),
		agentId: randomUUID(),
		name,
		host,
		port: 8728,
		tls: false,
		state: 'up'
	};
	await writeRecords(s, [{ entity: 'router', id: router.id, row: router }]);
	return router;
}

/** A new user of `role`, signed in: its token. */
export async function signedInUser(s: TestServer, role: 'office' | 'technician'): Promise<string> {
	const email = `${role}-${randomUUID().slice(0, 8)}@enlace.test`;
	const r = await api(s.url, s.adminToken).post('/api/users', {
		email,
		name: role,
		role,
		password: `${role}-password-1`
	});
	expect(r.status).toBe(201);
	return s.login(email, `${role}-password-1`);
}

/** Every id a pull from 0 sends `token` (with `query`: `&pinned=…`), and its last page. */
export async function pulledIds(
	s: TestServer,
	token: string,
	query = ''
): Promise<{ ids: Set<string>; last: PullResponse }> {
	const ids = new Set<string>();
	let since = 0;
	for (;;) {
		const r = await api(s.url, token).get<PullResponse>(`/api/sync/pull?since=${since}${query}`);
		expect(r.status).toBe(200);
		r.body.changes.forEach((c: Change) => ids.add(c.id));
		since = r.body.seq;
		if (!r.body.more) return { ids, last: r.body };
	}
}
