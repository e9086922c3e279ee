// The edge agent end to end (docs/router-work.md): the real sync-server in-process, fake
// RouterOS routers on loopback, and the agent itself, in-process or as the child process the
// systemd unit runs. An app user pushes `pppoe.save`; the server makes a job; the agent claims
// it, runs it on the router, and the job row the app pulls ends `done`. Faults are injected on
// the router (refused, dropped, split, stalled), on the agent (SIGKILL mid-job) and on the
// server (restart). Each test makes its own agent token and routers, so the tests can share one
// server and assert only on their own rows.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge-agent/src/config';
import { createLogger } from '../../edge-agent/src/log';
import { startAgent, type Agent } from '../../edge-agent/src/runner';
import { startFakeRouter } from '../fake-router/fake-router';
import type { FakeRouter, FakeRouterOptions } from '../fake-router/fake-router';
import { spawnAgent, type AgentProcess } from '../support/agent-process';
import {
	api,
	customerArgs,
	pullAll,
	pushOne,
	startTestServer,
	type Json,
	type TestServer
} from '../support/server';

const ROUTER_PASSWORD = 'R0uter-Adm1n-secret';
/** Short leases so a killed agent's job comes back within the test; quick status ticks. */
const SERVER_ENV = { JOB_LEASE_SECONDS: '3', STATUS_INTERVAL_SECONDS: '1', SEQ_POLL_MS: '100' };
const COMMAND_TIMEOUT_MS = 1500;

const cleanups: (() => Promise<void>)[] = [];
const logs: string[] = [];
const tokens: string[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	// Whatever happened in the test: neither a router password nor an agent token in any log.
	const text = logs.splice(0).join('\n');
	expect(text).not.toContain(ROUTER_PASSWORD);
	for (const token of tokens.splice(0)) expect(text).not.toContain(token);
});

let seq = 0;
const uniq = (prefix: string) => `${prefix}-${Date.now().toString(36)}${(seq++).toString(36)}`;

async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = 15_000
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function fakeRouter(options: FakeRouterOptions = {}): Promise<FakeRouter> {
	const router = await startFakeRouter({
		users: [{ name: 'enlace', password: ROUTER_PASSWORD }],
		...options
	});
	cleanups.push(() => router.close());
	return router;
}

/** An agent token made by the admin, as Configuración › Agentes does. */
async function agentToken(s: TestServer): Promise<string> {
	const r = await api(s.url, s.adminToken).post('/api/agents', { name: uniq('Agente') });
	expect(r.status).toBe(201);
	tokens.push(r.body.token);
	return r.body.token as string;
}

const routerEntry = (name: string, router: FakeRouter) => ({
	name,
	host: router.host,
	port: router.port,
	user: 'enlace',
	password: ROUTER_PASSWORD
});

function agentConfig(
	url: string,
	token: string,
	routers: Record<string, FakeRouter>,
	extra: Record<string, unknown> = {}
) {
	return {
		serverUrl: url,
		token,
		routers: Object.entries(routers).map(([name, r]) => routerEntry(name, r)),
		commandTimeoutMs: COMMAND_TIMEOUT_MS,
		connectTimeoutMs: 1000,
		reconnect: { initialMs: 100, maxMs: 500, failureThreshold: 3 },
		...extra
	};
}

/** The agent in-process, its log kept for the end-of-test check. */
async function runAgent(
	url: string,
	token: string,
	routers: Record<string, FakeRouter>,
	extra: Record<string, unknown> = {}
): Promise<Agent> {
	const agent = startAgent(parseConfig(agentConfig(url, token, routers, extra)), {
		log: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
		pollWaitSeconds: 5,
		serverBackoff: { initialMs: 100, maxMs: 500 },
		stopGraceMs: 500
	});
	cleanups.push(() => agent.stop());
	await agent.ready;
	return agent;
}

function childAgent(config: unknown): AgentProcess {
	const child = spawnAgent(config);
	cleanups.push(async () => {
		await child.close();
		logs.push(...child.lines);
	});
	return child;
}

const routerId = (agent: Agent, name: string): string => {
	const id = agent.routers().find((r) => r.name === name)?.id;
	if (!id) throw new Error(`router ${name} has no id`);
	return id;
};

/** Latest row per (entity, id), as a device holds them after a full pull. */
async function rows(s: TestServer, entity: string, where: (row: Json) => boolean): Promise<Json[]> {
	const { changes } = await pullAll(s.url, s.adminToken);
	const latest = new Map(changes.map((c) => [`${c.entity}:${c.id}`, c]));
	return [...latest.values()]
		.filter((c) => c.entity === entity && c.op === 'put' && where(c.data))
		.map((c) => c.data as Json);
}

