// The edge agent's side of the sync-server over real HTTP (docs/router-work.md): agent
// tokens, hello, leased job claims in per-router order, results, status → cmiStatus, and the
// router mutators as an app pushes them. Each test makes its own agent (and so its own routers
// and queues), so tests sharing the server assert only on what they made.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '@enlace/shared';
import { agentClient, createAgent, routerDecl, type AgentClient } from '../support/agent-client';
import {
	api,
	customerArgs,
	pullAll,
	pushOne,
	officeAndTechnician,
	startTestServer,
	startTestServerOnSqld,
	type ApiResponse,
	type Json,
	type TestServer
} from '../support/server';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function expectError(r: ApiResponse, status: number, code: string, field?: string) {
	expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
	expect(typeof r.body.error.message).toBe('string');
	if (field !== undefined) expect(r.body.error.field).toBe(field);
}

/** The change log and every row's version: what "nothing written" means. */
async function snapshot(s: TestServer) {
	const rows = await s.db.client.execute(
		'SELECT entity, id, seq, deleted FROM records ORDER BY entity, id'
	);
	const counter = await s.db.client.execute("SELECT value FROM counters WHERE name = 'seq'");
	const routers = await s.db.client.execute(
		'SELECT agent_id, router_id FROM agent_routers ORDER BY agent_id, router_id'
	);
	return {
		seq: Number(counter.rows[0].value),
		health: (await api(s.url).get('/api/health')).body.seq as number,
		rows: rows.rows.map((r) => `${r.entity}|${r.id}|${r.seq}|${r.deleted}`),
		agentRouters: routers.rows.map((r) => `${r.agent_id}|${r.router_id}`)
	};
}

async function expectNothingWritten<T>(s: TestServer, fn: () => Promise<T>): Promise<T> {
	const before = await snapshot(s);
	expect(before.rows.length).toBeGreaterThan(0);
	const out = await fn();
	expect(await snapshot(s)).toEqual(before);
	return out;
}

const seqOf = async (s: TestServer) =>
	Number(
		(await s.db.client.execute("SELECT value FROM counters WHERE name = 'seq'")).rows[0].value
	);

/** What a fresh device would hold: the latest change per (entity, id). */
async function state(s: TestServer, token = s.adminToken): Promise<Map<string, Change>> {
	const { changes } = await pullAll(s.url, token);
	return new Map(changes.map((c) => [`${c.entity}:${c.id}`, c]));
}

async function row(s: TestServer, entity: string, id: string, token?: string): Promise<Json> {
	const c = (await state(s, token)).get(`${entity}:${id}`);
	return c?.op === 'put' ? c.data : undefined;
}

async function rowsOf(s: TestServer, entity: string, where: (r: Json) => boolean = () => true) {
	return [...(await state(s)).values()]
		.filter((c) => c.entity === entity && c.op === 'put' && where(c.data))
		.map((c) => c.data as Json);
}

async function applied(s: TestServer, name: string, args: unknown, token = s.adminToken) {
	const r = await pushOne(s.url, token, name, args);
	expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
	return r;
}

async function rejected(s: TestServer, name: string, args: unknown, token = s.adminToken) {
	const r = await pushOne(s.url, token, name, args);
	const [result] = r.body.results;
	if (result.status !== 'rejected') throw new Error(`${name} was applied`);
	return result.error;
}

type Setup = {
	agentId: string;
	agent: AgentClient;
	routers: Record<string, string>;
	customerId: string;
};

/** A new agent with its routers declared, and a customer to hang accounts on. */
async function setup(s: TestServer, names: string[]): Promise<Setup> {
	const { id, client } = await createAgent(s, `Agente ${names.join('+')}`);
	const hello = await client.hello(names.map((n) => routerDecl(n)));
	expect(hello.status).toBe(200);
	const customer = customerArgs({ name: 'Cliente Router' });
	await applied(s, 'customer.create', customer);
	return {
		agentId: id,
		agent: client,
		routers: Object.fromEntries(hello.body.routers.map((r) => [r.name, r.id])),
		customerId: customer.id
	};
}

let userSeq = 0;
const uniq = () => `${Date.now().toString(36)}${(userSeq++).toString(36)}`;

const account = (x: Setup, router: string, over: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	customerId: x.customerId,
	routerId: x.routers[router],
	username: `user-${uniq()}`,
	password: 'secreto-pppoe-1',
	...over
});

/** The jobs of a router, in queue order. */
async function jobsOf(s: TestServer, routerId: string): Promise<Json[]> {
	const jobs = await rowsOf(s, 'routerJob', (j) => j.routerId === routerId);
	return jobs.sort((a, b) => a.n - b.n);
}

