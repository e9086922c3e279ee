/**
 * The agent daemon (DESIGN.md "Router work"): hello, then a long poll for jobs; each job goes to
 * its router's queue (one at a time, in order; routers in parallel); results go back through an
 * outbox that outlives server restarts; a status reporter runs beside it.
 *
 * Delivery is at least once: the server leases a job to us and hands it out again if the lease
 * runs out. That is safe because a job is a desired end state (jobs/*.ts converge, never replay),
 * so the rules here are about liveness and order, not exactly-once:
 * - A router trap is the router's final word on the job: `final: true`.
 * - A connection failure or deadline mid-job is not: `final: false`, and the server re-queues it.
 *   Jobs still queued behind it for that router are handed back too, so they can never overtake
 *   it (an ensure re-run after a later remove would resurrect the secret).
 * - While a router is down and its circuit closed, a job waits for the next connection attempt
 *   if that comes before its lease ends; once the circuit is open, jobs are handed back at once
 *   (`final: false`) and the router is only probed when its backoff is over. The server holds a
 *   handed-back job a little longer on every attempt, so this never spins.
 * - Nothing a router or the server does ends the process: every loop catches, logs, backs off.
 */
import { readFileSync } from 'node:fs';
import {
	AGENT_PROTOCOL_VERSION,
	JobPayloads,
	type AgentHello,
	type AgentJobResult
} from '@enlace/shared/protocol/agent';
import {
	createAgentApi,
	ServerHttpError,
	ServerUnreachableError,
	TokenRejectedError,
	type AgentApi,
	type ReceivedJob
} from './api';
import { Backoff, CircuitBreaker, sleep, type BackoffOptions, type CircuitState } from './backoff';
import type { AgentConfig, RouterConfig } from './config';
import { InvalidJobError, runJob, type RouterOs } from './jobs/index';
import { secretEnsureBatch, type SecretPayload } from './jobs/secret-ensure';
import { createLogger, type Logger } from './log';
import { RouterOsClient } from './routeros/client';
import {
	RouterOsConnectionError,
	RouterOsError,
	RouterOsFatalError,
	RouterOsTimeoutError,
	RouterOsTrapError
} from './routeros/errors';
import { startStatusReporter, type StatusLink, type StatusReporter } from './status';

export type AgentOptions = {
	/** Default: a logger at the config's level on stdout/stderr, with the secrets registered. */
	log?: Logger;
	/** `wait` of the long poll in seconds (default 25, as in the design). */
	pollWaitSeconds?: number;
	/** Retry of the server: hello, long poll, results (default 1 s → 60 s with jitter). */
	serverBackoff?: BackoffOptions;
	/** No new jobs are claimed while this many are in hand (default 1,000). */
	maxJobsInHand?: number;
	/** Up to this many consecutive jobs of a router per claim (the poll's `max`, default 1,000). */
	jobsPerClaim?: number;
	/** How long stop() lets a running job finish before its connection is closed (default 5 s). */
	stopGraceMs?: number;
	fetch?: typeof fetch;
	agentVersion?: string;
};

export type RouterSnapshot = {
	name: string;
	id: string | undefined;
	connected: boolean;
	circuit: CircuitState;
	failures: number;
	queued: number;
	running: boolean;
	lastError: string | undefined;
};

export type Agent = {
	/** Resolves once the server has answered the first hello (or the agent was stopped). */
	readonly ready: Promise<void>;
	readonly agentId: string | undefined;
	routers(): RouterSnapshot[];
	/** Jobs claimed and not yet answered to the server. */
	jobsInHand(): number;
	stop(): Promise<void>;
};

/** Thrown out of `acquire` when the agent is stopping. */
class AgentStoppingError extends Error {
	constructor() {
		super('agent stopping');
		this.name = 'AgentStoppingError';
	}
}

/** The router could not be reached before the job's lease deadline. */
class RouterUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RouterUnavailableError';
	}
}

const errorText = (error: unknown): string =>
	(error instanceof Error ? error.message : String(error)).slice(0, 1000);

function readAgentVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
		return typeof pkg.version === 'string' ? pkg.version.slice(0, 40) : '0.0.0';
	} catch {
		// Only the hello's informational field depends on it; a missing file must not stop the agent.
		return '0.0.0';
	}
}

