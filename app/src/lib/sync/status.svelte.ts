import { db } from '../app.svelte';
import { live } from '../live.svelte';
import type { SyncStatus } from './loop';

/** Everything the sync badge shows, live across tabs. */
export function syncState() {
	const status = live(() => db.getMeta<SyncStatus>('syncStatus'));
	const pending = live(() => db.outbox.count());
	const rejected = live(() => db.rejected.toArray());
	return {
		get status() {
			return status.current;
		},
		get pending() {
			return pending.current ?? 0;
		},
		get rejected() {
			return rejected.current ?? [];
		}
	};
}
