import type { Db } from '../db/client';
import { currentSeq } from './store';

/**
 * Tells SSE listeners when the change-log position moves. Writes of this process bump it
 * directly; with a shared (remote) database other instances write too, so it also polls.
 */
export class SeqNotifier {
	private readonly listeners = new Set<(seq: number) => void>();
	private timer?: NodeJS.Timeout;
	seq = 0;

	bump(seq: number): void {
		if (seq <= this.seq) return;
		this.seq = seq;
		for (const fn of this.listeners) fn(seq);
	}

	subscribe(fn: (seq: number) => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	get size(): number {
		return this.listeners.size;
	}

	startPolling(db: Db, ms: number): void {
		this.timer = setInterval(() => {
			currentSeq(db.client).then(
				(s) => this.bump(s),
				(e: unknown) => console.error('seq poll failed', e)
			);
		}, ms);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		this.listeners.clear();
	}
}
