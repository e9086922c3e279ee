/**
 * The job kinds this agent can run (shared/src/protocol/agent.ts, "Payloads by kind"). A job is
 * validated against its kind's payload schema before anything is sent to the router.
 */
import type { JobKind } from '@enlace/shared/schemas/router';
import { ping } from './ping';
import { poolEnsure, poolRemove } from './pool';
import { profileEnsure } from './profile-ensure';
import { routerCheck } from './router-check';
import { secretEnsure } from './secret-ensure';
import { secretRemove } from './secret-remove';
import { sessionKick } from './session-kick';
import type { JobContext, JobHandler, JobOutput } from './types';

// Each handler has its own payload type; the registry only needs "validate, then run".
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const HANDLERS: Record<JobKind, JobHandler<any>> = {
	'secret.ensure': secretEnsure,
	'secret.remove': secretRemove,
	'session.kick': sessionKick,
	ping,
	'profile.ensure': profileEnsure,
	'pool.ensure': poolEnsure,
	'pool.remove': poolRemove,
	'router.check': routerCheck
};

/** A job that can never succeed as sent (unknown kind, bad payload): answer it as final. */
export class InvalidJobError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'InvalidJobError';
	}
}

/** Validates the payload for `kind` and runs its handler; router errors pass through as thrown. */
export async function runJob(ctx: JobContext, kind: string, payload: unknown): Promise<JobOutput> {
	const handler = Object.hasOwn(HANDLERS, kind) ? HANDLERS[kind as JobKind] : undefined;
	if (!handler) throw new InvalidJobError(`unknown job kind ${kind}`);
	const parsed = handler.payload.safeParse(payload);
	if (!parsed.success) {
		// Paths and rules only: the payload of a secret.ensure holds the customer's password.
		const where = parsed.error.issues
			.map((i) => `${i.path.join('.') || 'payload'}: ${i.code}`)
			.join(', ');
		throw new InvalidJobError(`invalid ${kind} payload (${where})`);
	}
	return handler.run(ctx, parsed.data);
}

export type { JobContext, JobOutput, RouterOs } from './types';
