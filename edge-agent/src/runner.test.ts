// The daemon in-process against fake RouterOS routers and a small fake of the server side of
// shared/src/protocol/agent.ts (hello, long poll with leases, results, status). The fake server
// hands out every queued job at once (the real one serializes per router), and puts a job given
// back with `final: false` on hold for a short, growing delay as the real one does; the agent
// must keep each router's order itself. tests/integration/agent.test.ts runs the real server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentHello, AgentJobResult, AgentStatus } from '@enlace/shared/protocol/agent';
import { startFakeRouter } from '../../tests/fake-router/fake-router';
import type { FakeRouter, FakeRouterOptions } from '../../tests/fake-router/fake-router';
import { parseConfig, type AgentConfig } from './config';
import { createLogger, type Logger } from './log';
import { startAgent, type Agent, type AgentOptions } from './runner';

const ROUTER_PASSWORD = 'R0uter-Adm1n-pw';
const TOKEN = 'agt_unit_test_token_0123456789';

type FakeJob = {
	id: string;
	routerId: string;
	kind: string;
	payload: Record<string, unknown>;
	attempts: number;
	state: 'queued' | 'running' | 'done' | 'failed';
	notBefore: number;
	leaseUntil: number;
	results: AgentJobResult[];
};

/** Just enough of the server side of the agent protocol, with knobs for failures. */
class FakeAgentServer {
	readonly jobs: FakeJob[] = [];
	readonly hellos: AgentHello[] = [];
	readonly statuses: { at: number; body: AgentStatus }[] = [];
	readonly polls: number[] = [];
	leaseSeconds = 5;
	statusIntervalSeconds = 0.25;
	/** Answer 401 to everything while true. */
	rejectToken = false;
	/** Answer this many result posts with 503 first. */
	failResults = 0;
	/** Hand out every job twice in one reply (a server bug the agent must survive). */
	duplicateJobs = false;
	/** Offer `POST /api/agent/results` (a server without it answers 404, as an older one). */
	batchResults = false;
	/** The number of results in each post to `/api/agent/results`. */
	readonly batchPosts: number[] = [];
	/** How long a job given back with `final: false` is held (default: short, growing). */
	holdMs = (attempts: number): number => Math.min(1000, 100 * 2 ** (attempts - 1));
	/** The `max` of each long poll. */
	readonly maxes: (string | null)[] = [];
	#server: http.Server;
	#nextId = 1;
	#wake = new Set<() => void>();

	private constructor(server: http.Server) {
		this.#server = server;
	}

