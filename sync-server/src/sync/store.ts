import { randomUUID } from 'node:crypto';
import type { Client, InStatement } from '@libsql/client';
import {
	AppError,
	ENTITIES,
	customerIdOf,
	isWindowed,
	rowChangeLines,
	windowTime,
	type EntityName,
	type EntityRow,
	type MutatorContext,
	type MutatorTx,
	type Scope,
	type WriteMeta
} from '@enlace/shared';

type Row = Record<string, unknown>;

/** Reads the live (not deleted) version of a row. */
export async function readRow(
	client: Client,
	entity: EntityName,
	id: string
): Promise<Row | undefined> {
	const r = await client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND id = ? AND deleted = 0',
		args: [entity, id]
	});
	return r.rows.length ? (JSON.parse(String(r.rows[0].data)) as Row) : undefined;
}

export async function currentSeq(client: Client): Promise<number> {
	const r = await client.execute("SELECT value FROM counters WHERE name = 'seq'");
	return Number(r.rows[0].value);
}

/** Bumped whenever rows change scope without a new seq (a custom field made office-only…). */
export const SCOPE_RULES_COUNTER = 'scope-rules';

export type RecordWrite = {
	entity: EntityName;
	id: string;
	row: Row | null;
	/** The entity whose scope the row takes (Historial lines: the row they describe). */
	scopeOf?: EntityName;
	/** The row's own scope, when it is not its entity's (values of an office-only field). */
	scope?: Scope;
};

/**
 * Statements that write rows and advance the change log: two, whatever the number of rows — one
 * upsert of every row and one counter bump. The rows take the next `seq` values in the order
 * given (the counter as it stood plus their position), so each gets its own, higher than any
 * before it, and the bump leaves the counter on the last of them. Inside the caller's batch (one
 * transaction) a reader sees all or none of them, and seq order is commit order.
 */
