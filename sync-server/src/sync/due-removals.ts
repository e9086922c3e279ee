import { madridTime } from '@enlace/shared';
import type { Db } from '../db/client';
import type { SessionUser } from '../auth/sessions';
import type { SeqNotifier } from './notifier';
import { applyOne } from './push';
import { currentSeq } from './store';

/** Who the server's own scheduled changes are by, in Historial and on their router jobs. */
export const SYSTEM_USER: SessionUser = {
	id: 'system',
	email: 'system@enlace.invalid',
	name: 'Enlace (programado)',
	role: 'admin'
};

/** How often the server looks for bajas whose secrets are due for removal. */
export const DUE_REMOVALS_EVERY_MS = 60 * 60 * 1000;

/** The day a sweep at `now` works for: Madrid's (at 00:30 in Madrid, still the day before in UTC). */
export const sweepDay = (now = new Date()) => madridTime(now.toISOString()).day;

/**
 * A baja whose state removes the secret after some days (Configuración › Estados de cliente)
 * leaves `secretRemovalOn` on the customer. This finds the customers due on `today` (the day in Madrid, like every date the office types) and runs
 * `customer.removeDueSecrets` for each, as the system, through the same path as a push: its rows,
 * jobs and Historial lines in one batch. The mutation id is the customer and the day, so two server
 * instances sweeping at once apply it once. Returns how many customers were swept.
 */
export async function removeDueSecrets(
	db: Db,
	notifier: SeqNotifier,
	today = sweepDay()
): Promise<number> {
	const r = await db.client.execute({
		sql: `SELECT id FROM records WHERE entity = 'customer' AND deleted = 0
			AND data ->> '$.secretRemovalOn' <= ?`,
		args: [today]
	});
	for (const row of r.rows) {
		const id = String(row.id);
		await applyOne(db, SYSTEM_USER, 'server', {
			id: `due-removal:${id}:${today}`,
			name: 'customer.removeDueSecrets',
			args: { id, today }
		});
	}
	if (r.rows.length) notifier.bump(await currentSeq(db.client));
	return r.rows.length;
}

/** Sweep now and then every `everyMs`; returns the stop function. A failed sweep is retried next time. */
export function startDueRemovals(
	db: Db,
	notifier: SeqNotifier,
	everyMs = DUE_REMOVALS_EVERY_MS
): () => void {
	const sweep = () =>
		removeDueSecrets(db, notifier).catch((e: unknown) =>
			console.error('due-removals: sweep failed', e)
		);
	void sweep();
	const timer = setInterval(() => void sweep(), everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