/**
 * One router's connection manager: lazy connect and login, reconnect after a drop, and the
 * circuit breaker that paces connection attempts for everyone who needs the router (its job
 * queue and the status reporter share the connection; RouterOS tags keep them apart).
 */
export class RouterLink implements StatusLink {
	readonly name: string;
	id: string | undefined;
	info: { identity?: string; version?: string } | undefined;
	readonly breaker: CircuitBreaker;
	readonly #client: RouterOsClient;
	readonly #log: Logger;
	#attempt: Promise<void> | undefined;
	#lastError: string | undefined;
	#everConnected = false;
	/** Woken when a connection is made, so a job holding for the router starts at once. */
	readonly #waiters = new Set<() => void>();

	constructor(
		config: RouterConfig,
		options: {
			commandTimeoutMs: number;
			connectTimeoutMs: number;
			reconnect: AgentConfig['reconnect'];
			log: Logger;
		}
	) {
		this.name = config.name;
		this.#log = options.log;
		this.breaker = new CircuitBreaker({
			initialMs: options.reconnect.initialMs,
			maxMs: options.reconnect.maxMs,
			failureThreshold: options.reconnect.failureThreshold
		});
		this.#client = new RouterOsClient({
			host: config.host,
			port: config.port,
			tls: config.tls,
			rejectUnauthorized: config.rejectUnauthorized,
			user: config.user,
			password: config.password,
			commandTimeoutMs: options.commandTimeoutMs,
			connectTimeoutMs: options.connectTimeoutMs,
			onClose: (error) => this.#onClose(error)
		});
	}

	get connected(): boolean {
		return this.#client.connected;
	}

	get lastError(): string | undefined {
		return this.#lastError;
	}

	downReason(): string {
		const why = this.#lastError ?? 'not connected yet';
		return this.breaker.state === 'open' ? `circuit open: ${why}` : why;
	}

	/**
	 * The connected client. While the circuit is closed and the router down, waits for the
	 * breaker's next attempt and tries again, as long as that attempt falls before `deadline`
	 * (epoch ms). When the circuit is open it fails fast, unless the probe is due right now: then
	 * this caller makes it. Failing means `RouterUnavailableError`, and the job goes back to the
	 * server, which holds it back a little longer on every attempt before handing it out again.
	 */
	async acquire(deadline: number, signal: AbortSignal): Promise<RouterOs> {
		for (;;) {
			if (signal.aborted) throw new AgentStoppingError();
			if (this.#client.connected) return this.#client;
			const wait = this.breaker.waitMs();
			const open = this.breaker.state === 'open';
			if ((open && wait > 0) || Date.now() + wait > deadline) {
				throw new RouterUnavailableError(`router ${this.name} unreachable: ${this.downReason()}`);
			}
			// Woken early when someone else (the status probe) gets the connection up.
			await this.#waitForConnection(wait, signal);
			if (!this.#client.connected && !signal.aborted) await this.#tryConnect();
		}
	}

	/** For the status reporter: connected client, or one attempt if due, else undefined. */
	async probe(): Promise<RouterOs | undefined> {
		if (!this.#client.connected && this.breaker.waitMs() === 0) await this.#tryConnect();
		return this.#client.connected ? this.#client : undefined;
	}

	noteFailure(error: unknown): void {
		this.#lastError = errorText(error);
		const wasOpen = this.breaker.state === 'open';
		const delayMs = this.breaker.failure();
		this.#logFailure(wasOpen, delayMs);
	}

	async close(): Promise<void> {
		await this.#client.close();
	}

	/** One connection attempt at a time, whoever asks; failures feed the breaker. */
	#tryConnect(): Promise<void> {
		this.#attempt ??= (async () => {
			try {
				await this.#client.connect();
			} catch (error) {
				this.noteFailure(error);
				return;
			}
			const failures = this.breaker.failures;
			this.breaker.success();
			this.#lastError = undefined;
			this.info = undefined;
			if (failures > 0 || this.#everConnected) {
				this.#log.info('router.reconnected', { afterFailures: failures });
			} else this.#log.info('router.connected');
			this.#everConnected = true;
			for (const wake of this.#waiters) wake();
		})().finally(() => {
			this.#attempt = undefined;
		});
		return this.#attempt;
	}

	#logFailure(wasOpen: boolean, delayMs: number): void {
		const fields = {
			error: this.#lastError,
			failures: this.breaker.failures,
			retryInMs: delayMs
		};
		if (this.breaker.state === 'open' && !wasOpen) this.#log.warn('router.circuit-open', fields);
		else if (this.breaker.failures === 1) this.#log.warn('router.unreachable', fields);
		else this.#log.debug('router.unreachable', fields);
	}

	#waitForConnection(ms: number, signal: AbortSignal): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		const woken = new AbortController();
		const wake = (): void => woken.abort();
		this.#waiters.add(wake);
		return sleep(ms, AbortSignal.any([signal, woken.signal])).finally(() => {
			this.#waiters.delete(wake);
		});
	}

	#onClose(error: RouterOsError | undefined): void {
		// Called for failed connects too; only a live connection going away is news.
		if (!this.#everConnected || error === undefined) return;
		if (this.#attempt !== undefined) return;
		this.info = undefined;
		this.#lastError = error.message;
		this.#log.warn('router.disconnected', { error: error.message });
	}
}

