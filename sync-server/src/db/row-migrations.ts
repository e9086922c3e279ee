import type { Client, InStatement, Transaction } from '@libsql/client';
import {
	customerIdOf,
	ENTITIES,
	PHONES_NORMALISED,
	ROUTER_JOBS_WITHOUT_SECRETS,
	type EntityName,
	type RowShapeChange
} from '@enlace/shared';
import type { Migration } from './client';

/**
 * Migrations that change the shape of stored rows, numbered in the same sequence as the SQL files
 * in migrations/ (a number used by both is refused). Each names a `RowShapeChange` from shared/,
 * the same one the app's Dexie upgrade applies on devices. Append only; never edit one that has
 * shipped (docs/row-shapes.md).
 */
export const ROW_MIGRATIONS: Migration[] = [
	rowMigration(3, PHONES_NORMALISED),
	rowMigration(4, ROUTER_JOBS_WITHOUT_SECRETS)
];

export function rowMigration(version: number, change: RowShapeChange): Migration {
	return {
		version,
		name: `${String(version).padStart(4, '0')}_${change.name}`,
		statements: [],
		rows: change
	};
}

/** Rows read and rewritten per round trip: bounds memory and statement size, not the transaction. */
export const REWRITE_PAGE = 500;

/**
 * The statements that store rewritten rows: new data and, so devices receive them through their
 * normal pull, the next `seq` values, in two statements whatever the number of rows. `updated_at`
 * and `updated_by` stay: a change of shape is nobody's edit, and it leaves no Historial line.
 */
export function rewriteStatements(entity: EntityName, rows: [id: string, data: string][]) {
	if (!rows.length) return [];
	return [
		{
			sql: `UPDATE records SET data = j.value ->> 1,
					seq = (SELECT c.value FROM counters c WHERE c.name = 'seq') + j.key + 1
				FROM json_each(?) j WHERE records.entity = ? AND records.id = j.value ->> 0`,
			args: [JSON.stringify(rows), entity]
		},
		{ sql: "UPDATE counters SET value = value + ? WHERE name = 'seq'", args: [rows.length] }
	] satisfies InStatement[];
}

/**
 * Runs one row migration in a single write transaction: its SQL statements, then every live row
 * of each entity it names, page by page in id order, through its function; rows whose JSON
 * changed are stored with a new seq. Then its record. Any error rolls all of it back, and the
 * server does not start: a rewritten row that the current schema refuses, or that would move to
 * another customer, is such an error (it names the row).
 */
export async function applyRowMigration(
	client: Client,
	m: Migration,
	record: InStatement
): Promise<void> {
	const change = m.rows;
	if (!change) throw new Error(`${m.name} is not a row migration`);
	const tx = await client.transaction('write');
	try {
		for (const s of m.statements) await tx.execute(s);
		for (const [entity, rewrite] of Object.entries(change.rows) as [
			EntityName,
			(row: Record<string, unknown>) => Record<string, unknown>
		][]) {
			await rewriteEntity(tx, m.name, entity, rewrite);
		}
		await tx.execute(record);
		await tx.commit();
	} finally {
		tx.close();
	}
}

async function rewriteEntity(
	tx: Transaction,
	migration: string,
	entity: EntityName,
	rewrite: (row: Record<string, unknown>) => Record<string, unknown>
) {
	const schema = ENTITIES[entity].schema;
	let after = '';
	for (;;) {
		const page = await tx.execute({
			sql: 'SELECT id, data FROM records WHERE entity = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ?',
			args: [entity, after, REWRITE_PAGE]
		});
		if (!page.rows.length) return;
		const changed: [string, string][] = [];
		for (const r of page.rows) {
			const id = String(r.id);
			const before = JSON.parse(String(r.data)) as Record<string, unknown>;
			const row = rewrite(before);
			const data = JSON.stringify(row);
			if (data === JSON.stringify(before)) continue;
			const where = `${migration}: ${entity} ${id}`;
			if (customerIdOf(entity, row) !== customerIdOf(entity, before))
				throw new Error(`${where} would move to another customer`);
			const parsed = schema.safeParse(row);
			if (!parsed.success)
				throw new Error(`${where} does not fit its schema: ${parsed.error.issues[0]?.message}`);
			changed.push([id, data]);
		}
		for (const s of rewriteStatements(entity, changed)) await tx.execute(s);
		after = String(page.rows[page.rows.length - 1].id);
	}
}