	static async start(port = 0): Promise<FakeAgentServer> {
		const server = http.createServer();
		const fake = new FakeAgentServer(server);
		server.on('request', (req, res) => {
			fake.#handle(req, res).catch((error: unknown) => {
				res.statusCode = 500;
				res.end(JSON.stringify({ error: { code: 'internal', message: String(error) } }));
			});
		});
		await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
		return fake;
	}

	get port(): number {
		return (this.#server.address() as AddressInfo).port;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	routerId(name: string): string {
		return `rid-${name}`;
	}

	add(router: string, kind: string, payload: Record<string, unknown>): FakeJob {
		const job: FakeJob = {
			id: `job-${this.#nextId++}`,
			routerId: this.routerId(router),
			kind,
			payload,
			attempts: 0,
			state: 'queued',
			notBefore: 0,
			leaseUntil: 0,
			results: []
		};
		this.jobs.push(job);
		for (const wake of this.#wake) wake();
		return job;
	}

	async close(): Promise<void> {
		for (const wake of this.#wake) wake();
		this.#server.closeAllConnections();
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}

	#claim(): FakeJob[] {
		const now = Date.now();
		const claimed = this.jobs.filter(
			(j) =>
				(j.state === 'queued' && j.notBefore <= now) ||
				(j.state === 'running' && j.leaseUntil <= now)
		);
		for (const job of claimed) {
			job.state = 'running';
			job.attempts += 1;
			job.leaseUntil = now + this.leaseSeconds * 1000;
		}
		return claimed;
	}

	#settle(job: FakeJob, body: AgentJobResult): void {
		job.results.push(body);
		if (job.state !== 'running') return;
		if (body.ok) job.state = 'done';
		else if (body.final !== false) job.state = 'failed';
		else {
			job.state = 'queued';
			job.notBefore = Date.now() + this.holdMs(job.attempts);
		}
	}

	async #body(req: http.IncomingMessage): Promise<unknown> {
		let text = '';
		for await (const chunk of req) text += chunk;
		return JSON.parse(text);
	}

	#json(res: http.ServerResponse, status: number, body: unknown): void {
		res.statusCode = status;
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(body));
	}

	async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://x');
		if (req.headers.authorization !== `Bearer ${TOKEN}` || this.rejectToken) {
			return this.#json(res, 401, { error: { code: 'unauthorized', message: 'no' } });
		}
		if (req.method === 'POST' && url.pathname === '/api/agent/hello') {
			const body = (await this.#body(req)) as AgentHello;
			this.hellos.push(body);
			return this.#json(res, 200, {
				agentId: 'agent-1',
				routers: body.routers.map((r) => ({ id: this.routerId(r.name), name: r.name })),
				leaseSeconds: this.leaseSeconds,
				statusIntervalSeconds: this.statusIntervalSeconds
			});
		}
		if (req.method === 'GET' && url.pathname === '/api/agent/jobs') {
			this.polls.push(Date.now());
			this.maxes.push(url.searchParams.get('max'));
			const deadline = Date.now() + Number(url.searchParams.get('wait') ?? 0) * 1000;
			let jobs = this.#claim();
			while (jobs.length === 0 && Date.now() < deadline && !res.destroyed) {
				await new Promise<void>((resolve) => {
					const done = (): void => {
						this.#wake.delete(done);
						clearTimeout(timer);
						resolve();
					};
					const timer = setTimeout(done, 50);
					this.#wake.add(done);
				});
				jobs = this.#claim();
			}
			const wire = jobs.map(({ id, routerId, kind, payload, attempts, leaseUntil }) => ({
				id,
				routerId,
				kind,
				payload,
				attempts,
				leaseUntil: new Date(leaseUntil).toISOString()
			}));
			return this.#json(res, 200, { jobs: this.duplicateJobs ? [...wire, ...wire] : wire });
		}
		const result = /^\/api\/agent\/jobs\/([^/]+)\/result$/.exec(url.pathname);
		if (req.method === 'POST' && result) {
			const body = (await this.#body(req)) as AgentJobResult;
			if (this.failResults > 0) {
				this.failResults -= 1;
				return this.#json(res, 503, { error: { code: 'unavailable', message: 'later' } });
			}
			const job = this.jobs.find((j) => j.id === decodeURIComponent(result[1]));
			if (!job) return this.#json(res, 404, { error: { code: 'not-found', message: 'no job' } });
			this.#settle(job, body);
			return this.#json(res, 200, { ok: true });
		}
		if (req.method === 'POST' && url.pathname === '/api/agent/results' && this.batchResults) {
			const { results } = (await this.#body(req)) as {
				results: (AgentJobResult & { jobId: string })[];
			};
			this.batchPosts.push(results.length);
			const unknown: string[] = [];
			for (const { jobId, ...body } of results) {
				const job = this.jobs.find((j) => j.id === jobId);
				if (job) this.#settle(job, body);
				else unknown.push(jobId);
			}
			return this.#json(res, 200, { ok: true, unknown });
		}
		if (req.method === 'POST' && url.pathname === '/api/agent/status') {
			this.statuses.push({ at: Date.now(), body: (await this.#body(req)) as AgentStatus });
			return this.#json(res, 200, { ok: true });
		}
		return this.#json(res, 404, { error: { code: 'not-found', message: 'no route' } });
	}
}

const cleanups: (() => Promise<void>)[] = [];
const logLines: string[] = [];

afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
	// Every test's log, whatever it did: no router password and no token, ever.
	const text = logLines.splice(0).join('\n');
	expect(text).not.toContain(ROUTER_PASSWORD);
	expect(text).not.toContain(TOKEN);
});

