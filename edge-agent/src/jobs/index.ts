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
import type { JobContext, JobHandler, JobOutput, Settled } from './types';

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

const handlerOf = (kind: string) =>
	Object.hasOwn(HANDLERS, kind) ? HANDLERS[kind as JobKind] : undefined;

/** Validates the payload for `kind` and runs its handler; router errors pass through as thrown. */
export async function runJob(ctx: JobContext, kind: string, payload: unknown): Promise<JobOutput> {
	const handler = handlerOf(kind);
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

/** Jobs taken from the head of a queue to run together, and how to run them. */
export type Batch<J> = { jobs: J[]; run(ctx: JobContext): Promise<Settled[]> };

/**
 * What runs next from the head of a router's queue: the run of jobs the head's handler takes as
 * one batch (see JobHandler.batch), or the head alone. Outcomes come one per job, in order; a
 * job that throws (a bad payload, an unknown kind, a router error) settles as not ok. `limit`
 * caps the run (the queue shrinks batches on a router that drops connections part-way).
 */
export function nextBatch<J extends { kind: string; payload: unknown }>(
	queue: readonly J[],
	limit = Infinity
): Batch<J> {
	const [head] = queue;
	const handler = handlerOf(head.kind);
	const batch = handler?.batch;
	if (batch) {
		const jobs: J[] = [];
		const payloads: unknown[] = [];
		const keys = new Set<string>();
		for (const job of queue) {
			if (jobs.length >= Math.min(batch.max, limit) || job.kind !== head.kind) break;
			const parsed = handler.payload.safeParse(job.payload);
			if (!parsed.success || keys.has(batch.key(parsed.data))) break;
			keys.add(batch.key(parsed.data));
			jobs.push(job);
			payloads.push(parsed.data);
		}
		if (jobs.length > 1) return { jobs, run: (ctx) => batch.run(ctx, payloads) };
	}
	return {
		jobs: [head],
		async run(ctx) {
			try {
				return [{ ok: true, value: await runJob(ctx, head.kind, head.payload) }];
			} catch (error) {
				return [{ ok: false, error }];
			}
		}
	};
}

export type { JobContext, JobOutput, RouterOs, Settled } from './types';
