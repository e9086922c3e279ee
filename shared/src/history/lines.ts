import { auditText, diffRows } from '../domain/audit';
import { MASKED_SECRET, type RouterJob } from '../schemas/router';
import { ENTITIES, customerIdOf, fieldLabel, type EntityName } from '../schemas/entities';
import type { HistoryEntry } from '../schemas/history';

/**
 * Historial's automatic lines, built here and nowhere else: the server writes them for every row a
 * mutation changes and for every router job that finishes; devices only read them.
 */

/** An automatic line before it gets its id (the writer gives it one). */
export type HistoryLine = Omit<HistoryEntry, 'id'>;

/** Who wrote, when, and through what (a mutation's name, or `agent.result`). */
export type LineAuthor = { at: string; userId?: string; userName: string; mutation: string };

type Row = Record<string, unknown>;

/** Fields whose values never reach Historial: the line says it changed, not from what to what. */
const SECRET_FIELDS = new Set(['password']);
const mask = (v: string | null) => (v === null ? null : MASKED_SECRET);

/** A one-line description of a row for Historial ("Alta de Dirección: C/ Mayor 1"). */
function summary(entity: EntityName, row: Row): string | null {
	if (entity === 'history') return auditText(`${row.date} · ${row.comment}`);
	if (entity === 'mailMessage') return auditText(`${row.subject || '(sin asunto)'} → ${row.to}`);
	const named = row.name ?? row.street ?? row.title ?? row.code ?? row.username;
	if (named !== undefined) return auditText(named);
	// Rows without a name (operator data, custom values): their filled fields, labelled.
	const parts = diffRows(undefined, row)
		// References (…Id) are ids, not words: the app names them where it shows them.
		.filter((c) => c.newValue !== null && !SECRET_FIELDS.has(c.field) && !c.field.endsWith('Id'))
		.map((c) => `${fieldLabel(entity, c.field)}: ${c.newValue}`);
	return auditText(parts.join(' · ') || row.id);
}

/** One row written by a mutation: `before` as it was read (undefined: new), `after` (null: deleted). */
export type RowChange = {
	entity: EntityName;
	id: string;
	before: Row | undefined;
	after: Row | null;
	/** Why the state changed (the mutation's write meta), on the stateId / state line. */
	reason?: string;
};

/**
 * The lines for one written row: one for a row created or deleted (its summary), one per changed
 * field otherwise, secrets masked. None for rows outside a customer file, nor for Historial's own
 * rows, except a manual note a user edited or deleted (who changed someone's words is on record).
 */
export function rowChangeLines(change: RowChange, by: LineAuthor): HistoryLine[] {
	const { entity, id, before, after } = change;
	if (!ENTITIES[entity].customerKey) return [];
	if (entity === 'history' && before?.kind !== 'manual') return [];
	// A message is on record once, when written or filed; marking it read is not a change of file.
	if (entity === 'mailMessage' && before && after) return [];
	const customerId = customerIdOf(entity, after ?? before ?? {});
	if (!customerId) return [];
	const base = {
		customerId,
		kind: 'auto' as const,
		at: by.at,
		userId: by.userId,
		userName: by.userName,
		entity,
		entityId: id,
		mutation: by.mutation
	};
	if (!before && after) return [{ ...base, oldValue: null, newValue: summary(entity, after) }];
	if (before && !after) return [{ ...base, oldValue: summary(entity, before), newValue: null }];
	if (!before || !after) return [];
	return diffRows(before, after).map((d) => {
		const c = SECRET_FIELDS.has(d.field)
			? { ...d, oldValue: mask(d.oldValue), newValue: mask(d.newValue) }
			: d;
		const reason = c.field === 'stateId' || c.field === 'state' ? change.reason : undefined;
		return { ...base, ...c, ...(reason ? { reason } : {}) };
	});
}

/**
 * The line of a router job that finished (done or failed) in a customer's file: what was asked
 * (`what`, the job's action) and how it went (`outcome`). None for a job outside a customer file.
 */
export function jobResultLines(
	job: RouterJob,
	what: string,
	outcome: string,
	by: LineAuthor
): HistoryLine[] {
	if (!job.customerId) return [];
	return [
		{
			customerId: job.customerId,
			kind: 'auto',
			at: by.at,
			...(by.userId ? { userId: by.userId } : {}),
			userName: by.userName.slice(0, 120),
			entity: 'routerJob',
			entityId: job.id,
			field: what.slice(0, 60),
			oldValue: null,
			newValue: outcome.slice(0, 2000),
			mutation: by.mutation
		}
	];
}