async function fakeRouter(options: FakeRouterOptions = {}): Promise<FakeRouter> {
	const router = await startFakeRouter({
		users: [{ name: 'enlace', password: ROUTER_PASSWORD }],
		pingIntervalMs: 1,
		...options
	});
	cleanups.push(() => router.close());
	return router;
}

async function fakeServer(port?: number): Promise<FakeAgentServer> {
	const server = await FakeAgentServer.start(port);
	cleanups.push(() => server.close());
	return server;
}

function testLogger(): Logger {
	return createLogger({ level: 'debug', write: (line) => logLines.push(line) });
}

function agentFor(
	server: { url: string },
	routers: Record<string, FakeRouter | { host: string; port: number }>,
	extra: Record<string, unknown> = {},
	options: AgentOptions = {}
): Agent {
	const config: AgentConfig = parseConfig({
		serverUrl: server.url,
		token: TOKEN,
		routers: Object.entries(routers).map(([name, r]) => ({
			name,
			host: r.host,
			port: r.port,
			user: 'enlace',
			password: ROUTER_PASSWORD
		})),
		commandTimeoutMs: 1500,
		connectTimeoutMs: 1000,
		reconnect: { initialMs: 100, maxMs: 400, failureThreshold: 3 },
		...extra
	});
	const agent = startAgent(config, {
		log: testLogger(),
		pollWaitSeconds: 2,
		serverBackoff: { initialMs: 50, maxMs: 300 },
		stopGraceMs: 1000,
		agentVersion: 'test',
		...options
	});
	cleanups.push(() => agent.stop());
	return agent;
}