export function recordStatements(
	writes: RecordWrite[],
	by: string | null,
	now: string
): InStatement[] {
	if (!writes.length) return [];
	const rows = writes.map((w) => [
		w.entity,
		w.id,
		w.row ? recordCustomerId(w.entity, w.row) : null,
		w.scope ?? ENTITIES[w.scopeOf ?? w.entity].scope,
		// A string inside the JSON array, so the stored text is exactly JSON.stringify's.
		w.row ? JSON.stringify(w.row) : '{}',
		w.row ? 0 : 1,
		w.row ? windowTime(w.entity, w.row) : null
	]);
	return [
		{
			// `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT.
			sql: `INSERT INTO records (entity, id, customer_id, scope, data, deleted, win_at, seq, updated_at, updated_by)
				SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5,
					j.value ->> 6, (SELECT c.value FROM counters c WHERE c.name = 'seq') + j.key + 1, ?, ?
				FROM json_each(?) j WHERE true
				ON CONFLICT (entity, id) DO UPDATE SET
					customer_id = COALESCE(excluded.customer_id, records.customer_id), scope = excluded.scope,
					data = excluded.data, deleted = excluded.deleted, win_at = excluded.win_at, seq = excluded.seq,
					updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			args: [now, by, JSON.stringify(rows)]
		},
		{ sql: "UPDATE counters SET value = value + ? WHERE name = 'seq'", args: [writes.length] }
	];
}

/**
 * The customer a row belongs to, in `records.customer_id`: its entity's customer key, or for a
 * windowed row without one (router jobs) its own `customerId`, so pull can send a pinned
 * customer's jobs.
 */
function recordCustomerId(entity: EntityName, row: Row): string | null {
	const own = customerIdOf(entity, row);
	if (own || !isWindowed(entity)) return own;
	return typeof row.customerId === 'string' ? row.customerId : null;
}

export type SeenVersion = { entity: EntityName; id: string; seq: number | null };

/**
 * One statement that makes the batch fail (a duplicate `seq` counter row: a constraint error,
 * since SQLite has no RAISE outside triggers) when any row read for this write has moved on
 * since (another server instance wrote it). The caller runs its work again.
 */
export function seqGuard(seen: SeenVersion[]): InStatement[] {
	if (!seen.length) return [];
	return [
		{
			sql: `INSERT INTO counters (name, value) SELECT 'seq', 0 WHERE EXISTS (
				SELECT 1 FROM json_each(?) g
				WHERE (SELECT r.seq FROM records r WHERE r.entity = g.value ->> 0 AND r.id = g.value ->> 1)
					IS NOT g.value ->> 2)`,
			args: [JSON.stringify(seen.map((v) => [v.entity, v.id, v.seq]))]
		}
	];
}

const FIELD_RE = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * The server's MutatorTx: reads go to libSQL (under the process's single-writer lock, so they see
 * every committed write), writes stay in an overlay until `statements()` turns them into one
 * batch together with the automatic Historial rows and counter updates.
 */
export class ServerTx implements MutatorTx {
	private readonly overlay = new Map<
		string,
		{ entity: EntityName; id: string; row: Row | null; meta?: WriteMeta }
	>();
	private readonly counters = new Map<string, number>();
	/**
	 * The seq of every row this mutation read from the database (null: it did not exist). The
	 * batch re-checks them, so a row changed meanwhile by another server instance on the same
	 * database makes the batch fail and the mutation run again on the new row (this process's
	 * own writers are already kept out by its write lock).
	 */
	private readonly versions = new Map<
		string,
		{ entity: EntityName; id: string; seq: number | null; row: Row | undefined }
	>();

	constructor(
		private readonly client: Client,
		readonly ctx: MutatorContext
	) {}

	async get<E extends EntityName>(entity: E, id: string): Promise<EntityRow<E> | undefined> {
		const key = `${entity}\u0000${id}`;
		const hit = this.overlay.get(key);
		if (hit) return (hit.row ?? undefined) as EntityRow<E> | undefined;
		const r = await this.client.execute({
			sql: 'SELECT data, deleted, seq FROM records WHERE entity = ? AND id = ?',
			args: [entity, id]
		});
		const found = r.rows[0];
		const row =
			found && !Number(found.deleted) ? (JSON.parse(String(found.data)) as Row) : undefined;
		if (!this.versions.has(key)) {
			this.versions.set(key, { entity, id, seq: found ? Number(found.seq) : null, row });
		}
		return structuredClone(row) as EntityRow<E> | undefined;
	}

	async put<E extends EntityName>(entity: E, row: EntityRow<E>, meta?: WriteMeta): Promise<void> {
		const id = (row as { id: string }).id;
		this.overlay.set(`${entity}\u0000${id}`, {
			entity,
			id,
			row: structuredClone(row) as Row,
			meta
		});
	}

	async del(entity: EntityName, id: string): Promise<void> {
		this.overlay.set(`${entity}\u0000${id}`, { entity, id, row: null });
	}

	async findBy<E extends EntityName>(
		entity: E,
		field: string,
		value: string
	): Promise<EntityRow<E>[]> {
		if (!FIELD_RE.test(field)) throw new AppError('bad-request', 'Campo no válido');
		const where =
			field === 'customerId' ? 'customer_id = ?' : `json_extract(data, '$.${field}') = ?`;
		const r = await this.client.execute({
			sql: `SELECT data FROM records WHERE entity = ? AND deleted = 0 AND ${where}`,
			args: [entity, value]
		});
		const byId = new Map<string, Row>();
		for (const x of r.rows) {
			const row = JSON.parse(String(x.data)) as Row;
			byId.set(String(row.id), row);
		}
		for (const w of this.overlay.values()) {
			if (w.entity !== entity) continue;
			if (w.row && w.row[field] === value) byId.set(w.id, w.row);
			else byId.delete(w.id);
		}
		return [...byId.values()] as EntityRow<E>[];
	}

	async nextNumber(counter: string): Promise<number> {
		let current = this.counters.get(counter);
		if (current === undefined) {
			const r = await this.client.execute({
				sql: 'SELECT value FROM counters WHERE name = ?',
				args: [`number:${counter}`]
			});
			current = r.rows.length ? Number(r.rows[0].value) : 0;
		}
		this.counters.set(counter, current + 1);
		return current + 1;
	}

	/**
	 * A row's scope when it depends on the row: a custom value takes its field's (`officeOnly`:
	 * `finance`). Reading the field through `get` guards it, so a concurrent flag change makes
	 * this write run again.
	 */
	private async rowScope(
		entity: EntityName,
		row: Row | null | undefined
	): Promise<Scope | undefined> {
		if (entity !== 'customFieldValue' || typeof row?.fieldId !== 'string') return undefined;
		const field = await this.get('customField', row.fieldId);
		return field?.officeOnly ? 'finance' : 'all';
	}

	get writeCount(): number {
		return this.overlay.size;
	}

	/** The batch for everything this mutation wrote, Historial lines included. */
	async statements(mutationName: string): Promise<InStatement[]> {
		const writes: RecordWrite[] = [];
		const { now, userId, userName } = this.ctx;
		const by = { at: now, userId, userName, mutation: mutationName };
		const rescopes: InStatement[] = [];
		for (const w of this.overlay.values()) {
			// The version `get` read is still the stored one (the write guards below check it), so
			// Historial diffs against it without reading the row again.
			const read = this.versions.get(`${w.entity}\u0000${w.id}`);
			const scope = await this.rowScope(w.entity, w.row ?? read?.row);
			writes.push({ entity: w.entity, id: w.id, row: w.row, scope });
			if (w.entity === 'customField' && read?.row && w.row) {
				rescopes.push(...customFieldRescope(read.row, w.row));
			}
			if (!ENTITIES[w.entity].customerKey) continue;
			// Historial's own rows get lines only where a user edited or deleted a manual note.
			if (w.entity === 'history' && read?.row?.kind !== 'manual') continue;
			const before = read ? read.row : await readRow(this.client, w.entity, w.id);
			const change = { entity: w.entity, id: w.id, before, after: w.row, reason: w.meta?.reason };
			for (const line of rowChangeLines(change, by)) {
				const id = randomUUID();
				writes.push({ entity: 'history', id, row: { id, ...line }, scopeOf: w.entity, scope });
			}
		}
		const stmts: InStatement[] = seqGuard([...this.versions.values()]);
		stmts.push(...recordStatements(writes, userId, now), ...rescopes);
		for (const [name, value] of this.counters) {
			stmts.push({
				sql: 'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
				args: [`number:${name}`, value]
			});
		}
		return stmts;
	}
}

/**
 * A custom field's `officeOnly` flag changed: its stored values and their Historial lines take
 * the new scope, and the scope rules' version moves on so that every restricted device resets —
 * it drops the values it may no longer hold, or pulls from 0 the ones it now may (their seq is
 * unchanged, so pull from its position would not bring them).
 */
function customFieldRescope(before: Row, after: Row): InStatement[] {
	if (Boolean(before.officeOnly) === Boolean(after.officeOnly)) return [];
	const fieldId = String(after.id);
	const scope: Scope = after.officeOnly ? 'finance' : 'all';
	return [
		{
			sql: `UPDATE records SET scope = ?
				WHERE (entity = 'customFieldValue' AND data ->> '$.fieldId' = ?)
					OR (entity = 'history' AND data ->> '$.entity' = 'customFieldValue'
						AND substr(data ->> '$.entityId', -length(?) - 1) = ':' || ?)`,
			args: [scope, fieldId, fieldId, fieldId]
		},
		{
			sql: `INSERT INTO counters (name, value) VALUES (?, 1)
				ON CONFLICT (name) DO UPDATE SET value = value + 1`,
			args: [SCOPE_RULES_COUNTER]
		}
	];
}
