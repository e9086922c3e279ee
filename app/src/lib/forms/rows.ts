import { patchOf, valuesOf } from './values';

/** What saving a row editor's draft sends: a create, an update of what changed, or nothing. */
export type RowChange =
	| { kind: 'create'; args: Record<string, unknown> }
	| { kind: 'update'; args: { id: string; patch: Record<string, unknown> } }
	| { kind: 'none' };

/**
 * The mutation for a checked row: `editing` is 'new' or the id of the row edited; `original` is
 * that row as its own draft would check (so unchanged fields compare equal); `extra` goes into a
 * create only (the customer it belongs to, a list's order…).
 */
export function rowChange(o: {
	editing: string;
	id: string;
	row: Record<string, unknown>;
	original: Record<string, unknown> | undefined;
	keys: readonly string[];
	extra?: Record<string, unknown>;
	patch?: (
		original: Record<string, unknown> | undefined,
		row: Record<string, unknown>
	) => Record<string, unknown>;
}): RowChange {
	if (o.editing === 'new') {
		return { kind: 'create', args: { ...valuesOf(o.row), ...o.extra, id: o.id } };
	}
	const patch = o.patch ? o.patch(o.original, o.row) : patchOf(o.original, o.row, o.keys);
	return Object.keys(patch).length
		? { kind: 'update', args: { id: o.editing, patch } }
		: { kind: 'none' };
}
