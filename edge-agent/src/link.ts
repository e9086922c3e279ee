/**
 * One router's connection: lazy connect and login, reconnect after a drop, and the circuit
 * breaker that paces attempts for everyone who needs the router.
 */
import { CircuitBreaker, sleep } from './backoff';
import type { AgentConfig, RouterConfig } from './config';
import type { RouterOs } from './jobs/index';
import type { Logger } from './log';
import { RouterOsClient } from './routeros/client';
import type { RouterOsError } from './routeros/errors';
import type { StatusLink } from './status';

/** Thrown out of `acquire` when the agent is stopping. */
export class AgentStoppingError extends Error {
	constructor() {
		super('agent stopping');
		this.name = 'AgentStoppingError';
	}
}

/** The router could not be reached before the job's lease deadline. */
export class RouterUnavailableError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'RouterUnavailableError';
	}
}

export const errorText = (error: unknown): string =>
	(error instanceof Error ? error.message : String(error)).slice(0, 1000);

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
	/** Errors already counted by noteFailure (see there). */
	#counted = new WeakSet<object>();
	/**
	 * True from a connect until the job queue has had its first go on that connection: a router
	 * that drops connections part-way must spend each one on jobs, not on status reads.
	 */
	#jobsFirst = false;
	/** Whether the job queue has work (set by the queue; none without one). */
	hasJobs: () => boolean = () => false;
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
			ca: config.ca,
			fingerprint256: config.fingerprint256,
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

	/** The status reporter should wait: jobs are waiting and have not had this connection yet. */
	yieldsToJobs(): boolean {
		return this.#jobsFirst && this.hasJobs();
	}

	/** The job queue has had its go on the current connection. */
	jobsRan(): void {
		this.#jobsFirst = false;
	}

	/** For the status reporter: connected client, or one attempt if due, else undefined. */
	async probe(): Promise<RouterOs | undefined> {
		if (!this.#client.connected && this.breaker.waitMs() === 0) await this.#tryConnect();
		return this.#client.connected ? this.#client : undefined;
	}

	/**
	 * Counts a failure toward the breaker. A lost connection fails everything in flight on it with
	 * one error object (the job queue's commands, a status read, the close itself), and the loss
	 * is one failure: an error already counted is not counted again.
	 */
	noteFailure(error: unknown): void {
		if (typeof error === 'object' && error !== null) {
			if (this.#counted.has(error)) return;
			this.#counted.add(error);
		}
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
			this.#jobsFirst = true;
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
		this.#log.warn('router.disconnected', { error: error.message });
		// Counted here even with nothing in flight (an unanswered /cancel): once, as it is the
		// same error that failed any command in flight.
		this.noteFailure(error);
	}
}
