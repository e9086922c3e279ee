// Test support (not exported from the package): mutators run over plain maps.
import { AppError } from '../protocol/errors';
import type { EntityName, EntityRow } from '../schemas/entities';
import type { Role } from '../schemas/user';
import { MUTATORS } from './index';
import { parseOrThrow, type MutatorTx } from './types';

/** The storage a mutator sees, in memory: what the server and Dexie do, minus persistence. */
export function memoryTx(role: Role = 'office', now = '2026-11-27T10:00:00.000Z') {
	const rows = new Map<string, Map<string, Record<string, unknown>>>();
	const table = (e: string) => rows.get(e) ?? rows.set(e, new Map()).get(e)!;
	const tx: MutatorTx = {
		ctx: { userId: 'u1', userName: 'U', role, now, server: true },
		get: async <E extends EntityName>(e: E, id: string) =>
			structuredClone(table(e).get(id)) as EntityRow<E> | undefined,
		put: async (e, row) => void table(e).set((row as { id: string }).id, structuredClone(row)),
		del: async (e, id) => void table(e).delete(id),
		findBy: async <E extends EntityName>(e: E, field: string, value: string) =>
			[...table(e).values()].filter((r) => r[field] === value) as EntityRow<E>[],
		nextNumber: async () => 1
	};
	// As the server runs a push: permissions, arguments, then the mutator.
	const run = async (name: string, args: unknown) => {
		const m = MUTATORS.get(name)!;
		if (!m.roles.includes(role)) throw new AppError('forbidden', 'no');
		await m.apply(tx, parseOrThrow(m.args, args));
	};
	return { tx, run, table };
}

/** A rejection as `{code, field, message}`, or undefined when the promise succeeded. */
export const failure = (p: Promise<unknown>) =>
	p.then(
		() => undefined,
		(e: AppError) => ({ code: e.code, field: e.field, message: e.message })
	);
