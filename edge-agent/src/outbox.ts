import type { AgentJobResult } from '@enlace/shared/protocol/agent';
import { ServerHttpError, TokenRejectedError, type AgentApi } from './api';
import { Backoff, sleep, type BackoffOptions } from './backoff';
import type { Logger } from './log';

/** The most results in one post (the protocol allows 1000). */
const MAX_RESULTS_PER_POST = 1000;

/**
 * Results on their way to the server, in order, retried with backoff while the server is away.
 * A job stays "in hand" until its result is delivered, so a re-delivery of a job we are still
 * answering is not run twice side by side.
 */
export class ResultOutbox {
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
