import { db } from '../app.svelte';
import { live } from '../live.svelte';
import type { SyncStatus } from './loop';
import { uploadTotals } from '../files/files';

/** Everything the sync badge shows, live across tabs. */
export function syncState() {
	const status = live(() => db.getMeta<SyncStatus>('syncStatus'));
	const pending = live(() => db.outbox.count());
	const rejected = live(() => db.rejected.toArray());
	// Files waiting to upload, without their bytes (sizes and progress only).
	const uploads = live(async () => {
		const rows: { size: number; sent: number }[] = [];
		await db.fileUpload.each((r) => rows.push({ size: r.size, sent: r.sent }));
		return uploadTotals(rows);
	});
	return {
		get status() {
			return status.current;
		},
		get pending() {
			return pending.current ?? 0;
		},
		get rejected() {
			return rejected.current ?? [];
		},
		get uploads() {
			return uploads.current ?? { files: 0, bytes: 0, sent: 0 };
		}
	};
}
