// Finished router jobs are pruned on the server after JOB_RETENTION_DAYS (issue #8 › 4): deleted
// as tombstones, so a device that held them drops them at its next pull (the app's SyncEngine over
// fake-indexeddb, against the real server); their Historial lines stay; queued and running jobs
// are never pruned; a new device downloads neither the pruned jobs nor their deletes.
import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EnlaceDb } from '../../app/src/lib/db/db';
import { SyncEngine } from '../../app/src/lib/sync/engine';
import { httpTransport } from '../../app/src/lib/sync/http-transport';
import { PRUNE_BATCH, pruneFinishedJobs } from '../../sync-server/src/agent/prune';
import { SETTINGS, loadConfig } from '../../sync-server/src/config';
import { SeqNotifier } from '../../sync-server/src/sync/notifier';
import { createAgent, routerDecl } from '../support/agent-client';
import { deviceFetch, deviceTokens } from '../support/device-fetch';
import {
	api,
	customerArgs,
	officeAndTechnician,
	pullAll,
	pushOne,
	startTestServer,
	type TestServer
} from '../support/server';

const DAY = 86_400_000;
let s: TestServer;
const dbs: EnlaceDb[] = [];

beforeAll(async () => {
	s = await startTestServer();
	vi.stubGlobal('fetch', deviceFetch);
});

afterAll(async () => {
	for (const db of dbs) db.close();
	vi.unstubAllGlobals();
	await s?.close();
});

async function applied(name: string, args: unknown) {
	const r = await pushOne(s.url, s.adminToken, name, args);
	expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
}

/** A technician's device: the app's engine over its own IndexedDB. */
async function technicianDevice(name: string) {
	const { techToken: token } = await officeAndTechnician(s);
	deviceTokens.set(name, token);
	const me = (await api(s.url, token).get('/api/me')).body.user;
	const db = new EnlaceDb(`enlace-${name}`, { indexedDB: new IDBFactory(), IDBKeyRange });
	dbs.push(db);
	const user = { userId: me.id, userName: me.name, role: me.role };
	const transport = httpTransport(`${s.url}/~${name}`);
	return { db, token, engine: new SyncEngine(db, transport, name, () => user) };
}

