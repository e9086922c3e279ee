import type { Db } from '../db/client';
import type { FileStorage } from './storage';

/** How often the server removes the bytes of deleted files. */
export const FILE_SWEEP_EVERY_MS = 60 * 1000;

/**
 * Removes the stored bytes (and any unfinished upload) of every `file` row deleted after `afterSeq`
 * in the change log; returns the change-log position swept up to. Deleting the row is a mutation
 * like any other; the bytes follow here, so a delete on a phone frees the disk or the bucket.
 */
export async function sweepDeletedFiles(
	db: Db,
	storage: FileStorage,
	afterSeq: number
): Promise<number> {
	const r = await db.client.execute({
		sql: "SELECT id, seq FROM records WHERE entity = 'file' AND deleted = 1 AND seq > ? ORDER BY seq",
		args: [afterSeq]
	});
	let swept = afterSeq;
	for (const row of r.rows) {
		await storage.remove(String(row.id));
		swept = Number(row.seq);
	}
	return swept;
}

/** Sweeps now and then every `everyMs`; returns the stop function. A failed sweep is retried. */
export function startFileSweep(
	db: Db,
	storage: FileStorage,
	everyMs = FILE_SWEEP_EVERY_MS
): () => Promise<void> {
	let at = 0;
	let running: Promise<void> = Promise.resolve();
	const sweep = () => {
		running = sweepDeletedFiles(db, storage, at).then(
			(seq) => void (at = seq),
			(e: unknown) => console.error('file sweep failed', e)
		);
	};
	sweep();
	const timer = setInterval(sweep, everyMs);
	return async () => {
		clearInterval(timer);
		await running;
	};
}
