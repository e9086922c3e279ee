/**
 * The agent daemon (docs/router-work.md › The agent daemon): hello, then a long poll for jobs; each job goes to
 * its router's queue (one at a time, in order; routers in parallel); results go back through an
 * outbox that outlives server restarts; a status reporter runs beside it.
 *
 * Delivery is at least once: the server leases a job to us and hands it out again if the lease
 * runs out. That is safe because a job is a desired end state (jobs/*.ts converge, never replay),
 * so the rules here are about liveness and order, not exactly-once:
 * - A router trap is the router's final word on the job: `final: true`.
 * - A deadline mid-job is not: `final: false`, and the server re-queues it. Jobs still queued
 *   behind it for that router are handed back too, so they can never overtake it (an ensure
 *   re-run after a later remove would resurrect the secret). A lost connection mid-job runs the
 *   job again here after the router's backoff while its lease allows (queue.ts), and is handed
 *   back the same way only after that.
 * - While a router is down and its circuit closed, a job waits for the next connection attempt
 *   if that comes before its lease ends; once the circuit is open, jobs are handed back at once
 *   (`final: false`) and the router is only probed when its backoff is over. The server holds a
 *   handed-back job a little longer on every attempt, so this never spins.
 * - Nothing a router or the server does ends the process: every loop catches, logs, backs off.
 *
 * The parts: link.ts (one router's connection), queue.ts (its ordered job queue), outbox.ts
 * (results on their way back); this file says hello, polls, dispatches and stops.
 */
import { readFileSync } from 'node:fs';
import {
	AGENT_PROTOCOL_VERSION,
	type AgentHello,
	type AgentJobResult
} from '@enlace/shared/protocol/agent';
import {
	createAgentApi,
	ServerHttpError,
	ServerUnreachableError,
	TokenRejectedError,
	type ReceivedJob
} from './api';
import { Backoff, sleep, type BackoffOptions, type CircuitState } from './backoff';
import type { AgentConfig } from './config';
import { RouterLink } from './link';
import { createLogger, type Logger } from './log';
import { ResultOutbox } from './outbox';
import { RouterQueue } from './queue';
import { startStatusReporter, type StatusReporter } from './status';

export type AgentOptions = {
	/** Default: a logger at the config's level on stdout/stderr, with the secrets registered. */
	log?: Logger;
	/** `wait` of the long poll in seconds (default 25). */
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

function readAgentVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
		return typeof pkg.version === 'string' ? pkg.version.slice(0, 40) : '0.0.0';
	} catch {
		// Only the hello's informational field depends on it; a missing file must not stop the agent.
		return '0.0.0';
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
