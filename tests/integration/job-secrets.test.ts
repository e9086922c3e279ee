// No PPPoE password and no router's account list in a synced router job (issue #8 › 6). Job rows
// reach every device of every role; the agent gets the password (and a check's desired state)
// when it claims the job, built from the rows as they are then. A drift report is stored bounded.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ACCOUNT_GONE,
	DRIFT_LIST_MAX,
	type AgentJob,
	type Change,
	type PullResponse
} from '@enlace/shared';
import { ROW_MIGRATIONS, applyRowMigration } from '../../sync-server/src/db/row-migrations';
import { createAgent, routerDecl, type AgentClient } from '../support/agent-client';
import {
	api,
	customerArgs,
	pull,
	pullAll,
	pushOne,
	officeAndTechnician,
	startTestServer,
	type Json,
	type TestServer
} from '../support/server';

let s: TestServer;
let officeToken: string;
let techToken: string;
let agent: AgentClient;
let routerId: string;
let customerId: string;

/** Distinctive, so a grep of a whole pull body finds nothing else. */
const OLD_PASSWORD = 'Pw-antigua-5g7Q2x';
const NEW_PASSWORD = 'Pw-nueva-8Kd31zR';
const OTHER_PASSWORD = 'Pw-otra-cuenta-4Hh9w';

async function applied(name: string, args: unknown, token = s.adminToken) {
	const r = await pushOne(s.url, token, name, args);
	expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
}

/** Every page of a pull from 0, as the server sent it. */
async function pullBodies(token: string): Promise<{ text: string; changes: Change[] }> {
	const pages: PullResponse[] = [];
	let since = 0;
	for (;;) {
		const r = await api(s.url, token).get(`/api/sync/pull?since=${since}`);
		expect(r.status).toBe(200);
		pages.push(r.body);
		since = r.body.seq;
		if (!r.body.more) break;
	}
	return { text: JSON.stringify(pages), changes: pages.flatMap((p) => p.changes) };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

async function claimAll(): Promise<AgentJob[]> {
	const r = await agent.jobs(0, 1000);
	expect(r.status).toBe(200);
	return r.body.jobs;
}

async function settle(
	jobs: AgentJob[],
	result: (j: AgentJob) => Record<string, unknown> = () => ({})
) {
	const r = await agent.results(jobs.map((j) => ({ jobId: j.id, ok: true, result: result(j) })));
	expect(r.body).toEqual({ ok: true, unknown: [] });
}

const account = (over: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	customerId,
	routerId,
	username: `cli-${randomUUID().slice(0, 8)}`,
	password: OTHER_PASSWORD,
	...over
});

beforeAll(async () => {
	// No pruning of finished jobs: the migration test stores jobs finished in January, and the
	// server's pruner (a second after start, then on a timer) deleted them before the pull
	// whenever it ran in between (a CI run under load).
	s = await startTestServer({ env: { JOB_RETENTION_DAYS: '0' } });
	({ officeToken, techToken } = await officeAndTechnician(s));
	const made = await createAgent(s, 'Agente secretos');
	agent = made.client;
	const hello = await agent.hello([routerDecl('torre')]);
	routerId = hello.body.routers[0].id;
	const customer = customerArgs({ name: 'Cliente Secretos' });
	await applied('customer.create', customer);
	customerId = customer.id;
});

afterAll(async () => {
	await s?.close();
});