async function newCustomer(s: TestServer): Promise<string> {
	const args = customerArgs({ name: 'Cliente del agente' });
	const r = await pushOne(s.url, s.adminToken, 'customer.create', args);
	expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
	return args.id;
}

type Saved = { accountId: string; username: string; password: string };

/** "Guardar Secret" as the app pushes it. */
async function saveSecret(
	s: TestServer,
	customerId: string,
	routerIdValue: string,
	token = s.adminToken
): Promise<Saved> {
	const saved = { accountId: randomUUID(), username: uniq('cli'), password: 'Pppoe-pass-123' };
	const r = await pushOne(s.url, token, 'pppoe.save', {
		id: saved.accountId,
		customerId,
		routerId: routerIdValue,
		username: saved.username,
		password: saved.password
	});
	expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
	return saved;
}

async function jobOf(s: TestServer, accountId: string): Promise<Json> {
	const jobs = await rows(s, 'routerJob', (j) => j.accountId === accountId);
	expect(jobs).toHaveLength(1);
	return jobs[0];
}

const jobDone = (s: TestServer, accountId: string, timeoutMs?: number) =>
	waitFor(
		'the job to be done',
		async () => {
			const job = await jobOf(s, accountId);
			if (job.state === 'failed') throw new Error(`job failed: ${job.error}`);
			return job.state === 'done' ? job : undefined;
		},
		timeoutMs
	);

const secretsNamed = (router: FakeRouter, name: string) =>
	router.state.rows('/ppp/secret').filter((r) => r.name === name);

