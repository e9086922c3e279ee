import type { EntityName } from '../schemas/entities';
import { normalizePhone } from './phone';

type Row = Record<string, unknown>;

/**
 * A change to the shape of stored rows (a field renamed, split, or its values made uniform),
 * declared once and applied in both places rows live: a server migration rewrites the `records`
 * table (sync-server/src/db/row-migrations.ts) and a Dexie version upgrade rewrites the device's
 * tables, its shadow copies and its pending mutations (app/src/lib/db/row-shapes.ts). The
 * procedure is in docs/row-shapes.md.
 *
 * Every function is pure and idempotent: given a row already in the new shape it returns it
 * unchanged (a device may pull a rewritten row, a mutation may be replayed, a batch may repeat).
 */
export type RowShapeChange = {
	/** What changed, in a few words (snake case: it names the server migration). */
	name: string;
	/** Rows in the new shape, by entity. */
	rows: Partial<Record<EntityName, (row: Row) => Row>>;
	/**
	 * Arguments of mutations made on a device before the change and not yet pushed, by mutator
	 * name, in the new shape. Needed when the old arguments would no longer parse (a renamed
	 * field); not needed when the schemas accept both (as with phones, normalised on parse).
	 */
	args?: Record<string, (args: unknown) => unknown>;
};

/** The named string fields of a row passed through `fn`; the same row when nothing changes. */
export function mapStringFields(
	row: Row,
	fields: readonly string[],
	fn: (v: string) => string
): Row {
	let out: Row | undefined;
	for (const f of fields) {
		const v = row[f];
		if (typeof v !== 'string') continue;
		const next = fn(v);
		if (next !== v) (out ??= { ...row })[f] = next;
	}
	return out ?? row;
}

/**
 * Phones stored as typed before `Phone` normalised them ("0034 690…", stray spaces): made
 * uniform, so search keys, Historial diffs and duplicates compare like with like.
 */
export const PHONES_NORMALISED: RowShapeChange = {
	name: 'phones_normalised',
	rows: {
		customer: (row) => mapStringFields(row, ['phone', 'phone2', 'fax', 'mobile'], normalizePhone),
		contactPerson: (row) => mapStringFields(row, ['phone', 'mobile'], normalizePhone)
	}
};

// Its own module, so that what needs only the phones (the app's first screen opens the device
// database) does not load the router job schemas with it.
export { ROUTER_JOBS_WITHOUT_SECRETS } from './row-shapes-router';