describe('router jobs without secrets', () => {
	it('no pull of any role holds a password or an account list in a job; the agent gets them at claim', async () => {
		const acc = account({ password: OLD_PASSWORD, staticIp: '10.50.0.9' });
		await applied('pppoe.save', acc, techToken);
		await applied('pppoe.save', account());
		// The password changes after the first job was queued, before any agent claimed it.
		await applied('pppoe.save', { ...acc, password: NEW_PASSWORD }, officeToken);
		await applied('router.check', { routerId }, officeToken);
		await applied('router.reapply', { routerId }, officeToken);

		for (const token of [techToken, officeToken, s.adminToken]) {
			const { text, changes } = await pullBodies(token);
			const jobs = changes.filter((c) => c.entity === 'routerJob' && c.op === 'put');
			expect(jobs.length).toBe(6);
			// The old password is nowhere; the current one only in the account row itself.
			expect(count(text, OLD_PASSWORD)).toBe(0);
			expect(count(text, NEW_PASSWORD)).toBe(1);
			expect(count(text, OTHER_PASSWORD)).toBe(1);
			const account = changes.find((c) => c.entity === 'pppoeAccount' && c.id === acc.id);
			expect(JSON.stringify(account)).toContain(NEW_PASSWORD);
			for (const j of jobs) {
				const row = j.data as Json;
				expect(row.payload).not.toHaveProperty('password');
				expect(row.payload).not.toHaveProperty('accounts');
				if (row.kind === 'router.check') expect(row.payload).toEqual({});
			}
		}

		// The agent: every secret.ensure with the account's current password, the check with
		// every account of the router.
		const claimed = await claimAll();
		const ensures = claimed.filter((j) => j.kind === 'secret.ensure');
		expect(ensures.length).toBe(5);
		for (const j of ensures.filter((j) => j.payload.name === acc.username)) {
			expect(j.payload).toMatchObject({ password: NEW_PASSWORD, remoteAddress: '10.50.0.9' });
		}
		const check = claimed.find((j) => j.kind === 'router.check')!;
		expect((check.payload.accounts as Json[]).map((a) => a.password).sort()).toEqual(
			[NEW_PASSWORD, OTHER_PASSWORD].sort()
		);
		// What the agent received is not written back into the rows.
		await settle(claimed, (j) =>
			j.kind === 'router.check' ? { missing: [], different: [], unknown: [] } : {}
		);
		const { text } = await pullBodies(techToken);
		expect(count(text, NEW_PASSWORD)).toBe(1);
	});

	it('fails a secret.ensure whose account was deleted before the claim, and goes on with the rest', async () => {
		const acc = account();
		await applied('pppoe.save', acc);
		await applied('pppoe.delete', { id: acc.id });
		const claimed = await claimAll();
		// The secret.ensure is settled by the server; its secret.remove is handed out.
		expect(claimed.map((j) => [j.kind, j.payload])).toEqual([
			['secret.remove', { name: acc.username }]
		]);
		const { changes } = await pullAll(s.url, officeToken);
		const ensure = changes.find(
			(c) =>
				c.entity === 'routerJob' &&
				(c.data as Json)?.accountId === acc.id &&
				(c.data as Json).kind === 'secret.ensure'
		)?.data as Json;
		expect(ensure).toMatchObject({ state: 'failed', error: ACCOUNT_GONE, attempts: 0 });
		const line = changes.find(
			(c) => c.entity === 'history' && (c.data as Json).entityId === ensure.id
		)?.data as Json;
		expect(line).toMatchObject({ field: 'Guardar Secret', newValue: `fallo: ${ACCOUNT_GONE}` });
		await settle(claimed);
	});

	it('stores a drift report bounded: what differs, at most DRIFT_LIST_MAX names per list, with counts', async () => {
		await applied('router.check', { routerId }, officeToken);
		const [check] = await claimAll();
		expect(check.kind).toBe('router.check');
		const names = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}-${i}`);
		await settle([check], () => ({
			missing: names('falta', 3000),
			different: names('distinta', 10).map((name) => ({ name, fields: ['password'] })),
			unknown: names('ajena', 4000)
		}));
		const { changes } = await pullAll(s.url, techToken);
		const row = changes.find((c) => c.entity === 'routerJob' && c.id === check.id)?.data as Json;
		expect(row.state).toBe('done');
		expect(row.result.missing).toHaveLength(DRIFT_LIST_MAX);
		expect(row.result.unknown).toHaveLength(DRIFT_LIST_MAX);
		expect(row.result.different).toHaveLength(10);
		expect(row.result.counts).toEqual({ missing: 3000, different: 10, unknown: 4000 });
		expect(JSON.stringify(row).length).toBeLessThan(12_000);
	});

	it('the row migration strips passwords and account lists from jobs stored before it', async () => {
		// Two rows as an older server stored them.
		const old = (kind: string, payload: Json, result?: Json) => ({
			id: randomUUID(),
			routerId,
			customerId,
			kind,
			payload,
			state: 'done',
			attempts: 1,
			createdAt: '2026-01-01T10:00:00.000Z',
			updatedAt: '2026-01-01T10:00:00.000Z',
			requestedBy: 'u-1',
			action: 'Antiguo',
			...(result ? { result } : {})
		});
		const rows = [
			old('secret.ensure', { name: 'vieja', password: OLD_PASSWORD, profile: 'default' }),
			old(
				'router.check',
				{ accounts: [{ name: 'vieja', password: OLD_PASSWORD, profile: 'default' }] },
				{ missing: [], different: [], unknown: Array.from({ length: 500 }, (_, i) => `u${i}`) }
			)
		];
		for (const row of rows) {
			await s.db.client.execute({
				sql: `INSERT INTO records (entity, id, customer_id, scope, data, deleted, seq, updated_at, updated_by)
					VALUES ('routerJob', ?, ?, 'all', ?, 0, (SELECT value + 1 FROM counters WHERE name = 'seq'), ?, NULL)`,
				args: [row.id, customerId, JSON.stringify(row), row.updatedAt]
			});
			await s.db.client.execute("UPDATE counters SET value = value + 1 WHERE name = 'seq'");
		}
		const device = await pullAll(s.url, techToken);
		expect(JSON.stringify(device.changes)).toContain(OLD_PASSWORD);

		const migration = ROW_MIGRATIONS.find((m) => m.name === '0004_router_jobs_without_secrets')!;
		await s.db.exclusive(() => applyRowMigration(s.db.client, migration, { sql: 'SELECT 1' }));

		// The device's next pull brings the rewritten rows (new seqs); a new device never sees them.
		const next = await pull(s.url, techToken, device.seq);
		const byId = new Map(next.changes.map((c) => [c.id, c.data as Json]));
		expect(byId.get(rows[0].id)?.payload).toEqual({ name: 'vieja', profile: 'default' });
		expect(byId.get(rows[1].id)?.payload).toEqual({});
		expect(byId.get(rows[1].id)?.result.counts).toEqual({ missing: 0, different: 0, unknown: 500 });
		const { text } = await pullBodies(techToken);
		expect(count(text, OLD_PASSWORD)).toBe(0);
	});
});
