import { z } from 'zod';
import type { EntityName, EntityRow } from '../schemas/entities';
import { Id } from '../schemas/common';
import { applyPatch, patchSchema } from './patch';
import { defineMutator, parseOrThrow, type Mutator, type MutatorTx } from './types';
import { alreadyExists, customerOrThrow, notFound } from './guards';
import type { Role } from '../schemas/user';

type Refine<T> = (row: T, ctx: z.RefinementCtx) => void;

/** Rows that mean nothing without their parent: the entity and the field holding the parent's id. */
export type Children = readonly { entity: EntityName; field: string }[];

type CrudOptions<E extends EntityName> = {
	entity: E;
	/** What the user calls it, for messages: 'La dirección', 'La persona de contacto'. */
	noun: string;
	object: z.ZodObject<z.ZodRawShape>;
	refine?: Refine<EntityRow<E>>;
	roles: readonly Role[];
	/** Rows of a customer: the customer must exist. */
	parent?: 'customer';
	/** Extra rules run with the merged row before it is written (uniqueness…). */
	check?: (tx: MutatorTx, row: EntityRow<E>, existing?: EntityRow<E>) => Promise<void>;
	/**
	 * After `check`: the row as it is stored, with the fields the server derives from other rows
	 * (a contract's payment type from its payment method). Default: the row as checked.
	 */
	derive?: (tx: MutatorTx, row: EntityRow<E>, existing?: EntityRow<E>) => Promise<EntityRow<E>>;
	/** Before a delete of a row that exists: throw to refuse it (the row is still in use). */
	deletable?: (tx: MutatorTx, row: EntityRow<E>) => Promise<void>;
	/** Deleted with the row, before it. */
	children?: Children;
	/**
	 * After every change that reached storage, with the row as it was (undefined on a first
	 * create) and as it is now (undefined after a delete): the rows and jobs that follow from it.
	 */
	written?: (
		tx: MutatorTx,
		before: EntityRow<E> | undefined,
		after: EntityRow<E> | undefined
	) => Promise<void>;
};

/** Deletes a row and, first, the children that would mean nothing without it. */
export async function deleteWithChildren(
	tx: MutatorTx,
	entity: EntityName,
	id: string,
	children: Children = []
): Promise<void> {
	for (const child of children) {
		for (const row of await tx.findBy(child.entity, child.field, id)) {
			await tx.del(child.entity, (row as { id: string }).id);
		}
	}
	await tx.del(entity, id);
}

const READ_ONLY = ['id', 'customerId', 'createdAt', 'updatedAt'];

/**
 * `<entity>.create` (the whole row), `<entity>.update` ({id, patch}) and `<entity>.delete` ({id})
 * for a row type; every tab's child rows use these, so the rules live in one place.
 */
export function crudMutators<E extends EntityName>(o: CrudOptions<E>): Mutator[] {
	const strict = o.object.strict();
	const full = (o.refine
		? strict.superRefine(o.refine as Refine<unknown>)
		: strict) as unknown as z.ZodType<EntityRow<E>>;
	// The row's own id rule (custom fields have a narrower one than other rows).
	const rowId = (o.object.shape.id ?? Id) as z.ZodType<string>;
	const editable = o.object.omit(
		Object.fromEntries(READ_ONLY.filter((k) => k in o.object.shape).map((k) => [k, true])) as never
	);

	// Only rows whose schema has timestamps get them: the strict parse refuses unknown keys, so
	// stamping a row without them (settings) would reject every create and update of it.
	const stamped = 'updatedAt' in o.object.shape;
	const stamp = (now: string, created: boolean) =>
		!stamped ? {} : created ? { createdAt: now, updatedAt: now } : { updatedAt: now };

	async function write(tx: MutatorTx, row: EntityRow<E>, existing?: EntityRow<E>) {
		const valid = parseOrThrow(full, row);
		if (o.parent === 'customer') {
			const customerId = (valid as { customerId: string }).customerId;
			await customerOrThrow(tx, customerId);
		}
		await o.check?.(tx, valid, existing);
		const stored = o.derive ? await o.derive(tx, valid, existing) : valid;
		await tx.put(o.entity, stored);
		await o.written?.(tx, existing, stored);
	}

	const create = defineMutator({
		name: `${o.entity}.create`,
		args: full,
		roles: o.roles,
		async apply(tx, args) {
			const existing = await tx.get(o.entity, (args as { id: string }).id);
			if (existing) {
				// The id is taken by another customer's row: never hand it over (crafted or a bug).
				const customerOf = (row: unknown) => (row as { customerId?: string }).customerId;
				if (o.parent === 'customer' && customerOf(existing) !== customerOf(args)) {
					throw alreadyExists(`${o.noun} ya existe en otro cliente`, 'id');
				}
				// A create replayed after its row already arrived: treat as an update of the fields.
				await write(
					tx,
					{ ...existing, ...args, ...stamp(tx.ctx.now, false) } as EntityRow<E>,
					existing
				);
				return;
			}
			await write(tx, { ...args, ...stamp(tx.ctx.now, true) } as EntityRow<E>);
		}
	});

	const update = defineMutator({
		name: `${o.entity}.update`,
		args: z.object({ id: rowId, patch: patchSchema(editable) }).strict(),
		roles: o.roles,
		async apply(tx, { id, patch }) {
			const existing = await tx.get(o.entity, id);
			if (!existing) throw notFound(o.noun);
			const next = applyPatch(existing as Record<string, unknown>, patch);
			await write(tx, { ...next, ...stamp(tx.ctx.now, false) } as EntityRow<E>, existing);
		}
	});

	const remove = defineMutator({
		name: `${o.entity}.delete`,
		args: z.object({ id: rowId }).strict(),
		roles: o.roles,
		async apply(tx, { id }) {
			const existing = await tx.get(o.entity, id);
			// Deleting what is already gone is a success: the end state is the one asked for.
			if (!existing) return;
			await o.deletable?.(tx, existing);
			await deleteWithChildren(tx, o.entity, id, o.children);
			await o.written?.(tx, existing, undefined);
		}
	});

	return [create, update, remove] as Mutator[];
}
