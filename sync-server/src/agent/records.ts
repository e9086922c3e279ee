import { LibsqlError, type Client, type InStatement, type InValue } from '@libsql/client';
import type { Db } from '../db/client';
import { recordStatements, seqGuard, type RecordWrite } from '../sync/store';

/** A row as stored, with the change-log position it was read at (for the write guards). */
export type Stored<T> = { row: T; seq: number; updatedAt: string; deleted: boolean };

/** Rows of a query that selects `data, seq, updated_at, deleted` from records. */
export async function selectStored<T>(
	client: Client,
	sql: string,
	args: InValue[]
): Promise<Stored<T>[]> {
	const r = await client.execute({ sql, args });
	return r.rows.map((x) => ({
		row: JSON.parse(String(x.data)) as T,
		seq: Number(x.seq),
		updatedAt: String(x.updated_at),
		deleted: Number(x.deleted) === 1
	}));
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

const MAX_ATTEMPTS = 10;
const isConstraint = (e: unknown) => e instanceof LibsqlError && /CONSTRAINT/.test(e.code);

/**
 * Read, decide and write as this process's only writer; run again when a guard shows another
 * instance got there first. `work` returns the statements to commit (none: nothing to write).
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

/** Compare two rows as JSON would store them (undefined keys dropped, key order ignored). */
export function sameRow(a: unknown, b: unknown, ignore: readonly string[] = []): boolean {
	const norm = (v: unknown) => {
		const o = JSON.parse(JSON.stringify(v ?? null)) as Record<string, unknown> | null;
		if (!o || typeof o !== 'object') return JSON.stringify(o);
		for (const k of ignore) delete o[k];
		return JSON.stringify(
			Object.keys(o)
				.sort()
				.map((k) => [k, o[k]])
		);
	};
	return norm(a) === norm(b);
}
