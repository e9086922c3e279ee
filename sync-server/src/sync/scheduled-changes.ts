/**
 * Changes the server makes on their day, as the system, through the same path as a push: a
 * baja's secret removed N days after it, and a PPPoE account's tariff changed when a linked
 * assignment with a date ahead starts or ends. Swept at start and every hour.
 */
import {
	addDays,
	groupBy,
	linkedTariffOn,
	madridTime,
	type TariffAssignment
} from '@enlace/shared';
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

/** How often the server looks for changes whose day has come. */
export const SCHEDULED_CHANGES_EVERY_MS = 60 * 60 * 1000;

/**
 * How far back the tariff sweep looks for a start or an end: a server stopped for up to a month
 * still applies what fell due meanwhile. Each account changes once (a later sweep finds its
 * tariff already right).
 */
const DATED_TARIFF_LOOKBACK_DAYS = 31;

/** The day a sweep at `now` works for: Madrid's (at 00:30 in Madrid, still the day before in UTC). */
export const sweepDay = (now = new Date()) => madridTime(now.toISOString()).day;

/**
 * Runs mutation `name` ({id, today}) for each of `ids` as the system, through the same path as a
 * push: its rows, jobs and Historial lines in one batch. The mutation id is `<prefix>:<id>:<day>`,
 * so two server instances sweeping at once apply it once. Returns how many were run.
 */
async function applyAsSystem(
	db: Db,
	notifier: SeqNotifier,
	name: string,
	prefix: string,
	ids: readonly string[],
	today: string
): Promise<number> {
	for (const id of ids)
		await applyOne(db, SYSTEM_USER, 'server', {
			id: `${prefix}:${id}:${today}`,
			name,
			args: { id, today }
		});
	if (ids.length) notifier.bump(await currentSeq(db.client));
	return ids.length;
}

/**
 * A baja whose state removes the secret after some days (Configuración › Estados de cliente)
 * leaves `secretRemovalOn` on the customer. This finds the customers due on `today` (the day in
 * Madrid, like every date the office types) and runs `customer.removeDueSecrets` for each, as the
 * system (`due-removal:<customer>:<day>`). Returns how many customers were swept.
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
	const ids = r.rows.map((row) => String(row.id));
	return applyAsSystem(db, notifier, 'customer.removeDueSecrets', 'due-removal', ids, today);
}

/**
 * A linked assignment that started or ended (the day after its end date) within the lookback
 * leaves its account on another tariff than the one it had: a new tariff from the 1st, a baja
 * dated ahead. This finds the accounts whose tariff is not the one their assignments give on
 * `today` and runs `pppoe.applyDatedTariff` for each, as the system (`dated-tariff:<account>:<day>`):
 * the account's tariff and profile, and the router jobs, as when the assignment is written.
 * Returns how many accounts changed.
 */
export async function applyDatedTariffs(
	db: Db,
	notifier: SeqNotifier,
	today = sweepDay()
): Promise<number> {
	const since = addDays(today, -DATED_TARIFF_LOOKBACK_DAYS);
	const linked = await db.client.execute({
		sql: `SELECT data FROM records WHERE entity = 'tariffAssignment' AND deleted = 0
			AND data ->> '$.pppoeAccountId' IN (
				SELECT data ->> '$.pppoeAccountId' FROM records
				WHERE entity = 'tariffAssignment' AND deleted = 0
					AND data ->> '$.pppoeAccountId' IS NOT NULL
					AND ((data ->> '$.startDate') BETWEEN ? AND ?
						OR (data ->> '$.endDate') BETWEEN ? AND ?))`,
		args: [since, today, addDays(since, -1), addDays(today, -1)]
	});
	const byAccount = groupBy(
		linked.rows.map((row) => JSON.parse(String(row.data)) as TariffAssignment),
		(a) => a.pppoeAccountId!
	);
	if (!byAccount.size) return 0;
	const accounts = await db.client.execute({
		sql: `SELECT id, data ->> '$.tariffId' AS tariff_id FROM records
			WHERE entity = 'pppoeAccount' AND deleted = 0
				AND id IN (SELECT value FROM json_each(?))`,
		args: [JSON.stringify([...byAccount.keys()])]
	});
	const off = accounts.rows
		.filter((row) => {
			const due = linkedTariffOn(byAccount.get(String(row.id)) ?? [], today) ?? null;
			return due !== (row.tariff_id === null ? null : String(row.tariff_id));
		})
		.map((row) => String(row.id));
	return applyAsSystem(db, notifier, 'pppoe.applyDatedTariff', 'dated-tariff', off, today);
}

/** Sweep now and then every `everyMs`; returns the stop function. A failed sweep is retried next time. */
export function startScheduledChanges(
	db: Db,
	notifier: SeqNotifier,
	everyMs = SCHEDULED_CHANGES_EVERY_MS
): () => void {
	const sweep = async () => {
		const today = sweepDay();
		for (const [what, run] of [
			['due removals', removeDueSecrets],
			['dated tariffs', applyDatedTariffs]
		] as const) {
			await run(db, notifier, today).catch((e: unknown) =>
				console.error(`scheduled changes: ${what} failed`, e)
			);
		}
	};
	void sweep();
	const timer = setInterval(() => void sweep(), everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
