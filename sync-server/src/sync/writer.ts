import { LibsqlError, type InStatement } from '@libsql/client';
import type { Db } from '../db/client';
import { recordStatements, seqGuard, type RecordWrite } from './store';

/**
 * The one way the server writes synced rows, for mutations (push) and for the agents' claims,
 * results and status alike: read, decide and write as this process's only writer (its write lock),
 * inside one batch whose guards fail when another server instance on the same database changed a
 * row that was read (or took the same mutation id or customer code) in between; then the work is
 * done again on what is stored now.
 */

/** Each conflict means another instance committed first; a busy customer file sees a few. */
const MAX_ATTEMPTS = 10;

/** A guard that fired, or a unique index that refused (mutation id, customer code). */
const isConstraint = (e: unknown) => e instanceof LibsqlError && /CONSTRAINT/.test(e.code);

/**
 * Runs `work` under the write lock and commits the statements it returns (none: nothing to write)
 * in one batch; runs it again when the batch fails on a guard or a unique index. `work` must read
 * everything it decides on, since a second run starts from scratch.
 */
export async function writeGuarded<T>(
	db: Db,
	work: () => Promise<{ stmts: InStatement[]; value: T }>
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await db.exclusive(async () => {
				const { stmts, value } = await work();
				if (stmts.length) await db.client.batch(stmts, 'write');
				return value;
			});
		} catch (e) {
			if (!isConstraint(e) || attempt >= MAX_ATTEMPTS) throw e;
		}
	}
}

/** A write of a row read at `seenSeq` (null: the row did not exist when read). */
export type GuardedWrite = RecordWrite & { seenSeq: number | null };

/**
 * The batch for writes made outside a mutator (agent claims, results, status). Like ServerTx,
 * each written row is guarded by the seq it was read at: another server instance that changed it
 * in between makes the batch fail (a duplicate `seq` counter) and the work is done again on the
 * new row, so a claim can never be handed to two agents and a status never undoes a mutation.
 */
export function guardedStatements(
	writes: GuardedWrite[],
	by: string | null,
	now: string
): InStatement[] {
	if (!writes.length) return [];
	return [
		...seqGuard(writes.map((w) => ({ entity: w.entity, id: w.id, seq: w.seenSeq }))),
		...recordStatements(writes, by, now)
	];
}
