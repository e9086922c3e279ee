import type { Client, InValue } from '@libsql/client';

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
