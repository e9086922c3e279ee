import {
	AppError,
	type EntityName,
	type EntityRow,
	type MutatorContext,
	type MutatorTx
} from '@enlace/shared';
import type { EnlaceDb } from '../db/db';

export const shadowKey = (entity: string, id: string) => `${entity}\u0000${id}`;

/**
 * The device's MutatorTx, used inside one Dexie read-write transaction. Before the first local
 * write to a row it keeps the row's server version in `shadow`, so a rejection or a rebase can
 * put the server's truth back and replay what is still pending.
 */
export class DexieTx implements MutatorTx {
	/** Every row this transaction wrote, as written (null: deleted), for the change notice. */
	readonly touched = new Map<EntityName, Map<string, unknown>>();

	constructor(
		private readonly db: EnlaceDb,
		readonly ctx: MutatorContext
	) {}

	async get<E extends EntityName>(entity: E, id: string): Promise<EntityRow<E> | undefined> {
		return (await this.db.table(entity).get(id)) as EntityRow<E> | undefined;
	}

	private async keepShadow(entity: EntityName, id: string): Promise<void> {
		const key = shadowKey(entity, id);
		if (await this.db.shadow.get(key)) return;
		const current = (await this.db.table(entity).get(id)) as Record<string, unknown> | undefined;
		await this.db.shadow.put({ key, entity, id, row: current ?? null });
	}

	private touch(entity: EntityName, id: string, row: unknown) {
		let rows = this.touched.get(entity);
		if (!rows) this.touched.set(entity, (rows = new Map()));
		rows.set(id, row);
	}

	async put<E extends EntityName>(entity: E, row: EntityRow<E>): Promise<void> {
		const id = (row as { id: string }).id;
		await this.keepShadow(entity, id);
		await this.db.table(entity).put(row);
		this.touch(entity, id, row);
	}

	async del(entity: EntityName, id: string): Promise<void> {
		await this.keepShadow(entity, id);
		await this.db.table(entity).delete(id);
		this.touch(entity, id, null);
	}

	findBy<E extends EntityName>(entity: E, field: string, value: string): Promise<EntityRow<E>[]> {
		return findRowsBy(this.db, entity, field, value);
	}

	async nextNumber(): Promise<number> {
		throw new AppError('bad-request', 'Los contadores solo los asigna el servidor');
	}
}

/** MutatorTx.findBy over the device's tables: by its index when there is one. */
export async function findRowsBy<E extends EntityName>(
	db: EnlaceDb,
	entity: E,
	field: string,
	value: string
): Promise<EntityRow<E>[]> {
	const table = db.table(entity);
	const indexed = table.schema.indexes.some((i) => i.name === field);
	const rows = indexed
		? await table.where(field).equals(value).toArray()
		: await table.filter((r: Record<string, unknown>) => r[field] === value).toArray();
	return rows as EntityRow<E>[];
}
