/**
 * What a job handler sees and returns. Handlers converge the router to the end state in the payload
 * (docs/router-work.md, "Jobs are desired end states"): they read first and only write what
 * differs, and they key every object by its name, never by a `.id` kept from an earlier run, so
 * running one twice, or after a half-finished attempt, leaves the same router behind.
 */
import type { z } from 'zod';
import type { RouterOsClient, RouterOsRow } from '../routeros/client';
import { RouterOsTrapError } from '../routeros/errors';

/** The part of the RouterOS client a handler may use (a fake in tests is easy to type). */
export type RouterOs = Pick<RouterOsClient, 'print' | 'add' | 'set' | 'unset' | 'remove' | 'run'>;

export type JobContext = {
	ros: RouterOs;
	/** The agent's default deadline per command; long commands (ping, full prints) widen it. */
	commandTimeoutMs: number;
};

/** Whatever the job reports back in `result` (ping figures, drift, what it changed). */
export type JobOutput = Record<string, unknown>;

/** One job's outcome in a batch: its result, or what it threw (classified by the runner). */
export type Settled = { ok: true; value: JobOutput } | { ok: false; error: unknown };

export type JobHandler<P> = {
	payload: z.ZodType<P>;
	run(ctx: JobContext, payload: P): Promise<JobOutput>;
	/**
	 * Offered by a kind whose jobs can run several at once on one router, each with its own
	 * outcome, as if run one after the other. The runner takes the consecutive jobs of this kind
	 * at the head of a router's queue, well-formed and on distinct keys, at most `max`.
	 */
	batch?: {
		max: number;
		/** Jobs with the same key depend on each other (one secret): never in one batch. */
		key(payload: P): string;
		run(ctx: JobContext, payloads: P[]): Promise<Settled[]>;
	};
};

export const defineHandler = <P>(handler: JobHandler<P>): JobHandler<P> => handler;

/**
 * A `!trap` whose text contains `fragment` (match stable substrings, not categories:
 * docs/router-work.md › Error texts matched).
 */
export function isTrap(error: unknown, fragment: string): boolean {
	return error instanceof RouterOsTrapError && error.routerMessage.includes(fragment);
}

/** RouterOS prints booleans as `true`/`false` (v7) or `yes`/`no`. */
export function routerBool(value: string | undefined): boolean {
	return value === 'true' || value === 'yes';
}

/** The item of a named menu with this name, or undefined (`!empty` and no rows look alike). */
export async function findByName(
	ros: RouterOs,
	menu: string,
	name: string,
	proplist: readonly string[]
): Promise<RouterOsRow | undefined> {
	const rows = await ros.print(menu, { where: { name }, proplist: ['.id', 'name', ...proplist] });
	return rows.find((row) => row.name === name);
}

/** `remove` that treats "already gone" as done: the end state is what the job asks for. */
export async function removeIfPresent(ros: RouterOs, menu: string, id: string): Promise<boolean> {
	try {
		await ros.remove(menu, id);
		return true;
	} catch (error) {
		if (isTrap(error, 'no such item')) return false;
		throw error;
	}
}
