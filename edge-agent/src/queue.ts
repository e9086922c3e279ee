/**
 * The ordered queue of one router. Jobs run one batch at a time in the order the server handed
 * them out (a batch is one job, or the run of jobs its handler takes at once: see
 * jobs/index.ts `nextBatch`). A job handed back to the server takes everything behind it along,
 * so nothing overtakes it.
 */
import type { AgentJobResult } from '@enlace/shared/protocol/agent';
import type { ReceivedJob } from './api';
import { InvalidJobError, nextBatch, type Batch, type RouterOs } from './jobs/index';
import { errorText, type RouterLink } from './link';
import type { Logger } from './log';
import {
	RouterOsConnectionError,
	RouterOsError,
	RouterOsFatalError,
	RouterOsTimeoutError,
	RouterOsTrapError
} from './routeros/errors';

export type QueuedJob = ReceivedJob & { receivedAt: number };

export type Outcome = AgentJobResult & {
	final: boolean;
	/** Lost with the connection: worth running again here once the router is back. */
	connectionLost?: boolean;
};

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

export class RouterQueue {
	readonly #link: RouterLink;
	readonly #deps: QueueDeps;
	readonly #jobs: QueuedJob[] = [];
	#worker: Promise<void> | undefined;
	#running: QueuedJob | undefined;
	/**
	 * Most jobs per batch: halved each time a lost connection cuts a batch, doubled back after
	 * one that was not, so a router that drops every connection after a few commands still sees
	 * jobs finish instead of the same big batch cut at the same point for ever.
	 */
	#batchLimit = Infinity;

	constructor(link: RouterLink, deps: QueueDeps) {
		this.#link = link;
		this.#deps = deps;
		link.hasJobs = () => this.#jobs.length > 0 || this.#running !== undefined;
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
			const next = nextBatch(this.#jobs, this.#batchLimit);
			const batch = this.#jobs.splice(0, next.jobs.length);
			this.#running = batch[0];
			let outcomes: Outcome[];
			try {
				outcomes = await this.#execute(batch, next.run);
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
			this.#link.jobsRan();
			// A job cut by a lost connection runs again here, after the router's own backoff,
			// while its lease allows: handing it back would hold it (and everything behind it)
			// on the server for a delay that grows with its attempts.
			const cut = outcomes.findIndex((o) => !o.final);
			if (cut >= 0 && outcomes[cut].connectionLost) {
				this.#batchLimit = Math.max(1, Math.floor((batch.length - cut) / 2));
			} else if (cut < 0) this.#batchLimit *= 2;
			if (cut >= 0 && outcomes[cut].connectionLost && this.#canRetryHere(batch[cut])) {
				batch.slice(0, cut).forEach((job, i) => this.#deps.answer(job, outcomes[i]));
				this.#jobs.unshift(...batch.slice(cut));
				log.debug('job.retry-here', { router: this.#link.name, jobs: batch.length - cut });
				continue;
			}
			// Answered together, so the outbox posts them together.
			let retried = false;
			batch.forEach((job, i) => {
				this.#deps.answer(job, retried ? withBatch : stripped(outcomes[i]));
				if (!outcomes[i].final) retried = true;
			});
			if (retried) {
				// Order: whatever was queued behind it must not run before it runs again.
				for (const later of this.#jobs.splice(0)) this.#deps.answer(later, notRunYet);
			}
		}
	}

	/** The router's next connection attempt is due before `job`'s lease deadline. */
	#canRetryHere(job: QueuedJob): boolean {
		const breaker = this.#link.breaker;
		if (this.#deps.signal.aborted || breaker.state === 'open') return false;
		return Date.now() + breaker.waitMs() < this.#deadline(job);
	}

	/** Our own clock plus the lease length, not the server's leaseUntil: clocks drift apart. */
	#deadline(job: QueuedJob): number {
		const leaseMs = this.#deps.leaseMs();
		return job.receivedAt + leaseMs - Math.min(5000, leaseMs / 5);
	}

	/** One connection for the batch, then one outcome per job, in order. */
	async #execute(batch: QueuedJob[], run: Batch<QueuedJob>['run']): Promise<Outcome[]> {
		const { log, signal, commandTimeoutMs } = this.#deps;
		const router = this.#link.name;
		const logOf = (job: QueuedJob) => log.child({ router, job: job.id, kind: job.kind });
		const deadline = this.#deadline(batch[0]);
		const t0 = Date.now();
		let ros: RouterOs;
		try {
			ros = await this.#link.acquire(deadline, signal);
		} catch (error) {
			const reason = errorText(error);
			if (batch.length > 1) log.info('job.deferred', { router, jobs: batch.length, reason });
			else logOf(batch[0]).info('job.deferred', { reason });
			return batch.map(() => ({ ok: false, final: false, error: reason }));
		}
		const settled = await run({ ros, commandTimeoutMs });
		const ms = Date.now() - t0;
		// One lost connection fails every job in flight; the breaker counts it once.
		let counted = false;
		return settled.map((s, i) => {
			const job = batch[i];
			const jobLog = logOf(job);
			if (!s.ok) {
				const outcome = this.#failure(s.error, jobLog, !counted);
				if (s.error instanceof RouterOsConnectionError || s.error instanceof RouterOsFatalError) {
					counted = true;
				}
				return outcome;
			}
			const size = batch.length > 1 ? { batch: batch.length } : {};
			jobLog.info('job.done', { ms, attempts: job.attempts, ...size });
			return { ok: true, final: true, result: s.value };
		});
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
			return { ok: false, final: false, error: errorText(error), connectionLost: true };
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

/** The outcome as the server takes it. */
function stripped({ connectionLost: _, ...outcome }: Outcome): Outcome {
	return outcome;
}

export type QueueDeps = {
	log: Logger;
	signal: AbortSignal;
	leaseMs: () => number;
	commandTimeoutMs: number;
	answer: (job: QueuedJob, outcome: Outcome) => void;
};
