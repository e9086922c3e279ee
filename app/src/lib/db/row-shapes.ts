import type { Transaction } from 'dexie';
import type { EntityName, RowShapeChange } from '@enlace/shared';

type Row = Record<string, unknown>;

/**
 * A Dexie version upgrade that brings a device's rows to a new shape, with the same pure function
 * as the server's migration: the entity tables, the server copies kept under unsent changes
 * (`shadow`, restored by a rebase), and when the change says how, the arguments of mutations not
 * yet pushed (`outbox`) or refused and kept for the user (`rejected`). It runs inside the
 * upgrade's transaction: a device ends up all in the new shape or, if it fails, not upgraded.
 */
export async function applyRowShapeChange(tx: Transaction, change: RowShapeChange): Promise<void> {
	const rewrites = change.rows as Partial<Record<EntityName, (row: Row) => Row>>;
	for (const [entity, rewrite] of Object.entries(rewrites)) {
		await tx
			.table(entity)
			.toCollection()
			.modify((row: Row, ref: { value: Row }) => {
				ref.value = rewrite(row);
			});
	}
	await tx
		.table('shadow')
		.toCollection()
		.modify((shadow: { entity: EntityName; row: Row | null }, ref: { value: unknown }) => {
			const rewrite = rewrites[shadow.entity];
			if (rewrite && shadow.row) ref.value = { ...shadow, row: rewrite(shadow.row) };
		});
	const args = change.args;
	if (!args) return;
	for (const table of ['outbox', 'rejected']) {
		await tx
			.table(table)
			.toCollection()
			.modify((m: { name: string; args: unknown }, ref: { value: unknown }) => {
				const rewrite = args[m.name];
				if (rewrite) ref.value = { ...m, args: rewrite(m.args) };
			});
	}
}