function agentSuite(name: string, makeServer: () => Promise<TestServer>) {
	describe(name, () => {
		let s: TestServer;
		let officeToken: string;
		let techToken: string;
		beforeAll(async () => {
			s = await makeServer();
			({ officeToken, techToken } = await officeAndTechnician(s));
		});
		afterAll(async () => {
			await s?.close();
		});

		describe('agent tokens', () => {
			it('shows a new token once and stores only its SHA-256', async () => {
				const admin = api(s.url, s.adminToken);
				const created = await admin.post('/api/agents', { name: 'Nodo Torre Norte' });
				expect(created.status).toBe(201);
				const { agent, token } = created.body;
				expect(token).toMatch(/^[\w-]{43}$/);
				expect(agent).toEqual({
					id: expect.any(String),
					name: 'Nodo Torre Norte',
					createdAt: expect.any(String),
					lastSeenAt: null,
					revoked: false
				});

				const listed = await admin.get('/api/agents');
				expect(listed.status).toBe(200);
				expect(listed.body.agents).toContainEqual(agent);
				expect(JSON.stringify(listed.body)).not.toContain(token);

				const stored = await s.db.client.execute({
					sql: 'SELECT * FROM agents WHERE id = ?',
					args: [agent.id]
				});
				expect(stored.rows[0].token_hash).toBe(sha256(token));
				expect(JSON.stringify(stored.rows[0])).not.toContain(token);

				// Using it marks the agent as seen.
				expect((await agentClient(s.url, token).hello([])).status).toBe(200);
				const seen = (await admin.get('/api/agents')).body.agents.find(
					(a: Json) => a.id === agent.id
				);
				expect(Date.parse(seen.lastSeenAt)).not.toBeNaN();
			});

			it('is for admins only, and needs a name', async () => {
				const someAgent = (await api(s.url, s.adminToken).get('/api/agents')).body.agents[0];
				for (const token of [officeToken, techToken]) {
					const a = api(s.url, token);
					expectError(await a.get('/api/agents'), 403, 'forbidden');
					expectError(await a.post('/api/agents', { name: 'x' }), 403, 'forbidden');
					expectError(await a.raw('DELETE', `/api/agents/${someAgent.id}`), 403, 'forbidden');
				}
				expectError(await api(s.url).get('/api/agents'), 401, 'unauthorized');
				const admin = api(s.url, s.adminToken);
				expectError(await admin.post('/api/agents', {}), 400, 'invalid-field', 'name');
				expectError(await admin.post('/api/agents', { name: '   ' }), 400, 'invalid-field', 'name');
				expectError(
					await admin.post('/api/agents', { name: 'x', token: 'mine' }),
					400,
					'invalid-args'
				);
				expectError(
					await admin.raw('POST', '/api/agents', {
						body: '{',
						headers: { 'content-type': 'application/json' }
					}),
					400,
					'invalid-json'
				);
				expect((await api(s.url, someAgent.id).get('/api/me')).status).toBe(401);
			});

			it('revoked: the token answers 401 at once and the routers show as unknown', async () => {
				const x = await setup(s, ['rev-a']);
				await x.agent.status([
					{ routerId: x.routers['rev-a'], reachable: true, sessions: [], version: '7.18' }
				]);
				expect((await row(s, 'router', x.routers['rev-a'])).state).toBe('up');

				const admin = api(s.url, s.adminToken);
				const revoked = await admin.raw('DELETE', `/api/agents/${x.agentId}`);
				expect(revoked.status).toBe(200);
				expect(revoked.body.agent).toMatchObject({ id: x.agentId, revoked: true });
				expect((await admin.raw('DELETE', `/api/agents/${x.agentId}`)).body.agent.revoked).toBe(
					true
				);
				expectError(await admin.raw('DELETE', `/api/agents/${randomUUID()}`), 404, 'not-found');

				expectError(await x.agent.hello([routerDecl('rev-a')]), 401, 'unauthorized');
				expectError(await x.agent.jobs(), 401, 'unauthorized');
				expectError(await x.agent.status([]), 401, 'unauthorized');
				expectError(await x.agent.result(randomUUID(), { ok: true }), 401, 'unauthorized');
				expect(await row(s, 'router', x.routers['rev-a'])).toMatchObject({
					state: 'unknown',
					lastError: expect.stringMatching(/revocado/)
				});
			});

			it('rotates a token: the new one shown once, the old refused, the router ids kept', async () => {
				const x = await setup(s, ['rot-a', 'rot-b']);
				const admin = api(s.url, s.adminToken);
				const rotated = await admin.post(`/api/agents/${x.agentId}/rotate`, {});
				expect(rotated.status).toBe(200);
				const { agent, token } = rotated.body;
				expect(token).toMatch(/^[\w-]{43}$/);
				expect(token).not.toBe(x.agent.token);
				expect(agent).toMatchObject({ id: x.agentId, revoked: false });
				const stored = await s.db.client.execute({
					sql: 'SELECT token_hash FROM agents WHERE id = ?',
					args: [x.agentId]
				});
				expect(stored.rows[0].token_hash).toBe(sha256(token));
				expect(JSON.stringify((await admin.get('/api/agents')).body)).not.toContain(token);

				expectError(await x.agent.jobs(), 401, 'unauthorized');
				expectError(await x.agent.hello([routerDecl('rot-a')]), 401, 'unauthorized');
				const renewed = agentClient(s.url, token);
				const hello = await renewed.hello([routerDecl('rot-a'), routerDecl('rot-b')]);
				expect(hello.status).toBe(200);
				expect(hello.body.agentId).toBe(x.agentId);
				expect(Object.fromEntries(hello.body.routers.map((r) => [r.name, r.id]))).toEqual(
					x.routers
				);

				// Admins only; an unknown or revoked agent gets no new token.
				for (const t of [officeToken, techToken]) {
					expectError(
						await api(s.url, t).post(`/api/agents/${x.agentId}/rotate`, {}),
						403,
						'forbidden'
					);
				}
				expectError(await admin.post(`/api/agents/${randomUUID()}/rotate`, {}), 404, 'not-found');
				await admin.raw('DELETE', `/api/agents/${x.agentId}`);
				expectError(await admin.post(`/api/agents/${x.agentId}/rotate`, {}), 409, 'agent-revoked');
				expectError(await renewed.jobs(), 401, 'unauthorized');
			});

			it('keeps user sessions and agent tokens apart', async () => {
				const x = await setup(s, ['apart']);
				expectError(await agentClient(s.url, s.adminToken).jobs(), 401, 'unauthorized');
				expectError(
					await api(s.url, x.agent.token).get('/api/sync/pull?since=0'),
					401,
					'unauthorized'
				);
				expectError(await api(s.url, x.agent.token).get('/api/agents'), 401, 'unauthorized');
			});
		});

		describe('hello', () => {
			it('upserts one router per declaration with stable ids, and apps pull them', async () => {
				const { id: agentId, client } = await createAgent(s, 'Agente hello');
				const first = await client.hello([routerDecl('core', '10.0.0.1'), routerDecl('edge')]);
				expect(first.status).toBe(200);
				expect(first.body).toMatchObject({ agentId, leaseSeconds: 60, statusIntervalSeconds: 5 });
				const [core, edge] = first.body.routers;
				expect(core.name).toBe('core');
				expect(core.id).not.toBe(edge.id);

				// A technician's device receives the rows: no credentials in them, state unknown.
				const pulled = await row(s, 'router', core.id, techToken);
				expect(pulled).toEqual({
					id: core.id,
					agentId,
					name: 'core',
					host: '10.0.0.1',
					port: 8729,
					tls: true,
					state: 'unknown'
				});

				// The same hello again: same ids, nothing written.
				const before = await seqOf(s);
				const again = await client.hello([routerDecl('core', '10.0.0.1'), routerDecl('edge')]);
				expect(again.body.routers).toEqual(first.body.routers);
				expect(await seqOf(s)).toBe(before);

				// A router the agent stops declaring is kept, marked, and comes back unmarked.
				await client.hello([routerDecl('core', '10.0.0.2')]);
				expect((await row(s, 'router', core.id)).host).toBe('10.0.0.2');
				expect(await row(s, 'router', edge.id)).toMatchObject({
					state: 'unknown',
					lastError: expect.stringMatching(/ya no declara/)
				});
				expectError(
					await client.status([{ routerId: edge.id, reachable: true }]),
					404,
					'not-found',
					'routers.0.routerId'
				);
				const back = await client.hello([routerDecl('core', '10.0.0.2'), routerDecl('edge')]);
				expect(back.body.routers.map((r) => r.id)).toEqual([core.id, edge.id]);
				expect(await row(s, 'router', edge.id)).not.toHaveProperty('lastError');
			});

			it('refuses router credentials, repeated names and another protocol, writing nothing', async () => {
				const { client } = await createAgent(s, 'Agente estricto');
				await expectNothingWritten(s, async () => {
					expectError(
						await client.hello([{ ...routerDecl('r'), user: 'admin', password: 'x' } as never]),
						400,
						'invalid-args'
					);
					expectError(
						await client.hello([routerDecl('r'), routerDecl('r')]),
						400,
						'invalid-field',
						'routers.1.name'
					);
					expectError(await client.hello([routerDecl('r')], 2), 409, 'unsupported-protocol');
					expectError(
						await client.hello([routerDecl('bad name; drop')]),
						400,
						'invalid-field',
						'routers.0.name'
					);
					expectError(
						await client.hello(Array.from({ length: 501 }, (_, i) => routerDecl(`r${i}`))),
						400,
						'invalid-field',
						'routers'
					);
				});
			});
		});

		describe('jobs', () => {
			it('queues pppoe.save, claims with a lease one job per router at a time, and syncs results', async () => {
				const x = await setup(s, ['core', 'edge']);
				const core = x.routers.core;
				const edge = x.routers.edge;
				const acc = account(x, 'core', { staticIp: '10.20.0.5' });
				await applied(s, 'pppoe.save', acc, techToken);

				const [queued] = await jobsOf(s, core);
				expect(queued).toMatchObject({
					kind: 'secret.ensure',
					state: 'queued',
					attempts: 0,
					customerId: x.customerId,
					accountId: acc.id,
					payload: {
						name: acc.username,
						profile: 'default',
						remoteAddress: '10.20.0.5'
					}
				});
				// The synced row has no password; the agent's claim gets it from the account.
				expect(queued.payload).not.toHaveProperty('password');

				const t0 = Date.now();
				const first = await x.agent.jobs(0);
				expect(first.status).toBe(200);
				expect(first.body.jobs).toEqual([
					{
						id: queued.id,
						routerId: core,
						kind: 'secret.ensure',
						payload: { ...queued.payload, password: acc.password },
						attempts: 1,
						leaseUntil: expect.any(String)
					}
				]);
				const lease = Date.parse(first.body.jobs[0].leaseUntil) - t0;
				expect(lease).toBeGreaterThan(55_000);
				expect(lease).toBeLessThan(65_000);
				expect(await row(s, 'routerJob', queued.id)).toMatchObject({
					state: 'running',
					attempts: 1
				});

				// More work on both routers: core's waits behind the running job, edge's is free.
				await applied(s, 'pppoe.kick', { id: acc.id });
				const other = account(x, 'edge');
				await applied(s, 'pppoe.save', other);
				const second = await x.agent.jobs(0);
				expect(second.body.jobs.map((j) => [j.routerId, j.kind])).toEqual([
					[edge, 'secret.ensure']
				]);
				expect((await x.agent.jobs(0)).body.jobs).toEqual([]);

				const done = await x.agent.result(queued.id, { ok: true });
				expect(done.status).toBe(200);
				expect(done.body).toEqual({ ok: true });
				const settled = await row(s, 'routerJob', queued.id, officeToken);
				expect(settled.state).toBe('done');
				expect(settled).not.toHaveProperty('leaseUntil');
				const history = await rowsOf(s, 'history', (h) => h.entityId === queued.id);
				expect(history).toEqual([
					expect.objectContaining({
						customerId: x.customerId,
						kind: 'auto',
						entity: 'routerJob',
						field: 'Guardar Secret',
						newValue: 'hecho'
					})
				]);

				// A second result for the same job is answered and changes nothing.
				const seq = await seqOf(s);
				expect((await x.agent.result(queued.id, { ok: false, error: 'tarde' })).status).toBe(200);
				expect(await seqOf(s)).toBe(seq);
				expect((await row(s, 'routerJob', queued.id)).state).toBe('done');

				// Core's next job is free now.
				const third = await x.agent.jobs(0);
				expect(third.body.jobs.map((j) => [j.routerId, j.kind])).toEqual([[core, 'session.kick']]);

				const failed = await x.agent.result(second.body.jobs[0].id, {
					ok: false,
					error: 'failure: profile "nada" not found'
				});
				expect(failed.status).toBe(200);
				expect(await row(s, 'routerJob', second.body.jobs[0].id)).toMatchObject({
					state: 'failed',
					error: 'failure: profile "nada" not found'
				});
				const failLine = await rowsOf(s, 'history', (h) => h.entityId === second.body.jobs[0].id);
				expect(failLine.map((h) => h.newValue)).toEqual([
					'fallo: failure: profile "nada" not found'
				]);
			});

			it('claims up to max consecutive jobs of a router in order, and settles a batch of results once', async () => {
				const x = await setup(s, ['lote', 'otro']);
				const lote = x.routers.lote;
				const accs = [0, 1, 2, 3].map(() => account(x, 'lote'));
				for (const acc of accs) await applied(s, 'pppoe.save', acc);
				const queued = await jobsOf(s, lote);
				expect(queued).toHaveLength(4);

				const first = await x.agent.jobs(0, 3);
				expect(first.status).toBe(200);
				const claimed = first.body.jobs;
				expect(claimed.map((j) => j.payload.name)).toEqual(accs.slice(0, 3).map((a) => a.username));
				expect(claimed.every((j) => j.attempts === 1 && j.leaseUntil !== '')).toBe(true);
				// Nothing more of that router while any of those three is held, even with a larger max.
				expect((await x.agent.jobs(0, 10)).body.jobs).toEqual([]);
				// Another router of the same agent is not held up.
				await applied(s, 'pppoe.save', account(x, 'otro'));
				expect((await x.agent.jobs(0, 10)).body.jobs.map((j) => j.routerId)).toEqual([
					x.routers.otro
				]);

				const items = [
					{ jobId: claimed[0].id, ok: true },
					{ jobId: claimed[1].id, ok: false, error: 'failure: ya existe' },
					{ jobId: 'no-such-job', ok: true }
				];
				const posted = await x.agent.results(items);
				expect(posted.status).toBe(200);
				expect(posted.body).toEqual({ ok: true, unknown: ['no-such-job'] });
				expect((await row(s, 'routerJob', claimed[0].id)).state).toBe('done');
				expect(await row(s, 'routerJob', claimed[1].id)).toMatchObject({
					state: 'failed',
					error: 'failure: ya existe'
				});
				// Still held by the third job.
				expect((await x.agent.jobs(0, 10)).body.jobs).toEqual([]);

				// The same batch again (a retried post) changes nothing: no new rows, no Historial.
				const seq = await seqOf(s);
				expect((await x.agent.results(items)).status).toBe(200);
				expect(await seqOf(s)).toBe(seq);
				const lines = await rowsOf(s, 'history', (h) => claimed.some((j) => j.id === h.entityId));
				expect(lines.map((h) => h.newValue).sort()).toEqual(['fallo: failure: ya existe', 'hecho']);

				// The third one handed back (final:false) and the same job twice in one batch: the
				// first entry wins.
				const back = await x.agent.results([
					{ jobId: claimed[2].id, ok: false, final: false, error: 'caído' },
					{ jobId: claimed[2].id, ok: true }
				]);
				expect(back.status).toBe(200);
				expect(await row(s, 'routerJob', claimed[2].id)).toMatchObject({
					state: 'queued',
					error: 'caído'
				});
				// Once its retry delay is over it comes first, before the fourth.
				const again = await x.agent.jobs(5, 10);
				expect(again.body.jobs.map((j) => [j.id, j.attempts])).toEqual([
					[claimed[2].id, 2],
					[queued.find((j) => j.payload.name === accs[3].username)?.id, 1]
				]);

				// Another agent cannot settle them.
				const stranger = await createAgent(s, 'Ajeno');
				const foreign = await stranger.client.results([{ jobId: again.body.jobs[0].id, ok: true }]);
				expect(foreign.body).toEqual({ ok: true, unknown: [again.body.jobs[0].id] });
				expect((await row(s, 'routerJob', again.body.jobs[0].id)).state).toBe('running');
			});

			it('gives a job back to its queue on final:false, not failed, and hands it out again later', async () => {
				const x = await setup(s, ['lejano']);
				const acc = account(x, 'lejano');
				await applied(s, 'pppoe.save', acc);
				const [job] = (await x.agent.jobs(0)).body.jobs;
				const back = await x.agent.result(job.id, {
					ok: false,
					error: 'router unreachable',
					final: false
				});
				expect(back.status).toBe(200);
				const requeued = await row(s, 'routerJob', job.id);
				expect(requeued).toMatchObject({
					state: 'queued',
					attempts: 1,
					error: 'router unreachable'
				});
				expect(await rowsOf(s, 'history', (h) => h.entityId === job.id)).toEqual([]);
				// Not straight back (the router was just unreachable), but within a second or two.
				expect((await x.agent.jobs(0)).body.jobs).toEqual([]);
				const again = await x.agent.jobs(5);
				expect(again.body.jobs.map((j) => [j.id, j.attempts])).toEqual([[job.id, 2]]);
				expect((await x.agent.result(job.id, { ok: true })).status).toBe(200);
				expect((await row(s, 'routerJob', job.id)).state).toBe('done');
			});

			it('answers a long poll within a second of a job being enqueued', async () => {
				const x = await setup(s, ['espera']);
				const acc = account(x, 'espera');
				await applied(s, 'pppoe.save', acc);
				const [save] = (await x.agent.jobs(0)).body.jobs;
				await x.agent.result(save.id, { ok: true });

				const polling = x.agent.jobs(20);
				await new Promise((resolve) => setTimeout(resolve, 300));
				const pushedAt = Date.now();
				await applied(s, 'pppoe.kick', { id: acc.id });
				const got = await polling;
				// The push wakes the poll at once; the once-a-second look at the database alone would
				// answer about 700 ms after the push here, so this also fails without the wake-up.
				expect(Date.now() - pushedAt).toBeLessThan(600);
				expect(got.body.jobs.map((j) => [j.kind, j.payload])).toEqual([
					['session.kick', { name: acc.username }]
				]);

				// With nothing to claim, the poll waits about `wait` seconds and answers empty.
				const t0 = Date.now();
				const empty = await x.agent.jobs(1);
				expect(empty.body).toEqual({ jobs: [] });
				expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
				expect(Date.now() - t0).toBeLessThan(3000);
			});

			it('keeps ping figures in the job and in Historial', async () => {
				const x = await setup(s, ['ping']);
				const acc = account(x, 'ping', { staticIp: '10.30.0.7' });
				await applied(s, 'pppoe.save', acc);
				const [save] = (await x.agent.jobs(0)).body.jobs;
				await x.agent.result(save.id, { ok: true });
				// The router pings from inside the ISP's network: never an address not the account's.
				expect(
					await rejected(s, 'pppoe.ping', { id: acc.id, address: '192.168.1.1' }, techToken)
				).toMatchObject({ code: 'forbidden', field: 'address' });
				await applied(s, 'pppoe.ping', { id: acc.id, count: 3 }, techToken);
				const [ping] = (await x.agent.jobs(0)).body.jobs;
				expect(ping).toMatchObject({ kind: 'ping', payload: { address: '10.30.0.7', count: 3 } });
				const figures = { sent: 3, received: 3, loss: 0, rttMinMs: 1, rttAvgMs: 1.5, rttMaxMs: 2 };
				await x.agent.result(ping.id, { ok: true, result: figures });
				expect(await row(s, 'routerJob', ping.id)).toMatchObject({
					state: 'done',
					result: figures
				});
				const [line] = await rowsOf(s, 'history', (h) => h.entityId === ping.id);
				expect(line).toMatchObject({
					field: 'Ping',
					newValue: 'hecho: 3/3 respuestas, 0 % pérdida, media 1.5 ms'
				});
			});

			it("does not let an agent see or settle another agent's jobs", async () => {
				const a = await setup(s, ['mio']);
				const b = await setup(s, ['suyo']);
				await applied(s, 'pppoe.save', account(a, 'mio'));
				expect((await b.agent.jobs(0)).body.jobs).toEqual([]);
				const [job] = await jobsOf(s, a.routers.mio);
				await expectNothingWritten(s, async () => {
					expectError(await b.agent.result(job.id, { ok: true }), 404, 'not-found');
					expectError(
						await b.agent.status([{ routerId: a.routers.mio, reachable: false }]),
						404,
						'not-found',
						'routers.0.routerId'
					);
				});
				expect((await a.agent.jobs(0)).body.jobs.map((j) => j.id)).toEqual([job.id]);
			});
		});

		describe('status', () => {
			it('turns sessions into cmiStatus rows and writes only what changed', async () => {
				const x = await setup(s, ['bras']);
				const routerId = x.routers.bras;
				const acc = account(x, 'bras');
				await applied(s, 'pppoe.save', acc);
				const sessions = [
					{
						name: acc.username,
						address: '100.64.1.2',
						uptime: '1h2m3s',
						callerId: 'AA:BB:CC:00:11:22'
					},
					{ name: 'desconocido', address: '100.64.1.3', uptime: '5m' }
				];
				const post = (list = sessions, extra: Record<string, unknown> = {}) =>
					x.agent.status([
						{
							routerId,
							reachable: true,
							version: '7.18.2',
							identity: 'BRAS-1',
							sessions: list,
							...extra
						}
					]);
				const t0 = Date.now();
				expect((await post()).body).toEqual({ ok: true });

				expect(await row(s, 'router', routerId, techToken)).toMatchObject({
					state: 'up',
					version: '7.18.2',
					identity: 'BRAS-1',
					sessionsOnline: 2,
					lastContactAt: expect.any(String)
				});
				const mine = await row(s, 'cmiStatus', `${routerId}:${acc.username}`, techToken);
				expect(mine).toMatchObject({
					routerId,
					username: acc.username,
					customerId: x.customerId,
					accountId: acc.id,
					online: true,
					address: '100.64.1.2',
					uptime: '1h2m3s',
					callerId: 'AA:BB:CC:00:11:22'
				});
				// "since" is the session's start, from its uptime.
				expect(Math.abs(Date.parse(mine.since) - (t0 - 3723_000))).toBeLessThan(5000);
				const stranger = await row(s, 'cmiStatus', `${routerId}:desconocido`);
				expect(stranger).toMatchObject({ online: true, address: '100.64.1.3' });
				expect(stranger).not.toHaveProperty('accountId');

				// The same status, and one where only uptimes moved: nothing is written.
				const seq = await seqOf(s);
				await post();
				await post([
					{ ...sessions[0], uptime: '1h2m8s' },
					{ ...sessions[1], uptime: '5m5s' }
				]);
				expect(await seqOf(s)).toBe(seq);
				expect((await api(s.url).get('/api/health')).body.seq).toBe(seq);

				// One session ends: that row goes offline with when it was last seen.
				await post([{ ...sessions[1], uptime: '5m10s' }]);
				const gone = await row(s, 'cmiStatus', `${routerId}:${acc.username}`);
				expect(gone).toMatchObject({ online: false, accountId: acc.id, address: '100.64.1.2' });
				expect(Date.parse(gone.lastSeenAt)).toBeGreaterThanOrEqual(t0);
				expect(gone).not.toHaveProperty('uptime');
				expect((await row(s, 'router', routerId)).sessionsOnline).toBe(1);
				expect(await seqOf(s)).toBe(seq + 2);

				// Unreachable: the router is down with the reason; the sessions are left as they were.
				const before = await seqOf(s);
				await x.agent.status([{ routerId, reachable: false, error: 'connect ETIMEDOUT' }]);
				expect(await row(s, 'router', routerId)).toMatchObject({
					state: 'down',
					lastError: 'connect ETIMEDOUT',
					sessionsOnline: 1
				});
				expect(await seqOf(s)).toBe(before + 1);
				expect((await row(s, 'cmiStatus', `${routerId}:desconocido`)).online).toBe(true);

				// A ping with no address given goes to the live session's address.
				await post([{ ...sessions[0], uptime: '10s' }]);
				await applied(s, 'pppoe.ping', { id: acc.id });
				const ping = (await jobsOf(s, routerId)).find((j) => j.kind === 'ping');
				expect(ping.payload).toEqual({ address: '100.64.1.2', count: 4 });
			});
		});

		describe('router mutations', () => {
			it('refuses offline mode without an offline pool, and uses the offline profile with one', async () => {
				const x = await setup(s, ['corte']);
				const routerId = x.routers.corte;
				const acc = account(x, 'corte', { staticIp: '10.40.0.2' });
				await applied(s, 'pppoe.save', acc);
				expect(await rejected(s, 'pppoe.setOffline', { id: acc.id, offline: true })).toMatchObject({
					code: 'no-offline-pool',
					field: 'offline'
				});
				expect((await row(s, 'pppoeAccount', acc.id)).offline).toBe(false);

				// Pools are admin-only.
				const poolArgs = {
					id: randomUUID(),
					routerId,
					name: 'sin-conexion',
					ranges: '172.16.99.2-172.16.99.254',
					isOffline: true
				};
				expect((await rejected(s, 'ipPool.create', poolArgs, officeToken)).code).toBe('forbidden');
				await applied(s, 'ipPool.create', poolArgs);
				expect((await row(s, 'router', routerId)).offlineProfile).toBe('enlace-sin-conexion');

				await applied(s, 'pppoe.setOffline', { id: acc.id, offline: true }, techToken);
				expect(await row(s, 'pppoeAccount', acc.id)).toMatchObject({
					offline: true,
					profile: 'enlace-sin-conexion'
				});
				const jobs = await jobsOf(s, routerId);
				expect(jobs.map((j) => j.kind)).toEqual([
					'secret.ensure',
					'pool.ensure',
					'profile.ensure',
					'profile.ensure',
					'secret.ensure'
				]);
				expect(jobs[2].payload).toEqual({
					name: 'enlace-sin-conexion',
					remoteAddress: 'sin-conexion'
				});
				expect(jobs[4].payload).toEqual({
					name: acc.username,
					profile: 'enlace-sin-conexion',
					comment: expect.stringMatching(/^C\d{5} Cliente Router$/),
					kick: true
				});
			});

			it('never writes the PPPoE password into Historial', async () => {
				const x = await setup(s, ['hist']);
				const acc = account(x, 'hist', { password: 'primer-secreto' });
				await applied(s, 'pppoe.save', acc);
				await applied(s, 'pppoe.save', { ...acc, password: 'segundo-secreto' });
				const lines = await rowsOf(s, 'history', (h) => h.entityId === acc.id);
				expect(lines.find((h) => h.oldValue === null)?.newValue).toBe(acc.username);
				expect(lines.find((h) => h.field === 'password')).toMatchObject({
					oldValue: '••••',
					newValue: '••••'
				});
				const text = JSON.stringify(lines);
				expect(text).not.toContain('primer-secreto');
				expect(text).not.toContain('segundo-secreto');
				// The job that changes the password kicks the live session; the password itself
				// reaches only the agent, when it claims the job (the first job gets the newest).
				const jobs = await jobsOf(s, x.routers.hist);
				expect(jobs.at(-1).payload).toMatchObject({ kick: true });
				expect(JSON.stringify(jobs)).not.toContain('secreto');
				const claimed = (await x.agent.jobs(0, 10)).body.jobs;
				expect(claimed.map((j) => j.payload.password)).toEqual([
					'segundo-secreto',
					'segundo-secreto'
				]);
			});

			it('keeps usernames unique per router', async () => {
				const x = await setup(s, ['uno', 'dos']);
				const acc = account(x, 'uno');
				await applied(s, 'pppoe.save', acc);
				expect(await rejected(s, 'pppoe.save', { ...acc, id: randomUUID() })).toMatchObject({
					code: 'already-exists',
					field: 'username'
				});
				await applied(s, 'pppoe.save', { ...acc, id: randomUUID(), routerId: x.routers.dos });
			});
		});

		describe('hostile payloads', () => {
			it('answers every agent endpoint 401 without a valid agent token', async () => {
				await expectNothingWritten(s, async () => {
					for (const token of [undefined, 'forged', s.adminToken]) {
						const a = api(s.url, token);
						expectError(await a.post('/api/agent/hello', { protocol: 1 }), 401, 'unauthorized');
						expectError(await a.get('/api/agent/jobs?wait=0'), 401, 'unauthorized');
						expectError(
							await a.post('/api/agent/jobs/x/result', { ok: true }),
							401,
							'unauthorized'
						);
						expectError(await a.post('/api/agent/status', { routers: [] }), 401, 'unauthorized');
					}
				});
			});

			it('refuses malformed bodies and parameters with a 4xx and a code, writing nothing', async () => {
				const x = await setup(s, ['hostil']);
				const routerId = x.routers.hostil;
				await applied(s, 'pppoe.save', account(x, 'hostil'));
				const [job] = (await x.agent.jobs(0)).body.jobs;
				const raw = (p: string, body: BodyInit, method = 'POST') =>
					x.agent.raw(method, p, { body, headers: { 'content-type': 'application/json' } });
				const deep = `${'['.repeat(50)}${']'.repeat(50)}`;

				await expectNothingWritten(s, async () => {
					for (const p of [
						'/api/agent/hello',
						`/api/agent/jobs/${job.id}/result`,
						'/api/agent/status'
					]) {
						expectError(await raw(p, '{"routers": ['), 400, 'invalid-json');
						expectError(await raw(p, ''), 400, 'invalid-json');
						for (const notAnObject of ['[]', 'null', '42', '"x"']) {
							expectError(await raw(p, notAnObject), 400, 'invalid-field');
						}
					}
					expectError(await x.agent.jobs('abc' as never), 400, 'bad-request', 'wait');
					expectError(await x.agent.jobs(-1), 400, 'bad-request', 'wait');
					expectError(await x.agent.jobs(1.5), 400, 'bad-request', 'wait');

					expectError(await x.agent.result(job.id, {} as never), 400, 'invalid-field', 'ok');
					expectError(
						await x.agent.result(job.id, { ok: false, error: 'x'.repeat(1001) }),
						400,
						'invalid-field',
						'error'
					);
					expectError(
						await raw(`/api/agent/jobs/${job.id}/result`, `{"ok":true,"result":{"a":${deep}}}`),
						400,
						'invalid-field',
						'result'
					);
					expectError(
						await x.agent.result(job.id, { ok: true, result: { blob: 'x'.repeat(300_000) } }),
						400,
						'invalid-field',
						'result'
					);
					expectError(await x.agent.result(randomUUID(), { ok: true }), 404, 'not-found');
					expectError(await x.agent.result('x'.repeat(100), { ok: true }), 404, 'not-found');
					expectError(
						await x.agent.result("'; DROP TABLE records;--", { ok: true }),
						404,
						'not-found'
					);

					expectError(
						await x.agent.status([{ routerId, reachable: 'yes' } as never]),
						400,
						'invalid-field',
						'routers.0.reachable'
					);
					expectError(
						await x.agent.status([
							{ routerId, reachable: true, sessions: [{ name: 'x'.repeat(65) }] }
						]),
						400,
						'invalid-field',
						'routers.0.sessions.0.name'
					);
					expectError(
						await x.agent.status([
							{ routerId, reachable: false },
							{ routerId, reachable: true }
						]),
						400,
						'invalid-field',
						'routers.1.routerId'
					);
					expectError(
						await x.agent.status([{ routerId: randomUUID(), reachable: true, sessions: [] }]),
						404,
						'not-found'
					);
					const huge = JSON.stringify({
						routers: [{ routerId, reachable: false, error: 'x'.repeat(17 * 1024 * 1024) }]
					});
					const tooBig = await raw('/api/agent/status', huge);
					expectError(tooBig, 413, 'payload-too-large');
					expect(tooBig.headers.get('connection')).toBe('close');
					expectError(
						await raw('/api/agent/hello', '{"__proto__":{"polluted":true},"protocol":1}'),
						400,
						'invalid-field'
					);
					expect(({} as Record<string, unknown>).polluted).toBeUndefined();
				});
				// The job is still this agent's, running, and settles normally.
				expect((await x.agent.result(job.id, { ok: true })).status).toBe(200);
			});
		});
	});
}

