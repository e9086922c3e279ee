/**
 * Exponential backoff with jitter, the per-router circuit breaker, and an abortable sleep. The
 * jitter matters: after a power cut every router and every agent comes back at the same second,
 * and without it they would retry in lock-step for ever.
 */

export type BackoffOptions = {
	/** First delay (default 1000 ms). */
	initialMs?: number;
	/** Ceiling (default 60000 ms). */
	maxMs?: number;
	/** Growth per failure (default 2). */
	factor?: number;
	/**
	 * Fraction of each delay that is random (default 0.25): the delay is drawn from
	 * `[d·(1 − jitter), d]`, so it never exceeds `maxMs`.
	 */
	jitter?: number;
	random?: () => number;
};

export const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0.25 };

export class Backoff {
	readonly #initialMs: number;
	readonly #maxMs: number;
	readonly #factor: number;
	readonly #jitter: number;
	readonly #random: () => number;
	#attempt = 0;

	constructor(options: BackoffOptions = {}) {
		this.#initialMs = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
		this.#maxMs = Math.max(this.#initialMs, options.maxMs ?? DEFAULT_BACKOFF.maxMs);
		this.#factor = options.factor ?? DEFAULT_BACKOFF.factor;
		this.#jitter = Math.min(1, Math.max(0, options.jitter ?? DEFAULT_BACKOFF.jitter));
		this.#random = options.random ?? Math.random;
	}

	/** Failures since the last `reset()`. */
	get attempt(): number {
		return this.#attempt;
	}

	/** The delay before the next try; each call counts one more failure. */
	next(): number {
		const base = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempt);
		this.#attempt += 1;
		return Math.round(base * (1 - this.#jitter * this.#random()));
	}

	reset(): void {
		this.#attempt = 0;
	}
}

export type CircuitState = 'closed' | 'open';

export type CircuitBreakerOptions = BackoffOptions & {
	/** Consecutive failures that open the circuit (default 3). */
	failureThreshold?: number;
	now?: () => number;
};

export const DEFAULT_FAILURE_THRESHOLD = 3;

/**
 * Consecutive connection failures of one router. Every failure pushes the next allowed attempt
 * out by the backoff, whoever asks (a job or the status reporter), so a dead router sees one
 * connection attempt per backoff step, not one per job. Past `failureThreshold` the circuit is
 * open: the router is reported down and jobs are handed back to the server (runner.ts) instead
 * of being run; the attempt that becomes due after the backoff is the probe that closes it.
 */
export class CircuitBreaker {
	readonly #backoff: Backoff;
	readonly #threshold: number;
	readonly #now: () => number;
	#failures = 0;
	#nextAttemptAt = 0;

	constructor(options: CircuitBreakerOptions = {}) {
		this.#backoff = new Backoff(options);
		this.#threshold = Math.max(1, options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD);
		this.#now = options.now ?? Date.now;
	}

	get state(): CircuitState {
		return this.#failures >= this.#threshold ? 'open' : 'closed';
	}

	get failures(): number {
		return this.#failures;
	}

	/** Epoch ms before which no connection attempt should be made (0: now is fine). */
	get nextAttemptAt(): number {
		return this.#nextAttemptAt;
	}

	/** How long until an attempt is allowed (0 when it is due). */
	waitMs(): number {
		return Math.max(0, this.#nextAttemptAt - this.#now());
	}

	/** Records a failure; returns the delay until the next attempt. */
	failure(): number {
		this.#failures += 1;
		const delay = this.#backoff.next();
		this.#nextAttemptAt = this.#now() + delay;
		return delay;
	}

	success(): void {
		this.#failures = 0;
		this.#nextAttemptAt = 0;
		this.#backoff.reset();
	}
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise<void>((resolve) => {
		if (signal?.aborted || ms <= 0) {
			resolve();
			return;
		}
		const done = (): void => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal?.addEventListener('abort', done, { once: true });
	});
}
