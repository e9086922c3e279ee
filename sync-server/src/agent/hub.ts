import type { SeqNotifier } from '../sync/notifier';

export type AgentOptions = {
	/** How long a claimed job stays the agent's before it is handed out again. */
	leaseSeconds: number;
	/** How often agents should post /status. */
	statusIntervalSeconds: number;
	/** How often a waiting long poll looks at the database anyway (writes by other instances,
	 * leases running out, retry delays ending: none of these bump this process's notifier). */
	pollMs: number;
};

export const DEFAULT_AGENT_OPTIONS: AgentOptions = {
	leaseSeconds: 60,
	statusIntervalSeconds: 5,
	pollMs: 1000
};

/**
 * Where agents' long polls wait. A poll wakes when this process's change log moves (a push that
 * may have enqueued a job — waking on any write is cheaper than knowing which), after `pollMs`,
 * when its client goes away, or when the server stops.
 */
export class AgentHub {
	private readonly sleepers = new Set<() => void>();
	private stopped = false;

	constructor(
		private readonly notifier: SeqNotifier,
		readonly options: AgentOptions = DEFAULT_AGENT_OPTIONS
	) {}

	get seq(): number {
		return this.notifier.seq;
	}

	get closed(): boolean {
		return this.stopped;
	}

	/** Sleep up to `ms`; returns at once if the seq already moved past `seenSeq`. */
	sleep(ms: number, seenSeq: number, signal?: AbortSignal): Promise<void> {
		if (this.stopped || signal?.aborted || this.notifier.seq !== seenSeq) return Promise.resolve();
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				unsubscribe();
				signal?.removeEventListener('abort', done);
				this.sleepers.delete(done);
				resolve();
			};
			const timer = setTimeout(done, ms);
			const unsubscribe = this.notifier.subscribe(done);
			signal?.addEventListener('abort', done, { once: true });
			this.sleepers.add(done);
		});
	}

	/** Server shutdown: every waiting poll answers now instead of holding the database open. */
	stop(): void {
		this.stopped = true;
		for (const wake of [...this.sleepers]) wake();
	}
}