async function until<T>(
	what: string,
	check: () => T | undefined | false,
	timeoutMs = 8000
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

const settled = (job: FakeJob) => job.state === 'done' || job.state === 'failed';

const secret = (name: string, extra: Record<string, unknown> = {}) => ({
	name,
	password: `pw-${name}`,
	profile: 'default',
	...extra
});

describe('agent runner', () => {
	it('says hello with its routers, runs a job and reports the result', async () => {
		const server = await fakeServer();
		const router = await fakeRouter();
		const agent = agentFor(server, { 'torre-1': router });
		await agent.ready;
		expect(server.hellos).toEqual([
			{
				agentVersion: 'test',
				protocol: 1,
				routers: [{ name: 'torre-1', host: '127.0.0.1', port: router.port, tls: false }]
			}
		]);
		expect(JSON.stringify(server.hellos)).not.toContain(ROUTER_PASSWORD);
		const job = server.add('torre-1', 'secret.ensure', secret('cli-1', { kick: true }));
		await until('job done', () => settled(job));
		expect(job.results).toEqual([
			{ ok: true, final: true, result: { action: 'added', changed: [], kicked: 0 } }
		]);
		expect(router.state.rows('/ppp/secret').map((r) => r.name)).toEqual(['cli-1']);
		await until('nothing in hand', () => agent.jobsInHand() === 0);
	});

	it('answers a router trap as final with the router text', async () => {
		const server = await fakeServer();
		const router = await fakeRouter();
		agentFor(server, { 'torre-1': router });
		const job = server.add('torre-1', 'secret.ensure', secret('cli-1', { profile: 'nope' }));
		await until('job failed', () => settled(job));
		expect(job.results).toEqual([
			{ ok: false, final: true, error: 'input does not match any value of profile' }
		]);
	});

	it('runs a batch of secret.ensure jobs together: a trap fails only its job, results go in one post', async () => {
		const server = await fakeServer();
		server.batchResults = true;
		const router = await fakeRouter({
			seed: { '/ppp/secret': [{ name: 'cli-2', password: 'old', profile: 'default' }] }
		});
		router.addActiveSession({ name: 'cli-3', address: '100.64.0.3' });
		const jobs = [
			server.add('torre-1', 'secret.ensure', secret('cli-1')),
			server.add('torre-1', 'secret.ensure', secret('cli-2')),
			server.add('torre-1', 'secret.ensure', secret('cli-bad', { profile: 'nope' })),
			server.add('torre-1', 'secret.ensure', secret('cli-3', { kick: true })),
			server.add('torre-1', 'session.kick', { name: 'cli-1' })
		];
		const agent = agentFor(server, { 'torre-1': router });
		await until('all settled', () => jobs.every(settled));
		expect(jobs.map((j) => j.results)).toEqual([
			[{ ok: true, final: true, result: { action: 'added', changed: [], kicked: 0 } }],
			[{ ok: true, final: true, result: { action: 'updated', changed: ['password'], kicked: 0 } }],
			[{ ok: false, final: true, error: 'input does not match any value of profile' }],
			[{ ok: true, final: true, result: { action: 'added', changed: [], kicked: 1 } }],
			[{ ok: true, final: true, result: { kicked: 0 } }]
		]);
		expect(
			router.state
				.rows('/ppp/secret')
				.map((r) => `${r.name}:${r.password}`)
				.sort()
		).toEqual(['cli-1:pw-cli-1', 'cli-2:pw-cli-2', 'cli-3:pw-cli-3']);
		expect(router.state.rows('/ppp/active')).toEqual([]);
		// The poll's max: the default 1,000 jobs per claim, within the default 1,000 in hand.
		expect(server.maxes[0]).toBe('1000');
		// The four of the batch in one post (the kick ran on its own after them).
		expect(server.batchPosts[0]).toBe(4);
		await until('nothing in hand', () => agent.jobsInHand() === 0);
	});

	it('posts results one by one to a server without the batch post', async () => {
		const server = await fakeServer();
		const router = await fakeRouter();
		const jobs = [1, 2, 3].map((i) => server.add('torre-1', 'secret.ensure', secret(`cli-${i}`)));
		agentFor(server, { 'torre-1': router });
		await until('all done', () => jobs.every((j) => j.state === 'done'));
		expect(jobs.map((j) => j.results.length)).toEqual([1, 1, 1]);
		expect(router.state.rows('/ppp/secret')).toHaveLength(3);
	});

	it('hands back a batch cut by a dropped connection once the circuit is open, and everything behind it', async () => {
		const server = await fakeServer();
		server.batchResults = true;
		const router = await fakeRouter();
		const jobs = [1, 2, 3].map((i) => server.add('torre-1', 'secret.ensure', secret(`cli-${i}`)));
		jobs.push(server.add('torre-1', 'session.kick', { name: 'cli-1' }));
		await router.setFault({ kind: 'drop', command: '/ppp/secret/add' });
		// One failure opens the circuit: the router's next attempt is not for the jobs to wait on.
		const agent = agentFor(
			server,
			{ 'torre-1': router },
			{
				reconnect: { initialMs: 100, maxMs: 400, failureThreshold: 1 }
			}
		);
		await until('handed back', () => jobs.every((j) => j.results.length > 0));
		expect(jobs.map((j) => j.results[0].final)).toEqual([false, false, false, false]);
		await until('all done', () => jobs.every((j) => j.state === 'done'), 10_000);
		expect(router.state.rows('/ppp/secret')).toHaveLength(3);
		await until('nothing in hand', () => agent.jobsInHand() === 0);
	});

	it('recovers quickly from a router that drops every connection part-way', async () => {
		const server = await fakeServer();
		// The real server's hold for a job given back: 1 s, doubling per attempt, up to the lease.
		server.leaseSeconds = 60;
		server.holdMs = (attempts) => Math.min(60_000, 1000 * 2 ** (attempts - 1));
		server.batchResults = true;
		const router = await fakeRouter();
		const agent = agentFor(server, { 'torre-1': router });
		await agent.ready;
		await until('first status', () => server.statuses.length > 0);
		// Every connection is dropped when its fifth command arrives (login included).
		await router.setFault({ kind: 'drop', afterCommands: 5 });
		router.dropConnections();
		const jobs = [
			server.add('torre-1', 'pool.ensure', { name: 'pool-1', ranges: '100.64.0.2-100.64.0.254' }),
			server.add('torre-1', 'profile.ensure', { name: '50M', rateLimit: '50M/50M' }),
			...Array.from({ length: 10 }, (_, i) =>
				server.add('torre-1', 'secret.ensure', secret(`cli-${i + 1}`, { profile: '50M' }))
			),
			server.add('torre-1', 'session.kick', { name: 'cli-1' }),
			server.add('torre-1', 'session.kick', { name: 'cli-2' })
		];
		const t0 = Date.now();
		await until('all 14 done', () => jobs.every((j) => j.state === 'done'), 15_000);
		expect(Date.now() - t0).toBeLessThan(15_000);
		expect(router.state.rows('/ppp/secret')).toHaveLength(10);
		await router.setFault(null);
		// Status comes back once the jobs are through.
		const since = Date.now();
		await until('a status after the jobs', () => server.statuses.find((s) => s.at > since));
	}, 30_000);

	it('answers unknown kinds, bad payloads and unknown routers as final, without running them', async () => {
		const server = await fakeServer();
		const router = await fakeRouter();
		agentFor(server, { 'torre-1': router });
		const kind = server.add('torre-1', 'secret.frobnicate', { name: 'x' });
		const payload = server.add('torre-1', 'ping', { address: '10.0.0.1', count: 'many' });
		const stranger = server.add('torre-9', 'session.kick', { name: 'x' });
		await until('all settled', () => [kind, payload, stranger].every(settled));
		expect(kind.results[0]).toEqual({
			ok: false,
			final: true,
			error: 'unknown job kind secret.frobnicate'
		});
		expect(payload.results[0]).toMatchObject({ ok: false, final: true });
		expect(payload.results[0].error).toContain('count');
		expect(stranger.results[0]).toEqual({
			ok: false,
			final: true,
			error: 'router rid-torre-9 is not configured on this agent'
		});
		expect(router.state.count('/ping')).toBe(0);
	});

	it('keeps each router in order and does not let a stalled router hold up another', async () => {
		const server = await fakeServer();
		const slow = await fakeRouter();
		const fast = await fakeRouter();
		const agent = agentFor(server, { slow, fast });
		await agent.ready;
		// The first add on `slow` never answers: it runs into the 1.5 s command deadline.
		await slow.setFault({ kind: 'stall', command: '/ppp/secret/add' });
		const first = server.add('slow', 'secret.ensure', secret('a-1'));
		const second = server.add('slow', 'secret.ensure', secret('a-2'));
		const third = server.add('slow', 'session.kick', { name: 'a-1' });
		const t0 = Date.now();
		const other = server.add('fast', 'secret.ensure', secret('b-1'));
		await until('fast router done', () => other.state === 'done');
		expect(Date.now() - t0).toBeLessThan(1000);
		expect(first.state).toBe('running');

		await until(
			'slow router done',
			() => first.state === 'done' && second.state === 'done' && third.state === 'done'
		);
		// The stalled job was handed back (not final); a-2, in the same batch (its add was in
		// flight beside a-1's), too; and the job queued behind them, unrun.
		expect(first.results[0]).toMatchObject({ ok: false, final: false });
		expect(first.results[0].error).toContain('/ppp/secret/add: no answer within 1500 ms');
		expect(second.results[0]).toMatchObject({ ok: false, final: false });
		expect(third.results[0]).toEqual({
			ok: false,
			final: false,
			error: 'not run yet: an earlier job for this router is being retried'
		});
		const adds = slow.state.log
			.filter((e) => e.command === '/ppp/secret/add')
			.map((e) => e.words.find((w) => w.startsWith('=name=')));
		// The second run finds a-2 and leaves it as it is.
		expect(adds).toEqual(['=name=a-1', '=name=a-2', '=name=a-1']);
		expect(second.results.at(-1)).toMatchObject({ ok: true, result: { action: 'unchanged' } });
		expect(
			slow.state
				.rows('/ppp/secret')
				.map((r) => r.name)
				.sort()
		).toEqual(['a-1', 'a-2']);
	});

	it.each([
		['dropped', { kind: 'drop', command: '/ppp/secret/add' }],
		['reset', { kind: 'drop', reset: true, command: '/ppp/secret/add' }],
		['ended with !fatal', { kind: 'fatal', command: '/ppp/secret/print' }]
	] as const)(
		're-runs here a job whose connection was %s mid-way, leaving one secret',
		async (_, fault) => {
			const server = await fakeServer();
			const router = await fakeRouter({ version: '7.18' });
			const agent = agentFor(server, { 'torre-1': router });
			await agent.ready;
			await router.setFault(fault);
			const job = server.add('torre-1', 'secret.ensure', secret('cli-1'));
			await until('job done', () => job.state === 'done');
			// Run again here once the router was back, not handed back to wait on the server.
			expect(job.results.map((r) => [r.ok, r.final])).toEqual([[true, true]]);
			expect(job.attempts).toBe(1);
			expect(router.state.rows('/ppp/secret').map((r) => r.name)).toEqual(['cli-1']);
			expect(router.state.logins).toBeGreaterThanOrEqual(2);
		}
	);

	it('opens the circuit of a dead router, hands its jobs back, and runs them once it is back', async () => {
		const server = await fakeServer();
		const router = await fakeRouter();
		await router.setFault({ kind: 'refuse' });
		const agent = agentFor(server, { 'torre-1': router });
		const job = server.add('torre-1', 'secret.ensure', secret('cli-1'));
		await until('circuit open', () => agent.routers()[0].circuit === 'open');
		await until('job handed back', () => job.results.length >= 2);
		expect(job.results[0]).toMatchObject({ ok: false, final: false });
		expect(job.results.at(-1)?.error).toMatch(/^router torre-1 unreachable: /);
		expect(job.state).not.toBe('failed');
		const handedBack = job.results.length;

		await router.setFault(null);
		await until('job done', () => job.state === 'done', 10_000);
		expect(job.results.slice(handedBack - 1).at(-1)).toMatchObject({ ok: true, final: true });
		expect(agent.routers()[0]).toMatchObject({ circuit: 'closed', failures: 0, connected: true });
		expect(router.state.rows('/ppp/secret').map((r) => r.name)).toEqual(['cli-1']);
		expect(logLines.some((l) => l.includes('router.circuit-open'))).toBe(true);
		expect(logLines.some((l) => l.includes('router.reconnected'))).toBe(true);
	});

	it('treats a refused login like a dead router, never as a job failure', async () => {
		const server = await fakeServer();
		const router = await fakeRouter({ users: [{ name: 'enlace', password: 'something-else' }] });
		const agent = agentFor(server, { 'torre-1': router });
		const job = server.add('torre-1', 'session.kick', { name: 'x' });
		await until('job handed back', () => job.results.length >= 1);
		expect(job.results[0]).toMatchObject({ ok: false, final: false });
		expect(job.results[0].error).toContain('invalid user name or password');
		await agent.stop();
		expect(job.state).not.toBe('failed');
	});

	it('keeps polling through a server outage and reports to the restarted server', async () => {
		const first = await FakeAgentServer.start();
		const port = first.port;
		const router = await fakeRouter();
		const agent = agentFor(first, { 'torre-1': router });
		await agent.ready;
		await first.close();
		await until('outage noticed', () => logLines.some((l) => l.includes('server.unreachable')));
		const second = await fakeServer(port);
		const job = second.add('torre-1', 'secret.ensure', secret('cli-1'));
		await until('job done on the new server', () => job.state === 'done');
		expect(logLines.some((l) => l.includes('server.reachable'))).toBe(true);
	});

	it('retries a result the server could not take, and backs off on a rejected token', async () => {
		const server = await fakeServer();
		const router = await fakeRouter();
		server.rejectToken = true;
		const agent = agentFor(server, { 'torre-1': router });
		await until('token rejection logged', () =>
			logLines.some((l) => l.includes('server.token-rejected'))
		);
		const pollsWhileRejected = server.polls.length;
		expect(server.hellos).toEqual([]);
		server.rejectToken = false;
		await agent.ready;
		expect(pollsWhileRejected).toBe(0);

		server.failResults = 2;
		const job = server.add('torre-1', 'secret.ensure', secret('cli-1'));
		await until('job done', () => job.state === 'done');
		expect(job.results).toHaveLength(1);
		expect(logLines.filter((l) => l.includes('result.retry'))).toHaveLength(2);
	});

	it('runs a job handed out twice only once', async () => {
		const server = await fakeServer();
		server.duplicateJobs = true;
		const router = await fakeRouter();
		agentFor(server, { 'torre-1': router });
		const job = server.add('torre-1', 'secret.ensure', secret('cli-1'));
		await until('job done', () => job.state === 'done');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(router.state.count('/ppp/secret/add')).toBe(1);
		expect(job.results).toHaveLength(1);
	});

	it('stops promptly, handing back the jobs it has not finished', async () => {
		const server = await fakeServer();
		const router = await fakeRouter();
		const agent = agentFor(server, { 'torre-1': router }, { commandTimeoutMs: 60_000 });
		await agent.ready;
		await router.setFault({ kind: 'stall', command: '/ppp/secret/add' });
		const running = server.add('torre-1', 'secret.ensure', secret('cli-1'));
		// Another kind, so it waits in the queue instead of joining the running batch.
		const queued = server.add('torre-1', 'session.kick', { name: 'cli-2' });
		await until('add stalled', () => router.state.count('/ppp/secret/add') === 1);
		const t0 = Date.now();
		await agent.stop();
		expect(Date.now() - t0).toBeLessThan(3000);
		expect(queued.results).toEqual([{ ok: false, final: false, error: 'agent stopping' }]);
		expect(running.results).toHaveLength(1);
		expect(running.results[0]).toMatchObject({ ok: false, final: false });
		expect(router.state.connectionsOpen).toBe(0);
	});
});

describe('status reporter', () => {
	it('posts the sessions of each router and marks a dead one unreachable', async () => {
		const server = await fakeServer();
		const up = await fakeRouter({ identity: 'Torre Norte' });
		const down = await fakeRouter();
		await down.setFault({ kind: 'refuse' });
		up.addActiveSession({ name: 'cli-1', address: '100.64.0.5', callerId: 'AA:BB:CC:00:11:22' });
		agentFor(server, { up, down });
		const post = await until('a post with both routers', () =>
			server.statuses.find((s) => s.body.routers.length === 2)
		);
		const byId = new Map(post.body.routers.map((r) => [r.routerId, r]));
		expect(byId.get('rid-up')).toEqual({
			routerId: 'rid-up',
			reachable: true,
			identity: 'Torre Norte',
			version: '7.18.2 (stable)',
			sessions: [
				{ name: 'cli-1', address: '100.64.0.5', uptime: '0s', callerId: 'AA:BB:CC:00:11:22' }
			]
		});
		expect(byId.get('rid-down')).toMatchObject({ routerId: 'rid-down', reachable: false });
		expect(byId.get('rid-down')?.error).toContain('ECONNREFUSED');

		up.removeActiveSession('cli-1');
		const since = Date.now();
		await until('a post without the session', () =>
			server.statuses.find(
				(s) =>
					s.at > since &&
					s.body.routers.some((r) => r.routerId === 'rid-up' && r.sessions?.length === 0)
			)
		);
		// Identity and version are read once per connection, not every tick.
		expect(up.state.count('/system/identity/print')).toBe(1);
		expect(up.state.count('/ppp/active/print')).toBeGreaterThanOrEqual(2);
	});

	it('does not let a slow router delay the others', async () => {
		const server = await fakeServer();
		const quick = await fakeRouter();
		const slow = await fakeRouter();
		// The slow router's first /ppp/active/print never answers (until the 1.5 s deadline).
		await slow.setFault({ kind: 'stall', command: '/ppp/active/print' });
		const agent = agentFor(server, { quick, slow });
		await agent.ready;
		const t0 = Date.now();
		const first = await until('first post', () => server.statuses[0]);
		expect(first.at - t0).toBeLessThan(1000);
		expect(first.body.routers.map((r) => r.routerId)).toEqual(['rid-quick']);
		const late = await until('the slow router reported late', () =>
			server.statuses.find((s) => s.body.routers.some((r) => r.routerId === 'rid-slow'))
		);
		// Not before its stalled print ran into the 1.5 s deadline (what it then posts, the
		// timeout or a fresher read, is the latest it knows).
		expect(late.at - t0).toBeGreaterThan(1400);
		// Meanwhile the quick router kept being reported every tick.
		const quickPosts = server.statuses.filter((s) => s.at < late.at);
		expect(quickPosts.length).toBeGreaterThanOrEqual(3);
	});
});