type QueuedJob = ReceivedJob & { receivedAt: number };

type Outcome = AgentJobResult & { final: boolean };

/** The answer for a job behind one that is handed back: it must not overtake it. */
const notRunYet: Outcome = {
	ok: false,
	final: false,
	error: 'not run yet: an earlier job for this router is being retried'
};

/** The answer for a job of a batch after one that is handed back: it goes back with it. */
const withBatch: Outcome = {
	ok: false,
	final: false,
	error: 'handed back with an earlier job of its batch, which is being retried'
};

/** The most results in one post (the protocol allows 1000). */
const MAX_RESULTS_PER_POST = 1000;

/** The most `secret.ensure` jobs run as one batch on a router. */
const MAX_GROUP = 1000;

/**
 * The ordered queue of one router: one job at a time, in the order the server handed them out.
 */
class RouterQueue {
	readonly #link: RouterLink;
	readonly #deps: QueueDeps;
	readonly #jobs: QueuedJob[] = [];
	#worker: Promise<void> | undefined;
	#running: QueuedJob | undefined;

	constructor(link: RouterLink, deps: QueueDeps) {
		this.#link = link;
		this.#deps = deps;
	}

	get length(): number {
		return this.#jobs.length;
	}

	get running(): boolean {
		return this.#running !== undefined;
	}

	get idle(): Promise<void> {
		return this.#worker ?? Promise.resolve();
	}