describe('edge agent with the real server', () => {
	let s: TestServer;
	let officeToken: string;

	beforeAll(async () => {
		s = await startTestServer({ env: SERVER_ENV });
		const r = await api(s.url, s.adminToken).post('/api/users', {
			email: 'oficina@enlace.test',
			name: 'Oficina',
			role: 'office',
			password: 'office-password-1'
		});
		expect(r.status).toBe(201);
		officeToken = await s.login('oficina@enlace.test', 'office-password-1');
	});

	afterAll(async () => {
		await s?.close();
	});

	it('writes the secret an office user saved, and the app sees the job done', async () => {
		const router = await fakeRouter();
		const agent = await runAgent(s.url, await agentToken(s), { torre: router });
		const customerId = await newCustomer(s);
		const saved = await saveSecret(s, customerId, routerId(agent, 'torre'), officeToken);
		const job = await jobDone(s, saved.accountId);
		expect(job).toMatchObject({
			kind: 'secret.ensure',
			attempts: 1,
			result: { action: 'added', changed: [], kicked: 0 }
		});
		expect(secretsNamed(router, saved.username)).toEqual([
			expect.objectContaining({
				name: saved.username,
				password: saved.password,
				profile: 'default',
				service: 'pppoe'
			})
		]);
		const [routerRow] = await rows(s, 'router', (r) => r.id === routerId(agent, 'torre'));
		expect(routerRow).toMatchObject({ name: 'torre', state: 'up', identity: 'FakeRouter' });
	});

	/** A secret saved while its router refuses connections: the job handed back to its queue. */
	async function saveWhileDown() {
		const router = await fakeRouter();
		const agent = await runAgent(s.url, await agentToken(s), { torre: router });
		// The router goes away: no new connections, and the one the agent may hold is cut.
		await router.setFault({ kind: 'refuse' });
		router.dropConnections();
		const customerId = await newCustomer(s);
		const saved = await saveSecret(s, customerId, routerId(agent, 'torre'));
		// Handed back, not failed: queued again with the reason for the app to show.
		const handedBack = await waitFor('the job handed back', async () => {
			const job = await jobOf(s, saved.accountId);
			return job.attempts >= 1 && job.state === 'queued' && job.error ? job : undefined;
		});
		return { router, agent, customerId, saved, handedBack };
	}

	it('waits for a router that is down when the job arrives, then runs it', async () => {
		const { router, agent, saved, handedBack } = await saveWhileDown();
		expect(handedBack.error).toMatch(/unreachable/);
		await waitFor('the router shown down', async () => {
			const [r] = await rows(s, 'router', (r) => r.id === routerId(agent, 'torre'));
			return r.state === 'down';
		});
		expect(secretsNamed(router, saved.username)).toEqual([]);

		await router.setFault(null);
		await jobDone(s, saved.accountId);
		expect(secretsNamed(router, saved.username)).toHaveLength(1);
	});

	it('writes the password the account has when the job is claimed, one changed after it was queued', async () => {
		const { router, agent, customerId, saved } = await saveWhileDown();
		// The password changes while the first job waits for the router (its retry delay holds
		// it for a second): the job row never had the old one, and its next claim gets the new one.
		const r = await pushOne(s.url, s.adminToken, 'pppoe.save', {
			id: saved.accountId,
			customerId,
			routerId: routerId(agent, 'torre'),
			username: saved.username,
			password: 'Pppoe-nueva-456'
		});
		expect(r.body.results[0].status).toBe('applied');
		await router.setFault(null);
		const jobs = await waitFor('both jobs done', async () => {
			const all = await rows(s, 'routerJob', (j) => j.accountId === saved.accountId);
			return all.length === 2 && all.every((j) => j.state === 'done')
				? all.sort((a, b) => a.n - b.n)
				: undefined;
		});
		expect(JSON.stringify(jobs)).not.toContain('Pppoe-pass-123');
		// The first job added the secret with the new password; the second found nothing to change.
		expect(jobs.map((j) => j.result.action)).toEqual(['added', 'unchanged']);
		expect(secretsNamed(router, saved.username)).toEqual([
			expect.objectContaining({ password: 'Pppoe-nueva-456' })
		]);
	});

	it('re-runs a job whose connection dropped mid-job', async () => {
		const router = await fakeRouter();
		const agent = await runAgent(s.url, await agentToken(s), { torre: router });
		const customerId = await newCustomer(s);
		await router.setFault({ kind: 'drop', command: '/ppp/secret/add' });
		const saved = await saveSecret(s, customerId, routerId(agent, 'torre'));
		const job = await jobDone(s, saved.accountId);
		// Run again by the agent itself once the router was back, not handed back to the server.
		expect(job.attempts).toBe(1);
		expect(router.state.count('/ppp/secret/add')).toBe(2);
		expect(secretsNamed(router, saved.username)).toHaveLength(1);
	});

	it('checks and re-applies pools, profiles and secrets on a router that was reset', async () => {
		const router = await fakeRouter();
		const agent = await runAgent(s.url, await agentToken(s), { torre: router });
		const rid = routerId(agent, 'torre');
		const routerJobsSettled = () =>
			waitFor('every job of the router settled', async () => {
				const jobs = await rows(s, 'routerJob', (j) => j.routerId === rid);
				const failed = jobs.find((j) => j.state === 'failed');
				if (failed) throw new Error(`job ${failed.kind} failed: ${failed.error}`);
				return jobs.every((j) => j.state === 'done') ? jobs : undefined;
			});
		const push = async (name: string, args: Json) => {
			const r = await pushOne(s.url, s.adminToken, name, args);
			expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
		};
		const tariffId = randomUUID();
		const speed = 40 + (seq++ % 50);
		await push('tariff.create', {
			id: tariffId,
			name: `Fibra ${speed}`,
			priceCents: 3000,
			vatRate: 21,
			billingPeriod: 'monthly',
			downloadMbps: speed,
			uploadMbps: 10,
			active: true
		});
		const pools = { clients: uniq('clientes'), offline: uniq('suspendidos') };
		await push('ipPool.create', {
			id: randomUUID(),
			routerId: rid,
			name: pools.clients,
			ranges: '100.64.0.2-100.64.0.254',
			isOffline: false
		});
		await push('ipPool.create', {
			id: randomUUID(),
			routerId: rid,
			name: pools.offline,
			ranges: '10.99.0.2-10.99.0.254',
			isOffline: true
		});
		const customerId = await newCustomer(s);
		const accountId = randomUUID();
		const username = uniq('cli');
		await push('pppoe.save', {
			id: accountId,
			customerId,
			routerId: rid,
			username,
			password: 'Pppoe-pass-123',
			tariffId
		});
		await routerJobsSettled();
		const profileName = secretsNamed(router, username)[0].profile;
		expect(profileName).not.toBe('default');

		// The router is reset: pools, profiles and secrets are gone.
		router.state.reset();
		await push('router.check', { routerId: rid });
		const jobs = await routerJobsSettled();
		const check = jobs.filter((j) => j.kind === 'router.check').at(-1) as Json;
		const drift = check.result as Json;
		expect(drift.missing).toEqual([username]);
		expect(drift.pools).toEqual({ missing: [pools.clients, pools.offline].sort(), different: [] });
		expect(drift.profiles).toEqual({
			missing: [profileName, 'enlace-sin-conexion'].sort(),
			different: []
		});

		await push('router.reapply', { routerId: rid });
		await routerJobsSettled();
		expect(
			router.state
				.rows('/ip/pool')
				.map((p) => p.name)
				.sort()
		).toEqual([pools.clients, pools.offline].sort());
		await push('pppoe.setOffline', { id: accountId, offline: true });
		await routerJobsSettled();
		expect(secretsNamed(router, username)[0].profile).toBe('enlace-sin-conexion');
		expect(router.state.find('/ppp/profile', { name: 'enlace-sin-conexion' })).toMatchObject({
			'remote-address': pools.offline
		});
	});

	it('reads "!empty" on RouterOS 7.18 and a bare "!done" on 6.49, one agent for both', async () => {
		const v718 = await fakeRouter({ version: '7.18' });
		const v649 = await fakeRouter({ version: '6.49' });
		const agent = await runAgent(s.url, await agentToken(s), { v718, v649 });
		const customerId = await newCustomer(s);
		const a = await saveSecret(s, customerId, routerId(agent, 'v718'));
		const b = await saveSecret(s, customerId, routerId(agent, 'v649'));
		await jobDone(s, a.accountId);
		await jobDone(s, b.accountId);
		expect(secretsNamed(v718, a.username)).toHaveLength(1);
		expect(secretsNamed(v649, b.username)).toHaveLength(1);
		const firstPrint = (router: FakeRouter) =>
			router.state.log.find((e) => e.command === '/ppp/secret/print')?.replies;
		expect(firstPrint(v718)).toEqual(['!empty', '!done']);
		expect(firstPrint(v649)).toEqual(['!done']);
	});

	it('copes with replies split into one TCP segment per byte', async () => {
		const router = await fakeRouter();
		const agent = await runAgent(s.url, await agentToken(s), { torre: router });
		const customerId = await newCustomer(s);
		await router.setFault({ kind: 'split', bytes: true, delayMs: 0 });
		const saved = await saveSecret(s, customerId, routerId(agent, 'torre'));
		const job = await jobDone(s, saved.accountId);
		expect(job.attempts).toBe(1);
		expect(secretsNamed(router, saved.username)).toHaveLength(1);
	});

	it('hands back a job stalled past the command deadline, then finishes it', async () => {
		const router = await fakeRouter();
		const agent = await runAgent(s.url, await agentToken(s), { torre: router });
		const customerId = await newCustomer(s);
		await router.setFault({ kind: 'stall', command: '/ppp/secret/add' });
		const saved = await saveSecret(s, customerId, routerId(agent, 'torre'));
		const job = await jobDone(s, saved.accountId);
		expect(job.attempts).toBe(2);
		expect(logs.some((l) => /job\.interrupted .*no answer within 1500 ms/.test(l))).toBe(true);
		// The stalled add was cancelled (/cancel), not left running on the router.
		expect(router.state.count('/cancel')).toBe(1);
		expect(secretsNamed(router, saved.username)).toHaveLength(1);
	});

	it('lets a new agent finish the job of an agent killed mid-job (stalled add)', async () => {
		const router = await fakeRouter();
		const name = uniq('kill');
		const token = await agentToken(s);
		const config = agentConfig(s.url, token, { [name]: router }, { commandTimeoutMs: 60_000 });
		const child = childAgent(config);
		await child.waitForLine(/server\.hello/);
		const [routerRow] = await waitFor('the router row', () =>
			rows(s, 'router', (r) => r.name === name)
		);
		const customerId = await newCustomer(s);
		await router.setFault({ kind: 'stall', command: '/ppp/secret/add' });
		const saved = await saveSecret(s, customerId, routerRow.id);
		await waitFor('the add to reach the router', () => router.state.count('/ppp/secret/add') === 1);
		child.kill('SIGKILL');
		expect(await child.exited).toBe('SIGKILL');
		expect((await jobOf(s, saved.accountId)).state).toBe('running');

		// Same token, same router name: the same router id, so the same queue.
		await runAgent(s.url, token, { [name]: router });
		const job = await jobDone(s, saved.accountId);
		expect(job.attempts).toBe(2);
		expect(secretsNamed(router, saved.username)).toHaveLength(1);
	});

	it('lets a new agent finish a job whose add ran but whose answer died with the agent', async () => {
		const router = await fakeRouter();
		const name = uniq('kill');
		const token = await agentToken(s);
		const child = childAgent(
			agentConfig(s.url, token, { [name]: router }, { commandTimeoutMs: 60_000 })
		);
		await child.waitForLine(/server\.hello/);
		const [routerRow] = await waitFor('the router row', () =>
			rows(s, 'router', (r) => r.name === name)
		);
		const customerId = await newCustomer(s);
		// Every reply crawls out a word at a time: the add is applied at once, its "!done" is not.
		await router.setFault({ kind: 'split', delayMs: 300 });
		const saved = await saveSecret(s, customerId, routerRow.id);
		await waitFor(
			'the secret on the router',
			() => secretsNamed(router, saved.username).length > 0
		);
		child.kill('SIGKILL');
		expect(await child.exited).toBe('SIGKILL');
		await router.setFault(null);
		expect((await jobOf(s, saved.accountId)).state).toBe('running');

		await runAgent(s.url, token, { [name]: router });
		const job = await jobDone(s, saved.accountId);
		// The second run found the secret already there, as the job wants it. (The slow replies
		// may have outlasted the first lease too: the server then re-leased it to the same agent,
		// which did not run it twice.)
		expect(job.result).toEqual({ action: 'unchanged', changed: [], kicked: 0 });
		expect(job.attempts).toBeGreaterThanOrEqual(2);
		expect(router.state.count('/ppp/secret/add')).toBe(1);
		expect(secretsNamed(router, saved.username)).toHaveLength(1);
	});

	it('stops the agent process cleanly on SIGTERM', async () => {
		const router = await fakeRouter();
		const child = childAgent(agentConfig(s.url, await agentToken(s), { torre: router }));
		await child.waitForLine(/router\.connected/);
		child.kill('SIGTERM');
		expect(await child.exited).toBe(0);
		expect(child.lines.some((l) => l.includes('agent.stopped'))).toBe(true);
		expect(router.state.connectionsOpen).toBe(0);
	});

	it('exits with status 2 and a clear message on a bad config, without echoing it', async () => {
		const router = await fakeRouter();
		const config = agentConfig('ftp://nowhere', 'tok', { torre: router });
		const child = childAgent(config);
		expect(await child.exited).toBe(2);
		const text = child.lines.join('\n');
		expect(text).toContain('serverUrl must be an http(s) URL');
		expect(text).not.toContain(ROUTER_PASSWORD);
	});

	it('shows a session as "CMI activo" within seconds, and as not active once it ends', async () => {
		const router = await fakeRouter();
		const agent = await runAgent(s.url, await agentToken(s), { torre: router });
		const id = routerId(agent, 'torre');
		const customerId = await newCustomer(s);
		const saved = await saveSecret(s, customerId, id);
		await jobDone(s, saved.accountId);

		const t0 = Date.now();
		router.addActiveSession({
			name: saved.username,
			address: '100.64.0.7',
			callerId: 'AA:BB:CC:DD:EE:01'
		});
		const online = await waitFor('the session online', async () => {
			const [row] = await rows(
				s,
				'cmiStatus',
				(r) => r.routerId === id && r.username === saved.username
			);
			return row?.online ? row : undefined;
		});
		expect(Date.now() - t0).toBeLessThan(3000);
		expect(online).toMatchObject({
			online: true,
			address: '100.64.0.7',
			callerId: 'AA:BB:CC:DD:EE:01',
			accountId: saved.accountId,
			customerId
		});

		const t1 = Date.now();
		router.removeActiveSession(saved.username);
		await waitFor('the session offline', async () => {
			const [row] = await rows(
				s,
				'cmiStatus',
				(r) => r.routerId === id && r.username === saved.username
			);
			return row && !row.online ? row : undefined;
		});
		expect(Date.now() - t1).toBeLessThan(3000);
	});
});

describe('edge agent across a server restart', () => {
	it('reconnects to the restarted server and processes new jobs', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-restart-'));
		cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
		const env = { ...SERVER_ENV, DATA_DIR: dataDir };
		const first = await startTestServer({ env });
		let firstOpen = true;
		cleanups.push(async () => {
			if (firstOpen) await first.close();
		});
		const port = new URL(first.url).port;
		const router = await fakeRouter();
		const agent = await runAgent(first.url, await agentToken(first), { torre: router });
		const customerId = await newCustomer(first);
		const before = await saveSecret(first, customerId, routerId(agent, 'torre'));
		await jobDone(first, before.accountId);

		await first.close();
		firstOpen = false;
		await waitFor('the agent to notice', () => logs.some((l) => l.includes('server.unreachable')));
		const second = await startTestServer({ env: { ...env, PORT: port } });
		cleanups.push(() => second.close());
		expect(second.url).toBe(first.url);

		const after = await saveSecret(second, customerId, routerId(agent, 'torre'));
		await jobDone(second, after.accountId);
		expect(secretsNamed(router, after.username)).toHaveLength(1);
		expect(logs.some((l) => l.includes('server.reachable'))).toBe(true);
	});
});
