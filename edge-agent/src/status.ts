/**
 * Status reporter (docs/router-work.md, "Hello, routers and status"): every `statusIntervalSeconds`
 * read `/ppp/active` on each router and post who is online, so the app's "CMI activo" badge follows
 * the routers. The routers are read in parallel and a tick waits for them only up to a budget: a
 * slow or dead router is posted late (with the next tick) or as unreachable, never holding up the
 * others.
 */
import type { AgentStatus } from '@enlace/shared/protocol/agent';
import { ServerHttpError, type AgentApi } from './api';
import { sleep } from './backoff';
import type { RouterOs } from './jobs/index';
import type { Logger } from './log';
import { RouterOsConnectionError, RouterOsFatalError } from './routeros/errors';

export type RouterStatus = AgentStatus['routers'][number];

/** What the reporter needs of a router's connection manager (link.ts `RouterLink`). */
export type StatusLink = {
	readonly name: string;
	/** The server's id, known after hello; routers without one are not reported. */
	readonly id: string | undefined;
	/** Identity and version, read once per connection (cleared by the link on reconnect). */
	info: { identity?: string; version?: string } | undefined;
	/**
	 * The connected client, or undefined when the router is down and its next connection attempt
	 * is not due yet (the circuit breaker decides; this call may be that attempt).
	 */
	probe(): Promise<RouterOs | undefined>;
	/** Why the router is down, for `error`. */
	downReason(): string;
	/** A command died with the connection: count it like a failed connect. */
	noteFailure(error: unknown): void;
	/** True while jobs wait for their first go on a fresh connection: status waits its turn. */
	yieldsToJobs?(): boolean;
};

const clip = (text: string | undefined, max: number): string | undefined =>
	text === undefined || text === '' ? undefined : text.slice(0, max);

const errorText = (error: unknown): string =>
	(error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * One router's entry of `POST /api/agent/status`, or undefined when the router's jobs go first
 * (nothing is posted for it this tick); never throws.
 */
export async function collectRouterStatus(
	link: StatusLink,
	routerId: string,
	timeoutMs: number
): Promise<RouterStatus | undefined> {
	try {
		if (link.yieldsToJobs?.()) return undefined;
		const ros = await link.probe();
		// The probe may have made the connection the jobs were waiting for.
		if (link.yieldsToJobs?.()) return undefined;
		if (!ros) return { routerId, reachable: false, error: clip(link.downReason(), 500) };
		if (!link.info) {
			const [identity] = await ros.print('/system/identity', { proplist: ['name'] }, { timeoutMs });
			const [resource] = await ros.print(
				'/system/resource',
				{ proplist: ['version'] },
				{ timeoutMs }
			);
			link.info = { identity: identity?.name, version: resource?.version };
		}
		const rows = await ros.print(
			'/ppp/active',
			{ proplist: ['name', 'address', 'uptime', 'caller-id'] },
			{ timeoutMs }
		);
		const sessions = rows
			.filter((row) => row.name)
			.map((row) => ({
				name: row.name.slice(0, 64),
				address: clip(row.address, 64),
				uptime: clip(row.uptime, 40),
				callerId: clip(row['caller-id'], 64)
			}));
		return {
			routerId,
			reachable: true,
			identity: clip(link.info.identity, 120),
			version: clip(link.info.version, 40),
			sessions
		};
	} catch (error) {
		// A dropped connection counts towards the circuit; a slow answer or a trap does not.
		if (error instanceof RouterOsConnectionError || error instanceof RouterOsFatalError) {
			link.noteFailure(error);
		}
		return { routerId, reachable: false, error: errorText(error) };
	}
}

export type StatusReporterOptions = {
	links: readonly StatusLink[];
	api: Pick<AgentApi, 'status'>;
	intervalMs: number;
	/** Deadline of each status command (the agent's command timeout). */
	commandTimeoutMs: number;
	log: Logger;
	/** The server answered a post with an HTTP error (404: it does not know our routers). */
	onRejected?: (error: ServerHttpError) => void;
};

export type StatusReporter = {
	setInterval(ms: number): void;
	stop(): Promise<void>;
};

export function startStatusReporter(options: StatusReporterOptions): StatusReporter {
	const { links, api, commandTimeoutMs, log } = options;
	let intervalMs = options.intervalMs;
	const controller = new AbortController();
	const { signal } = controller;
	/** Collections still running, one per router at most: a slow router is not asked twice. */
	const inFlight = new Map<StatusLink, Promise<void>>();
	/** Finished entries not posted yet (late ones ride along with the next tick). */
	const ready = new Map<string, RouterStatus>();
	let postFailures = 0;

	const tick = async (): Promise<void> => {
		const started: Promise<void>[] = [];
		for (const link of links) {
			const id = link.id;
			if (id === undefined || inFlight.has(link)) continue;
			const run = collectRouterStatus(link, id, commandTimeoutMs)
				.then((status) => {
					if (status) ready.set(id, status);
				})
				.finally(() => inFlight.delete(link));
			inFlight.set(link, run);
			started.push(run);
		}
		const budget = Math.min(intervalMs * 0.8, 5000);
		const budgetOver = new AbortController();
		await Promise.race([
			Promise.all(started),
			sleep(budget, AbortSignal.any([signal, budgetOver.signal]))
		]);
		budgetOver.abort();
		if (signal.aborted || ready.size === 0) return;
		const body: AgentStatus = { routers: [...ready.values()] };
		ready.clear();
		try {
			await api.status(body, signal);
			if (postFailures > 0) log.info('status.posted', { afterFailures: postFailures });
			postFailures = 0;
		} catch (error) {
			if (signal.aborted) return;
			postFailures += 1;
			// Stale status is worth nothing: drop it and send a fresh one next tick.
			const level = postFailures === 1 ? 'warn' : 'debug';
			log[level]('status.post-failed', { error, failures: postFailures });
			if (error instanceof ServerHttpError) options.onRejected?.(error);
		}
	};

	const loop = (async () => {
		while (!signal.aborted) {
			const t0 = Date.now();
			try {
				await tick();
			} catch (error) {
				// tick() handles its own failures; this is a bug, and a bug must not stop reporting.
				log.error('status.tick-crashed', { error });
			}
			await sleep(intervalMs - (Date.now() - t0), signal);
		}
	})();

	return {
		setInterval(ms) {
			intervalMs = ms;
		},
		async stop() {
			controller.abort();
			await loop;
			// Reads still in flight are not waited for (a stalled router would hold stop() for a
			// whole command deadline): they end when the agent closes the router connections.
		}
	};
}