	push(job: QueuedJob): void {
		this.#jobs.push(job);
		this.#worker ??= this.#drain().finally(() => {
			this.#worker = undefined;
		});
	}

	/** Takes the jobs that have not started (for stop(), which hands them back). */
	takeQueued(): QueuedJob[] {
		return this.#jobs.splice(0);
	}

	async #drain(): Promise<void> {
		const { log, signal } = this.#deps;
		// Jobs of one poll arrive in the same tick: let them all land so they can run together.
		await Promise.resolve();
		while (this.#jobs.length > 0 && !signal.aborted) {
			const group = this.#takeGroup();
			const batch: QueuedJob[] =
				group.length > 1 ? group.map((g) => g.job) : [this.#jobs.shift() as QueuedJob];
			this.#running = batch[0];
			let outcomes: Outcome[];
			try {
				outcomes =
					group.length > 1 ? await this.#executeGroup(group) : [await this.#execute(batch[0])];
			} catch (error) {
				// #execute classifies every error; reaching here is a bug, and it must not stop
				// the queue (the jobs are answered and the next ones run).
				log.error('job.crashed', { job: batch[0].id, error });
				outcomes = batch.map(() => ({
					ok: false,
					final: true,
					error: `agent error: ${errorText(error)}`
				}));
			}
			this.#running = undefined;
			// Answered together, so the outbox posts them together.
			let retried = false;
			batch.forEach((job, i) => {
				this.#deps.answer(job, retried ? withBatch : outcomes[i]);
				if (!outcomes[i].final) retried = true;
			});
			if (retried) {
				// Order: whatever was queued behind it must not run before it runs again.
				for (const later of this.#jobs.splice(0)) this.#deps.answer(later, notRunYet);
			}
		}
	}

	/**
	 * The `secret.ensure` jobs at the head of the queue that can run as one batch: well-formed,
	 * on distinct secrets (so none depends on another), at most MAX_GROUP. Empty or one: run the
	 * head on its own.
	 */
	#takeGroup(): { job: QueuedJob; payload: SecretPayload }[] {
		const group: { job: QueuedJob; payload: SecretPayload }[] = [];
		const names = new Set<string>();
		for (const job of this.#jobs) {
			if (group.length >= MAX_GROUP || job.kind !== 'secret.ensure') break;
			const parsed = JobPayloads.secretEnsure.safeParse(job.payload);
			if (!parsed.success || names.has(parsed.data.name)) break;
			names.add(parsed.data.name);
			group.push({ job, payload: parsed.data });
		}
		if (group.length > 1) this.#jobs.splice(0, group.length);
		return group;
	}

	/** A batch from #takeGroup: one connection, one read, writes pipelined, one outcome each. */
	async #executeGroup(group: { job: QueuedJob; payload: SecretPayload }[]): Promise<Outcome[]> {
		const { log, signal, leaseMs, commandTimeoutMs } = this.#deps;
		const margin = Math.min(5000, leaseMs() / 5);
		const deadline = group[0].job.receivedAt + leaseMs() - margin;
		const t0 = Date.now();
		let ros: RouterOs;
		try {
			ros = await this.#link.acquire(deadline, signal);
		} catch (error) {
			log.info('job.deferred', {
				router: this.#link.name,
				jobs: group.length,
				reason: errorText(error)
			});
			return group.map(() => ({ ok: false, final: false, error: errorText(error) }));
		}
		const settled = await secretEnsureBatch(
			{ ros, commandTimeoutMs },
			group.map((g) => g.payload)
		);
		const ms = Date.now() - t0;
		// One lost connection fails every job in flight; the breaker counts it once.
		let counted = false;
		return settled.map((s, i) => {
			const { job } = group[i];
			const jobLog = log.child({ router: this.#link.name, job: job.id, kind: job.kind });
			if (!s.ok) {
				const outcome = this.#failure(s.error, jobLog, !counted);
				if (s.error instanceof RouterOsConnectionError || s.error instanceof RouterOsFatalError) {
					counted = true;
				}
				return outcome;
			}
			jobLog.info('job.done', { ms, attempts: job.attempts, batch: group.length });
			return { ok: true, final: true, result: s.value };
		});
	}

	async #execute(job: QueuedJob): Promise<Outcome> {
		const { log, signal, leaseMs, commandTimeoutMs } = this.#deps;
		const jobLog = log.child({ router: this.#link.name, job: job.id, kind: job.kind });
		// Our own clock plus the lease length, not the server's leaseUntil: clocks drift apart.
		const margin = Math.min(5000, leaseMs() / 5);
		const deadline = job.receivedAt + leaseMs() - margin;
		const t0 = Date.now();
		let ros: RouterOs;
		try {
			ros = await this.#link.acquire(deadline, signal);
		} catch (error) {
			jobLog.info('job.deferred', { reason: errorText(error) });
			return { ok: false, final: false, error: errorText(error) };
		}
		try {
			const result = await runJob({ ros, commandTimeoutMs }, job.kind, job.payload);
			jobLog.info('job.done', { ms: Date.now() - t0, attempts: job.attempts });
			return { ok: true, final: true, result };
		} catch (error) {
			return this.#failure(error, jobLog);
		}
	}

	/** What a job's error means: final (a trap, a bad job, a bug) or not (the connection). */
	#failure(error: unknown, jobLog: Logger, countFailure = true): Outcome {
		if (error instanceof RouterOsTrapError) {
			jobLog.info('job.failed', { command: error.command, error: error.routerMessage });
			return { ok: false, final: true, error: error.routerMessage.slice(0, 1000) };
		}
		if (error instanceof InvalidJobError) {
			jobLog.warn('job.invalid', { error: error.message });
			return { ok: false, final: true, error: error.message };
		}
		if (error instanceof RouterOsConnectionError || error instanceof RouterOsFatalError) {
			if (countFailure) this.#link.noteFailure(error);
			jobLog.warn('job.interrupted', { error: error.message });
			return { ok: false, final: false, error: errorText(error) };
		}
		if (error instanceof RouterOsTimeoutError || error instanceof RouterOsError) {
			// The client has sent /cancel (and drops the connection if even that goes
			// unanswered); the job runs again later against whatever the router did meanwhile.
			jobLog.warn('job.interrupted', { error: error.message });
			return { ok: false, final: false, error: errorText(error) };
		}
		jobLog.error('job.crashed', { error, stack: (error as Error).stack });
		return { ok: false, final: true, error: `agent error: ${errorText(error)}` };
	}
}

