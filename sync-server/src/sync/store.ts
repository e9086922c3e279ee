import { randomUUID } from 'node:crypto';
import type { Client, InStatement } from '@libsql/client';
import {
	AppError,
	ENTITIES,
	alreadyExists,
	customerIdOf,
	isWindowed,
	rowChangeLines,
	windowTime,
	type EntityName,
	type EntityRow,
	type MutatorContext,
	type MutatorTx,
	type RowReader,
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

/** The live rows of `entity` whose `field` equals `value` (MutatorTx.findBy, without an overlay). */
async function findRows(client: Client, entity: EntityName, field: string, value: string) {
	const r = await client.execute({
		sql: `SELECT data FROM records WHERE ${findWhere(entity, field)}`,
		args: [value]
	});
	return r.rows.map((x) => JSON.parse(String(x.data)) as Row);
}

/**
 * Reads of stored rows outside a mutation (an agent's claim completing job payloads): the
 * `get`/`findBy` of MutatorTx, without guards or writes. `prefetch` reads many rows of one entity
 * in one query first, so completing a batch of jobs is not one round trip per job.
 */
export function recordReader(client: Client) {
	const cache = new Map<string, Row | undefined>();
	const key = (entity: EntityName, id: string) => `${entity}\u0000${id}`;
	return {
		async prefetch(entity: EntityName, ids: string[]): Promise<void> {
			const unique = [...new Set(ids)];
			// Chunks keep the statement under SQLite's bound-parameter limit.
			for (let i = 0; i < unique.length; i += 500) {
				const chunk = unique.slice(i, i + 500);
				const r = await client.execute({
					sql: `SELECT id, data FROM records WHERE entity = ? AND deleted = 0
						AND id IN (${chunk.map(() => '?').join(',')})`,
					args: [entity, ...chunk]
				});
				for (const id of chunk) cache.set(key(entity, id), undefined);
				for (const x of r.rows) {
					cache.set(key(entity, String(x.id)), JSON.parse(String(x.data)) as Row);
				}
			}
		},
		async get<E extends EntityName>(entity: E, id: string): Promise<EntityRow<E> | undefined> {
			const k = key(entity, id);
			if (!cache.has(k)) cache.set(k, await readRow(client, entity, id));
			return structuredClone(cache.get(k)) as EntityRow<E> | undefined;
		},
		async findBy<E extends EntityName>(entity: E, field: string, value: string) {
			return (await findRows(client, entity, field, value)) as EntityRow<E>[];
		}
	} satisfies RowReader & { prefetch: unknown };
}

/**
 * The rows of `entity` whose `field` equals the statement's one parameter: the condition of a
 * `findBy` read and of its guard. The entity is written into the SQL (a registry name, checked)
 * so that SQLite can use the partial indexes of migrations/ (`WHERE entity = 'pppoeAccount'`),
 * which a bound parameter would not match; the field is checked against FIELD_RE.
 */
function findWhere(entity: EntityName, field: string): string {
	if (!Object.hasOwn(ENTITIES, entity)) throw new AppError('bad-request', 'Entidad no válida');
	if (!FIELD_RE.test(field)) throw new AppError('bad-request', 'Campo no válido');
	const value = field === 'customerId' ? 'customer_id' : `json_extract(data, '$.${field}')`;
	return `entity = '${entity}' AND deleted = 0 AND ${value} = ?`;
}

/** What a `findBy` read saw: how many live rows matched and the highest seq among them. */
export type SeenQuery = { entity: EntityName; field: string; value: string; found: string };

const fingerprint = (count: number, maxSeq: number) => `${count}:${maxSeq}`;

/**
 * Statements for the `findBy` reads that make the batch fail (like `seqGuard`) when the rows
 * matching its condition are no longer the ones it read: a row joined the set (another instance
 * created a second account with the same PPPoE user), left it (deleted, or its field changed) or
 * was rewritten (a password changed while a tariff rename re-saved the account). Count and
 * highest seq are enough to tell: every write takes a seq above every seq that existed when the
 * read ran, so a row that joined or was rewritten raises the highest seq, and a set that only
 * lost rows has fewer. Uniqueness rules (mandate reference, PPPoE user and static IP per router,
 * one default payment method) are therefore checked again atomically with the write, and the
 * mutation runs again and refuses with its own reason.
 */
export function queryGuard(seen: SeenQuery[]): InStatement[] {
	// One statement per entity and field, however many values were read (a billing run reads
	// hundreds of customers' addresses in one batch).
	const byCondition = new Map<string, SeenQuery[]>();
	for (const q of seen) {
		const key = `${q.entity}\u0000${q.field}`;
		const list = byCondition.get(key);
		if (list) list.push(q);
		else byCondition.set(key, [q]);
	}
	return [...byCondition.values()].map((qs) => ({
		sql: `INSERT INTO counters (name, value) SELECT 'seq', 0 WHERE EXISTS (
				SELECT 1 FROM json_each(?) g WHERE (
					SELECT count(*) || ':' || coalesce(max(seq), 0) FROM records
					WHERE ${findWhere(qs[0].entity, qs[0].field).replace(/= \?$/, '= g.value ->> 0')}
				) IS NOT g.value ->> 1)`,
		args: [JSON.stringify(qs.map((q) => [q.value, q.found]))]
	}));
}

/**
 * One statement per counter read by `nextNumber` that makes the batch fail (like `seqGuard`) when
 * the counter moved since it was read: another instance took a number of the same series.
 */
export function counterGuard(read: ReadonlyMap<string, number | null>): InStatement[] {
	return [...read].map(([name, value]) => ({
		sql: `INSERT INTO counters (name, value) SELECT 'seq', 0
			WHERE (SELECT value FROM counters WHERE name = ?) IS NOT ?`,
		args: [`number:${name}`, value]
	}));
}

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
	 * The value each counter had when `nextNumber` first read it (null: none yet), re-checked by
	 * the batch: two server instances that read the same value (two invoices of one series, two
	 * records of one VeriFactu chain) cannot both commit; the second runs again and takes the next.
	 */
	private readonly countersRead = new Map<string, number | null>();
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

	/**
	 * What every `findBy` read from the database saw (first read of each condition), re-checked by
	 * the batch like `versions`: rows that joined, left or changed make the mutation run again.
	 */
	private readonly queries = new Map<string, SeenQuery>();

	/**
	 * Rows and `findBy` answers read beforehand for many mutations at once (the billing run reads
	 * a batch's customers in one query): served as if read here, and guarded the same way.
	 */
	private readonly primedRows = new Map<string, { row: Row | undefined; seq: number | null }>();
	private readonly primedQueries = new Map<string, { rows: Row[]; maxSeq: number }>();

	constructor(
		private readonly client: Client,
		readonly ctx: MutatorContext
	) {}

	async get<E extends EntityName>(entity: E, id: string): Promise<EntityRow<E> | undefined> {
		const hit = this.overlay.get(`${entity}\u0000${id}`);
		if (hit) return (hit.row ?? undefined) as EntityRow<E> | undefined;
		return structuredClone(await this.readStored(entity, id)) as EntityRow<E> | undefined;
	}

	/**
	 * Hands the tx a row read beforehand (undefined: none stored; `seq` null: never stored), as if
	 * `get` had read it now: the batch guards it at that seq.
	 */
	prime(entity: EntityName, id: string, row: Row | undefined, seq: number | null): void {
		this.primedRows.set(`${entity}\u0000${id}`, { row, seq });
	}

	/** Hands the tx the answer of a `findBy` read beforehand: the live rows and their highest seq. */
	primeQuery(entity: EntityName, field: string, value: string, rows: Row[], maxSeq: number): void {
		this.primedQueries.set(`${entity}\u0000${field}\u0000${value}`, { rows, maxSeq });
	}

	/** The stored live row (undefined: none), its seq remembered for the batch's guard. */
	private async readStored(entity: EntityName, id: string): Promise<Row | undefined> {
		const key = `${entity}\u0000${id}`;
		let seq: number | null;
		let row: Row | undefined;
		const primed = this.primedRows.get(key);
		if (primed) {
			seq = primed.seq;
			row = primed.row;
		} else {
			const r = await this.client.execute({
				sql: 'SELECT data, deleted, seq FROM records WHERE entity = ? AND id = ?',
				args: [entity, id]
			});
			const found = r.rows[0];
			seq = found ? Number(found.seq) : null;
			row = found && !Number(found.deleted) ? (JSON.parse(String(found.data)) as Row) : undefined;
		}
		if (!this.versions.has(key)) this.versions.set(key, { entity, id, seq, row });
		return row;
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
		const key = `${entity}\u0000${field}\u0000${value}`;
		const byId = new Map<string, Row>();
		let maxSeq = 0;
		const primed = this.primedQueries.get(key);
		if (primed) {
			for (const row of primed.rows) byId.set(String(row.id), structuredClone(row));
			maxSeq = primed.maxSeq;
		} else {
			const r = await this.client.execute({
				sql: `SELECT data, seq FROM records WHERE ${findWhere(entity, field)}`,
				args: [value]
			});
			for (const x of r.rows) {
				const row = JSON.parse(String(x.data)) as Row;
				byId.set(String(row.id), row);
				maxSeq = Math.max(maxSeq, Number(x.seq));
			}
		}
		if (!this.queries.has(key)) {
			this.queries.set(key, { entity, field, value, found: fingerprint(byId.size, maxSeq) });
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
			this.countersRead.set(counter, r.rows.length ? current : null);
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
		// A Repositorio file marked office-only is kept off technicians' devices (docs/files.md).
		if (entity === 'file') return row?.officeOnly ? 'finance' : 'all';
		if (entity !== 'customFieldValue' || typeof row?.fieldId !== 'string') return undefined;
		const field = await this.get('customField', row.fieldId);
		return field?.officeOnly ? 'finance' : 'all';
	}

	/**
	 * The guards of everything read so far: the first statements of the batch, so it fails when
	 * any of it changed since. A refusal carries them too: "already exists" is only true while
	 * the row that made it so is still there.
	 */
	guards(): InStatement[] {
		return [
			...seqGuard([...this.versions.values()]),
			...queryGuard([...this.queries.values()]),
			...counterGuard(this.countersRead)
		];
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
			// A row written without being read first is read now, guarded like any other read.
			const before = read ? read.row : await this.readStored(w.entity, w.id);
			keepCustomer(w.entity, before, w.row);
			// Historial's own rows get lines only where a user edited or deleted a manual note.
			if (w.entity === 'history' && before?.kind !== 'manual') continue;
			const change = { entity: w.entity, id: w.id, before, after: w.row, reason: w.meta?.reason };
			for (const line of rowChangeLines(change, by)) {
				const id = randomUUID();
				writes.push({ entity: 'history', id, row: { id, ...line }, scopeOf: w.entity, scope });
			}
		}
		const stmts = this.guards();
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
 * A row belongs to one customer for life: a write that would hand a stored row to another
 * customer (a `*.create` replayed with an existing id and someone else's customerId) is refused,
 * whatever mutator made it. Devices file rows by customer, and the other customer's users would
 * otherwise receive it with its Historial.
 */
function keepCustomer(entity: EntityName, before: Row | undefined, after: Row | null) {
	if (!before || !after) return;
	if (customerIdOf(entity, before) === customerIdOf(entity, after)) return;
	throw alreadyExists(`Ese identificador ya es de otro cliente (${ENTITIES[entity].label})`, 'id');
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
