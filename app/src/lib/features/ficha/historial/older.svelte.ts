import { olderCursor, windowTime, type HistoryEntry } from '@enlace/shared';
import type { SyncEngine } from '$lib/sync/engine';
import { HttpError } from '$lib/sync/http-transport';

/**
 * "Cargar más" in Historial: the device holds the recent window and the customers opened lately;
 * older lines are read from the server (online only), a page at a time, before the oldest line
 * the device holds, and stored (the customer is pinned, so they stay). Offline it says so plainly
 * instead of failing.
 */
export class OlderLines {
	state = $state<'idle' | 'loading' | 'offline' | 'done'>('idle');
	error = $state('');

	constructor(
		private readonly engine: Pick<SyncEngine, 'fetchOlder'>,
		private readonly customerId: () => string
	) {}

	async load(held: HistoryEntry[]): Promise<void> {
		this.error = '';
		if (typeof navigator !== 'undefined' && !navigator.onLine) {
			this.state = 'offline';
			return;
		}
		// Before the oldest line held here (the server's order: its time, then its id).
		let oldest: HistoryEntry | undefined;
		for (const h of held) {
			if (!oldest || h.at < oldest.at || (h.at === oldest.at && h.id < oldest.id)) oldest = h;
		}
		const before = oldest
			? olderCursor(windowTime('history', oldest) ?? oldest.at, oldest.id)
			: undefined;
		this.state = 'loading';
		try {
			const page = await this.engine.fetchOlder('history', this.customerId(), before);
			this.state = page.next ? 'idle' : 'done';
		} catch (e) {
			if (e instanceof HttpError) {
				this.state = 'idle';
				this.error = e.error.message;
			} else this.state = 'offline'; // the request never reached the server
		}
	}
}
