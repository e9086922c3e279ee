import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';
import { guardedStatements, writeGuarded, type GuardedWrite } from '../sync/writer';

/**
 * Finished router jobs are kept `JOB_RETENTION_DAYS` after they finished, then deleted: they only
 * grow (a "Reaplicar todo" writes one per account), and what they said stays in the customer's
 * Historial, whose lines are separate rows and are not touched. Queued and running jobs are never
 * pruned, whatever their age.
 *
 * A pruned job is deleted as any row is: a tombstone with the next `seq`, so every device drops
 * it at its next pull (docs/sync-protocol.md). A pull from 0 skips tombstones, so a new device
 * does not download the pruned jobs' deletes either.
 */

/** Rows deleted per write: bounds the write lock's hold, so pushes are not kept waiting. */
export const PRUNE_BATCH = 500;

const DAY_MS = 86_400_000;

/** Delete the jobs finished more than `days` before `now`; how many. `days` 0: keep every job. */
export async function pruneFinishedJobs(
	db: Db,
	notifier: SeqNotifier,
	days: number,
	now = Date.now()
): Promise<number> {
	if (days <= 0) return 0;
	// A settled job is never written again, so its last write (`updated_at`) is when it finished.
	const cutoff = new Date(now - days * DAY_MS).toISOString();
	let pruned = 0;
	for (;;) {
		const n = await writeGuarded(db, async () => {
			const r = await db.client.execute({
				sql: `SELECT id, seq FROM records
					WHERE entity = 'routerJob' AND deleted = 0 AND updated_at < ?
						AND json_extract(data, '$.state') IN ('done', 'failed')
					LIMIT ?`,
				args: [cutoff, PRUNE_BATCH]
			});
			const writes: GuardedWrite[] = r.rows.map((x) => ({
				entity: 'routerJob',
				id: String(x.id),
				row: null,
				seenSeq: Number(x.seq)
			}));
			const at = new Date().toISOString();
			return { stmts: guardedStatements(writes, 'server:prune', at), value: writes.length };
		});
		pruned += n;
		if (n < PRUNE_BATCH) break;
	}
	if (pruned) notifier.bump(await currentSeq(db.client));
	return pruned;
}

/** How often the server prunes (and once shortly after it starts). */
export const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * Prune now and then every `everyMs` until stopped; a failure is logged and tried again next
 * time. `stop()` waits for a run in progress, so the database can be closed after it.
 */
export function startJobPruning(
	db: Db,
	notifier: SeqNotifier,
	days: number,
	everyMs = PRUNE_EVERY_MS
): { stop(): Promise<void> } {
	if (days <= 0) return { stop: async () => undefined };
	let running: Promise<void> = Promise.resolve();
	let stopped = false;
	const run = () => {
		running = running.then(async () => {
			if (stopped) return;
			try {
				const n = await pruneFinishedJobs(db, notifier, days);
				if (n) console.log(`trabajos de router terminados hace más de ${days} días borrados: ${n}`);
			} catch (e) {
				console.error('no se pudieron borrar los trabajos de router antiguos', e);
			}
		});
	};
	const first = setTimeout(run, 1000);
	const timer = setInterval(run, everyMs);
	first.unref();
	timer.unref();
	return {
		async stop() {
			stopped = true;
			clearTimeout(first);
			clearInterval(timer);
			await running;
		}
	};
}
