import { z } from 'zod';
import type { EntityName } from '../schemas/entities';
import type { WireError } from './errors';
import type { Role } from '../schemas/user';
import type { SyncWindow } from './window';

/** At most this many mutations in one push; the client sends the rest in the next one. */
export const MAX_PUSH_MUTATIONS = 200;
export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 10000;
/**
 * A pull page also stops before its changes pass this many bytes of JSON, so large rows cannot
 * build a page too big to send or to hold; a page always carries at least one row.
 */
export const MAX_PULL_PAGE_BYTES = 4 * 1024 * 1024;

export const MutationEnvelope = z.object({
	id: z.string().min(8).max(64),
	name: z.string().min(1).max(60),
	args: z.unknown()
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;

export const PushRequest = z.object({
	clientId: z.string().min(1).max(64),
	mutations: z.array(MutationEnvelope).max(MAX_PUSH_MUTATIONS)
});
export type PushRequest = z.infer<typeof PushRequest>;

export type MutationResult =
	{ id: string; status: 'applied' } | { id: string; status: 'rejected'; error: WireError };

/**
 * A push answers each mutation, in order, each applied or rejected on its own (a rejected one
 * writes nothing). When any was rejected as bad input (`invalid-*`, `unknown-mutation`) the
 * status is 400 and `error` repeats the first such rejection; `results` is complete either way.
 */
export type PushResponse = { results: MutationResult[]; seq: number; error?: WireError };

export type Change = {
	seq: number;
	entity: EntityName;
	id: string;
	op: 'put' | 'delete';
	data?: Record<string, unknown>;
};

/**
 * `reset`: the client's position does not belong to this database (it is ahead of it, or the
 * server's id changed), or what the session may hold is not what the device synced under (see
 * `access`): drop local server state and pull again from 0 (pending mutations stay).
 *
 * `access` (protocol 2): an opaque key of what this session may hold (its role's scopes, and for
 * a restricted role the version of the scope rules). The device keeps it with its `seq` and sends
 * it back as `?access=`; a different key on a pull from past 0 is answered `reset`. `role` is the
 * session's current role, so the device learns a role change on its next sync.
 */
export type PullResponse = {
	changes: Change[];
	seq: number;
	more: boolean;
	serverId: string;
	reset?: boolean;
	access?: string;
	role?: Role;
	/**
	 * Protocol 3: the window of Historial and router jobs this session's devices hold (see
	 * window.ts); the device prunes windowed rows older than it that are not of a pinned customer.
	 */
	window?: SyncWindow;
};

/** SSE `data:` of the `seq` event on /api/sync/events. */
export type SeqEvent = { seq: number };