type QueueDeps = {
	log: Logger;
	signal: AbortSignal;
	leaseMs: () => number;
	commandTimeoutMs: number;
	answer: (job: QueuedJob, outcome: Outcome) => void;
};

/**
 * Results on their way to the server, in order, retried with backoff while the server is away.
 * A job stays "in hand" until its result is delivered, so a re-delivery of a job we are still
 * answering is not run twice side by side.
 */
class ResultOutbox {
	readonly #items: { jobId: string; body: AgentJobResult }[] = [];
	readonly #api: AgentApi;
	readonly #log: Logger;
	readonly #backoff: Backoff;
	readonly #done: (jobId: string) => void;
	#controller = new AbortController();
	#worker: Promise<void> | undefined;
	/** False once the server showed it has no batch post (an older server). */
	#batches = true;
	/** How many results go one by one before batching again (after a batch was refused). */
	#singles = 0;

	constructor(api: AgentApi, log: Logger, backoff: BackoffOptions, done: (jobId: string) => void) {
		this.#api = api;
		this.#log = log;
		this.#backoff = new Backoff(backoff);
		this.#done = done;
	}

	get length(): number {
		return this.#items.length;
	}

	push(jobId: string, body: AgentJobResult): void {
		this.#items.push({ jobId, body });
		this.#worker ??= this.#drain().finally(() => {
			this.#worker = undefined;
		});
	}

	/** Gives pending results `budgetMs` to go out, then abandons them (their leases will lapse). */
	async close(budgetMs: number): Promise<void> {
		const timer = setTimeout(() => this.#controller.abort(), budgetMs);
		try {
			await this.#worker;
		} finally {
			clearTimeout(timer);
			this.#controller.abort();
		}
		for (const item of this.#items.splice(0)) this.#done(item.jobId);
	}

	async #drain(): Promise<void> {
		const signal = this.#controller.signal;
		// Results answered in the same tick (a batch of jobs) go out in one post.
		await Promise.resolve();
		while (this.#items.length > 0 && !signal.aborted) {
			const count =
				this.#batches && this.#singles === 0
					? Math.min(this.#items.length, MAX_RESULTS_PER_POST)
					: 1;
			const batch = this.#items.slice(0, count);
			try {
				if (batch.length > 1) {
					const { unknown } = await this.#api.results(
						batch.map(({ jobId, body }) => ({ ...body, jobId, final: body.final ?? true })),
						signal
					);
					// Unknown job, lease taken over: retrying cannot change the answer.
					if (unknown.length) this.#log.warn('result.rejected', { jobs: unknown.join(',') });
				} else {
					await this.#api.result(batch[0].jobId, batch[0].body, signal);
				}
				this.#backoff.reset();
			} catch (error) {
				if (signal.aborted) return;
				const permanent =
					error instanceof ServerHttpError &&
					!(error instanceof TokenRejectedError) &&
					error.status >= 400 &&
					error.status < 500 &&
					error.status !== 408 &&
					error.status !== 429;
				if (!permanent) {
					const delayMs = this.#backoff.next();
					this.#log.warn('result.retry', {
						job: batch[0].jobId,
						results: batch.length,
						error,
						retryInMs: delayMs
					});
					await sleep(delayMs, signal);
					continue;
				}
				if (batch.length > 1) {
					// 404: a server without the batch post; otherwise one of them is refused: post
					// these one by one, so the others still get through.
					if (error.status === 404) this.#batches = false;
					else this.#singles = batch.length;
					continue;
				}
				// Unknown job, lease taken over, body refused: retrying cannot change the answer.
				this.#log.warn('result.rejected', { job: batch[0].jobId, error });
			}
			this.#items.splice(0, batch.length);
			if (this.#singles > 0) this.#singles -= 1;
			for (const item of batch) this.#done(item.jobId);
		}
	}
}