agentSuite('agent API on the embedded file database', () => startTestServer());

// The same on a libSQL server: the claim and status SQL (CROSS JOIN, partial expression
// indexes, the write guards) must hold on the multi-instance storage too.
agentSuite('agent API on sqld (libSQL server)', startTestServerOnSqld);

describe('agent API with a short lease', () => {
	let s: TestServer;
	beforeAll(async () => {
		s = await startTestServer({ env: { JOB_LEASE_SECONDS: '1', STATUS_INTERVAL_SECONDS: '7' } });
	});
	afterAll(async () => {
		await s?.close();
	});

	it('hands a job whose lease ran out to the agent again, with attempts 2', async () => {
		const x = await setup(s, ['lento']);
		expect((await x.agent.hello([routerDecl('lento')])).body).toMatchObject({
			leaseSeconds: 1,
			statusIntervalSeconds: 7
		});
		const acc = account(x, 'lento');
		await applied(s, 'pppoe.save', acc);
		const [first] = (await x.agent.jobs(0)).body.jobs;
		expect(first.attempts).toBe(1);
		// While the lease holds, the router's queue is busy.
		expect((await x.agent.jobs(0)).body.jobs).toEqual([]);
		const again = await x.agent.jobs(5);
		expect(again.body.jobs.map((j) => [j.id, j.attempts])).toEqual([[first.id, 2]]);
		expect(Date.parse(again.body.jobs[0].leaseUntil)).toBeGreaterThan(Date.parse(first.leaseUntil));
		expect(await row(s, 'routerJob', first.id)).toMatchObject({ state: 'running', attempts: 2 });
		// The late result of the first run settles the job; the second run's answer is a no-op.
		expect((await x.agent.result(first.id, { ok: true })).status).toBe(200);
		const seq = await seqOf(s);
		expect((await x.agent.result(first.id, { ok: true })).status).toBe(200);
		expect(await seqOf(s)).toBe(seq);
		expect((await row(s, 'routerJob', first.id)).state).toBe('done');
	});
});
