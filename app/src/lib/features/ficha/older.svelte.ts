import { olderCursor, windowTime, type EntityName } from '@enlace/shared';
import type { SyncEngine } from '$lib/sync/engine';
import { HttpError } from '$lib/sync/http-transport';

type Held = { id: string };

/**
 * "Cargar más" of a windowed entity in the ficha (Historial, Documentos): the device holds the
 * recent window, open work and the customers opened lately; older rows are read from the server
 * (online only), a page at a time, before the oldest row the device holds, and stored (the
 * customer is pinned, so they stay). Offline it says so plainly instead of failing.
 */
export class OlderRows {
	state = $state<'idle' | 'loading' | 'offline' | 'done'>('idle');
	error = $state('');

	constructor(
		private readonly engine: Pick<SyncEngine, 'fetchOlder'>,
		private readonly entity: EntityName,
		private readonly customerId: () => string
	) {}

	async load(held: readonly Held[]): Promise<void> {
		this.error = '';
		if (typeof navigator !== 'undefined' && !navigator.onLine) {
			this.state = 'offline';
			return;
		}
		// Before the oldest row held here, in the server's order: its window time, then its id.
		let oldest: [string, string] | undefined;
		for (const row of held) {
			const at = windowTime(this.entity, row as unknown as Record<string, unknown>) ?? '';
			if (!oldest || at < oldest[0] || (at === oldest[0] && row.id < oldest[1]))
				oldest = [at, row.id];
		}
		const before = oldest ? olderCursor(...oldest) : undefined;
		this.state = 'loading';
		try {
			const page = await this.engine.fetchOlder(this.entity, this.customerId(), before);
			this.state = page.next ? 'idle' : 'done';
		} catch (e) {
			if (e instanceof HttpError) {
				this.state = 'idle';
				this.error = e.error.message;
			} else this.state = 'offline'; // the request never reached the server
		}
	}
}