export function startAgent(config: AgentConfig, options: AgentOptions = {}): Agent {
	const log = options.log ?? createLogger({ level: config.logLevel });
	log.addSecret(config.token);
	for (const router of config.routers) log.addSecret(router.password);

	const api = createAgentApi({
		serverUrl: config.serverUrl,
		token: config.token,
		fetch: options.fetch
	});
	const serverBackoffOptions = options.serverBackoff ?? {};
	const pollWaitSeconds = options.pollWaitSeconds ?? 25;
	const maxJobsInHand = options.maxJobsInHand ?? 1000;
	const jobsPerClaim = Math.max(1, Math.min(1000, options.jobsPerClaim ?? 1000));
	const stopGraceMs = options.stopGraceMs ?? 5000;
	const agentVersion = options.agentVersion ?? readAgentVersion();

	const controller = new AbortController();
	const { signal } = controller;
	let agentId: string | undefined;
	let leaseSeconds = 60;
	let reporter: StatusReporter | undefined;
	let stopping: Promise<void> | undefined;
	/** Set when the server seems to have forgotten us; the poll loop says hello again. */
	let helloNeeded = false;

	const links = config.routers.map(
		(router) =>
			new RouterLink(router, {
				commandTimeoutMs: config.commandTimeoutMs,
				connectTimeoutMs: config.connectTimeoutMs,
				reconnect: config.reconnect,
				log: log.child({ router: router.name })
			})
	);
	const linksById = new Map<string, RouterLink>();
	const inHand = new Set<string>();

	const outbox = new ResultOutbox(api, log, serverBackoffOptions, (jobId) => inHand.delete(jobId));

	const answer = (job: { id: string }, outcome: AgentJobResult): void => {
		outbox.push(job.id, outcome);
	};

	const queues = new Map<RouterLink, RouterQueue>(
		links.map((link) => [
			link,
			new RouterQueue(link, {
				log,
				signal,
				leaseMs: () => leaseSeconds * 1000,
				commandTimeoutMs: config.commandTimeoutMs,
				answer
			})
		])
	);

	const helloBody: AgentHello = {
		agentVersion,
		protocol: AGENT_PROTOCOL_VERSION,
		routers: config.routers.map(({ name, host, port, tls }) => ({ name, host, port, tls }))
	};

	/** Says hello until the server answers; false only when stopped first. */
	const hello = async (backoff: Backoff): Promise<boolean> => {
		while (!signal.aborted) {
			try {
				const reply = await api.hello(helloBody, signal);
				agentId = reply.agentId;
				leaseSeconds = reply.leaseSeconds;
				linksById.clear();
				for (const link of links) {
					link.id = reply.routers.find((r) => r.name === link.name)?.id;
					if (link.id) linksById.set(link.id, link);
					else log.warn('server.router-not-registered', { router: link.name });
				}
				const statusSeconds = config.statusIntervalSeconds ?? reply.statusIntervalSeconds;
				log.info('server.hello', {
					agent: agentId,
					routers: linksById.size,
					leaseSeconds,
					statusSeconds
				});
				backoff.reset();
				if (reporter) reporter.setInterval(statusSeconds * 1000);
				else {
					reporter = startStatusReporter({
						links,
						api,
						intervalMs: statusSeconds * 1000,
						commandTimeoutMs: config.commandTimeoutMs,
						log: log.child({ part: 'status' }),
						onRejected: (error) => {
							// "Not your router": the server lost our hello (restored database?).
							if (error.status === 404) helloNeeded = true;
						}
					});
				}
				return true;
			} catch (error) {
				if (signal.aborted) return false;
				await backOff(backoff, 'hello', error);
			}
		}
		return false;
	};

	let serverDown = false;
	const backOff = async (backoff: Backoff, what: string, error: unknown): Promise<void> => {
		const delayMs = backoff.next();
		if (error instanceof TokenRejectedError) {
			log.error('server.token-rejected', {
				during: what,
				status: error.status,
				retryInMs: delayMs
			});
		} else if (error instanceof ServerUnreachableError) {
			if (!serverDown) log.warn('server.unreachable', { during: what, error, retryInMs: delayMs });
			else log.debug('server.unreachable', { during: what, error, retryInMs: delayMs });
			serverDown = true;
		} else {
			log.warn('server.error', { during: what, error, retryInMs: delayMs });
		}
		await sleep(delayMs, signal);
	};

	const dispatch = (job: ReceivedJob): void => {
		if (inHand.has(job.id)) {
			// Its lease ran out while it waited here or while its result was on the way.
			log.debug('job.already-in-hand', { job: job.id });
			return;
		}
		inHand.add(job.id);
		const link = linksById.get(job.routerId);
		if (!link) {
			log.warn('job.unknown-router', { job: job.id, routerId: job.routerId });
			answer(job, {
				ok: false,
				final: true,
				error: `router ${job.routerId} is not configured on this agent`
			});
			return;
		}
		log.debug('job.received', { job: job.id, kind: job.kind, router: link.name });
		(queues.get(link) as RouterQueue).push({ ...job, receivedAt: Date.now() });
	};

	let resolveReady: () => void = () => undefined;
	const ready = new Promise<void>((resolve) => {
		resolveReady = resolve;
	});

	const pollLoop = (async () => {
		const backoff = new Backoff(serverBackoffOptions);
		try {
			if (!(await hello(backoff))) return;
			resolveReady();
			while (!signal.aborted) {
				try {
					if (helloNeeded) {
						if (!(await hello(backoff))) return;
						helloNeeded = false;
					}
					if (inHand.size >= maxJobsInHand) {
						await sleep(250, signal);
						continue;
					}
					const max = Math.max(1, Math.min(jobsPerClaim, maxJobsInHand - inHand.size));
					const poll = await api.jobs(pollWaitSeconds, signal, max);
					if (serverDown) log.info('server.reachable');
					serverDown = false;
					backoff.reset();
					if (poll.malformed > 0) log.warn('server.malformed-jobs', { count: poll.malformed });
					for (const id of poll.invalid) {
						if (inHand.has(id)) continue;
						inHand.add(id);
						answer({ id }, { ok: false, final: true, error: 'malformed job' });
					}
					for (const job of poll.jobs) dispatch(job);
				} catch (error) {
					if (signal.aborted) return;
					// A 4xx other than auth on the poll itself: maybe the server forgot us (restart
					// on a fresh database, protocol change); announcing ourselves again is cheap.
					if (
						error instanceof ServerHttpError &&
						!(error instanceof TokenRejectedError) &&
						error.status >= 400 &&
						error.status < 500 &&
						error.status !== 429
					) {
						helloNeeded = true;
					}
					await backOff(backoff, 'jobs', error);
				}
			}
		} catch (error) {
			// Everything above handles its own errors; a bug here must be loud, not silent.
			log.error('agent.poll-crashed', { error, stack: (error as Error).stack });
		} finally {
			resolveReady();
		}
	})();

	log.info('agent.start', {
		version: agentVersion,
		server: config.serverUrl,
		routers: config.routers.map((r) => r.name).join(',')
	});

	const stop = async (): Promise<void> => {
		controller.abort();
		await pollLoop;
		await reporter?.stop();
		// Jobs not started go back to the server now rather than after their lease.
		for (const queue of queues.values()) {
			for (const job of queue.takeQueued()) {
				answer(job, { ok: false, final: false, error: 'agent stopping' });
			}
		}
		// A running job may finish its command; past the grace its connection is closed, which
		// makes it end with a connection error (and be answered as not final).
		const idle = Promise.all([...queues.values()].map((q) => q.idle));
		const grace = new AbortController();
		await Promise.race([idle, sleep(stopGraceMs, grace.signal)]);
		grace.abort();
		await Promise.all(links.map((link) => link.close()));
		await idle;
		await outbox.close(2000);
		log.info('agent.stopped');
	};

	return {
		ready,
		get agentId() {
			return agentId;
		},
		routers: () =>
			links.map((link) => {
				const queue = queues.get(link) as RouterQueue;
				return {
					name: link.name,
					id: link.id,
					connected: link.connected,
					circuit: link.breaker.state,
					failures: link.breaker.failures,
					queued: queue.length,
					running: queue.running,
					lastError: link.lastError
				};
			}),
		jobsInHand: () => inHand.size,
		stop() {
			stopping ??= stop();
			return stopping;
		}
	};
}