describe('pruning finished router jobs', () => {
	it('defaults to 30 days, and 0 keeps every job', () => {
		expect(SETTINGS.jobRetentionDays.default).toBe('30');
		expect(loadConfig({}).jobRetentionDays).toBe(30);
		expect(loadConfig({ JOB_RETENTION_DAYS: '0' }).jobRetentionDays).toBe(0);
		expect(() => loadConfig({ JOB_RETENTION_DAYS: '-1' })).toThrow(/JOB_RETENTION_DAYS/);
	});

	it('deletes done and failed jobs past the retention on the server and on a device; Historial stays', async () => {
		const { client: agent } = await createAgent(s, 'Agente poda');
		const routerIds = (await agent.hello([routerDecl('a'), routerDecl('b'), routerDecl('c')])).body
			.routers;
		const [ra, rb, rc] = routerIds.map((r) => r.id);
		const customer = customerArgs({ name: 'Cliente Poda' });
		await applied('customer.create', customer);
		const save = (routerId: string) =>
			applied('pppoe.save', {
				id: randomUUID(),
				customerId: customer.id,
				routerId,
				username: `cli-${randomUUID().slice(0, 8)}`,
				password: 'secreto-pppoe-1'
			});
		// Router a: one done, one failed. Router b: one running (claimed, never settled), one queued
		// behind it. Router c: one queued (its agent never polls for it below).
		await save(ra);
		await save(ra);
		await save(rb);
		await save(rb);
		const first = (await agent.jobs(0, 10)).body.jobs;
		const onA = first.filter((j) => j.routerId === ra);
		expect(onA).toHaveLength(2);
		expect(first.filter((j) => j.routerId === rb)).toHaveLength(2);
		await agent.results([
			{ jobId: onA[0].id, ok: true },
			{ jobId: onA[1].id, ok: false, error: 'failure: algo', final: true }
		]);
		const runningB = first.filter((j) => j.routerId === rb).map((j) => j.id);
		await save(rc);

		const device = await technicianDevice('poda');
		await device.engine.sync();
		const finished = onA.map((j) => j.id);
		expect((await device.db.routerJob.bulkGet(finished)).every(Boolean)).toBe(true);
		const lines = async () =>
			(await device.db.history.toArray()).filter((h) => finished.includes(h.entityId ?? ''));
		expect((await lines()).map((h) => h.newValue).sort()).toEqual([
			'fallo: failure: algo',
			'hecho'
		]);
		const jobsBefore = await device.db.routerJob.count();

		const notifier = new SeqNotifier();
		// Not yet: finished less than 30 days ago.
		expect(await pruneFinishedJobs(s.db, notifier, 30, Date.now() + 29 * DAY)).toBe(0);
		// Retention 0: never.
		expect(await pruneFinishedJobs(s.db, notifier, 0, Date.now() + 365 * DAY)).toBe(0);
		// 31 days on: the two finished jobs go; running and queued ones stay, however old.
		const pruned = await pruneFinishedJobs(s.db, notifier, 30, Date.now() + 31 * DAY);
		expect(pruned).toBe(2);
		const stored = await s.db.client.execute({
			sql: `SELECT id, deleted FROM records WHERE entity = 'routerJob' AND id IN (${finished.map(() => '?').join(',')})`,
			args: finished
		});
		expect(stored.rows.map((r) => Number(r.deleted))).toEqual([1, 1]);
		const open = await s.db.client.execute(
			`SELECT json_extract(data, '$.state') AS state FROM records
				WHERE entity = 'routerJob' AND deleted = 0 AND json_extract(data, '$.state') IN ('done', 'failed')`
		);
		expect(open.rows).toEqual([]);

		// The device drops them at its next pull; everything else stays.
		await device.engine.sync();
		expect(await device.db.routerJob.bulkGet(finished)).toEqual([undefined, undefined]);
		expect(await device.db.routerJob.count()).toBe(jobsBefore - 2);
		for (const id of runningB) expect((await device.db.routerJob.get(id))?.state).toBe('running');
		expect(
			(await device.db.routerJob.where('routerId').equals(rc).toArray()).map((j) => j.state)
		).toEqual(['queued']);
		expect(await lines()).toHaveLength(2);

		// A new device: neither the pruned jobs nor their deletes.
		const { changes } = await pullAll(s.url, device.token);
		expect(changes.filter((c) => finished.includes(c.id))).toEqual([]);
		expect(changes.filter((c) => c.op === 'delete')).toEqual([]);
		expect(
			changes.filter((c) => finished.includes((c.data as { entityId?: string })?.entityId ?? ''))
		).toHaveLength(2);
	});

	it('prunes in writes of PRUNE_BATCH rows until none is left', async () => {
		const n = 2 * PRUNE_BATCH + 37;
		const at = new Date(Date.now() - 90 * DAY).toISOString();
		const rows = Array.from({ length: n }, (_, i) => {
			const id = randomUUID();
			const job = {
				id,
				routerId: 'router-antiguo',
				kind: 'session.kick',
				payload: { name: `cli-${i}` },
				state: i % 2 ? 'done' : 'failed',
				attempts: 1,
				createdAt: at,
				updatedAt: at,
				requestedBy: 'u-1',
				action: 'Reiniciar sesión'
			};
			return [id, JSON.stringify(job)];
		});
		await s.db.client.batch(
			[
				{
					sql: `INSERT INTO records (entity, id, customer_id, scope, data, deleted, seq, updated_at, updated_by)
						SELECT 'routerJob', j.value ->> 0, NULL, 'all', j.value ->> 1, 0,
							(SELECT value FROM counters WHERE name = 'seq') + j.key + 1, ?, NULL
						FROM json_each(?) j`,
					args: [at, JSON.stringify(rows)]
				},
				{ sql: "UPDATE counters SET value = value + ? WHERE name = 'seq'", args: [n] }
			],
			'write'
		);
		expect(await pruneFinishedJobs(s.db, new SeqNotifier(), 30)).toBe(n);
		const left = await s.db.client.execute(
			"SELECT count(*) AS n FROM records WHERE entity = 'routerJob' AND deleted = 0 AND json_extract(data, '$.routerId') = 'router-antiguo'"
		);
		expect(Number(left.rows[0].n)).toBe(0);
	});
});
