import type { z } from 'zod';
import { AppError } from '../protocol/errors';
import type { EntityName, EntityRow } from '../schemas/entities';
import type { Role } from '../schemas/user';

export type MutatorContext = {
	userId: string;
	userName: string;
	role: Role;
	/** ISO timestamp of this run; the server's clock on the server, the device's on the device. */
	now: string;
	/** true when run with authority on the server (codes, counters, cross-customer checks). */
	server: boolean;
};

/** Extra facts about a write, for Historial (e.g. the reason of a customer state change). */
export type WriteMeta = { reason?: string };

/**
 * The storage a mutator sees. The app implements it over a Dexie transaction (optimistic), the
 * server over libSQL reads plus one atomic batch of writes. Mutators must only touch storage
 * through it, so both runs produce the same rows.
 */
export type MutatorTx = {
	readonly ctx: MutatorContext;
	get<E extends EntityName>(entity: E, id: string): Promise<EntityRow<E> | undefined>;
	put<E extends EntityName>(entity: E, row: EntityRow<E>, meta?: WriteMeta): Promise<void>;
	del(entity: EntityName, id: string): Promise<void>;
	/** Rows of an entity whose `field` equals `value` (uniqueness checks, children of a customer). */
	findBy<E extends EntityName>(entity: E, field: string, value: string): Promise<EntityRow<E>[]>;
	/** Server only: the next number of a named counter (customer codes, document series). */
	nextNumber(counter: string): Promise<number>;
};

export type Mutator<A = unknown> = {
	name: string;
	args: z.ZodType<A>;
	roles: readonly Role[];
	apply(tx: MutatorTx, args: A): Promise<void>;
};

export const defineMutator = <A>(m: Mutator<A>): Mutator<A> => m;

export const ALL_ROLES: readonly Role[] = ['admin', 'office', 'technician'];
export const OFFICE_ROLES: readonly Role[] = ['admin', 'office'];
export const ADMIN_ONLY: readonly Role[] = ['admin'];

/** Turn the first zod issue into a wire error: its own code (`invalid-tax-id`…) or `invalid-field`. */
export function zodToAppError(error: z.ZodError, stripPrefix: string[] = ['patch']): AppError {
	const issue = error.issues[0];
	const path = issue.path.filter((p) => !stripPrefix.includes(String(p))).map(String);
	const params = (issue as { params?: { code?: string } }).params;
	let code = params?.code;
	if (!code) code = issue.code === 'unrecognized_keys' ? 'invalid-args' : 'invalid-field';
	const field = path.join('.') || undefined;
	const message =
		issue.code === 'unrecognized_keys'
			? `Campo desconocido: ${(issue as { keys: string[] }).keys.join(', ')}`
			: issue.message;
	return new AppError(code, message, field);
}

/** Parse with a schema or throw the mapped AppError. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
	const result = schema.safeParse(value);
	if (!result.success) throw zodToAppError(result.error);
	return result.data;
}
