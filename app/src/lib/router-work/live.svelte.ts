import { getMutator, MUTATORS, type JobKind, type RouterJob } from '@enlace/shared';
import { db, engine, session } from '$lib/app.svelte';
import { live } from '$lib/live.svelte';
import type { SyncStatus } from '$lib/sync/loop';
import type { Request } from './jobs';

/**
 * Whether this device can reach the server now: the browser's own flag plus what the last sync
 * found (a captive portal or a dead server look "online" to the browser). Live actions — ping,
 * reset session, check router — need it; everything else queues.
 */
export function useConnectivity() {
	const status = live(() => db.getMeta<SyncStatus>('syncStatus'));
	let browserOnline = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	$effect(() => {
		const set = () => (browserOnline = navigator.onLine);
		window.addEventListener('online', set);
		window.addEventListener('offline', set);
		return () => {
			window.removeEventListener('online', set);
			window.removeEventListener('offline', set);
		};
	});
	return {
		get online() {
			return browserOnline && status.current?.phase !== 'offline';
		}
	};
}

/** A clock for "sent, waiting" timeouts and relative times; ticks only while mounted. */
export function useNow(intervalMs = 1000) {
	let now = $state(Date.now());
	$effect(() => {
		const t = setInterval(() => (now = Date.now()), intervalMs);
		return () => clearInterval(t);
	});
	return {
		get value() {
			return now;
		}
	};
}

/** The outbox and the rejected list, for "queued on this device" and "refused" states. */
export function useLocalMutations() {
	const outbox = live(() => db.outbox.toArray());
	const rejected = live(() => db.rejected.toArray());
	return {
		get pending() {
			return outbox.current ?? [];
		},
		get rejected() {
			return rejected.current ?? [];
		}
	};
}

/**
 * Requests this screen made, per key, so a click shows "sent" until its own job row arrives
 * instead of the previous job's state. Kept in memory: after a reload the outbox and the job rows
 * tell the same story.
 */
export class RequestTracker {
	requests = $state<Record<string, Request>>({});

	/** Run a mutation and remember which jobs of `kind` existed before it. */
	async run(key: string, name: string, args: unknown, existing: readonly RouterJob[]) {
		const known = existing.map((j) => j.id);
		const mutationId = await engine.mutate(name, args);
		this.requests = { ...this.requests, [key]: { mutationId, known, at: Date.now() } };
		return mutationId;
	}

	get(key: string): Request | undefined {
		return this.requests[key];
	}
}

/** Jobs of a kind, for RequestTracker.run's "known" list. */
export const ofKind = (jobs: readonly RouterJob[] | undefined, kind: JobKind) =>
	(jobs ?? []).filter((j) => j.kind === kind);

/**
 * Whether the signed-in user may run a mutation. Read from the shared registry, so the screens
 * follow the server's rules; a mutation this app version does not know is admin-only.
 */
export function canRun(name: string): boolean {
	const role = session.user?.role;
	if (!role) return false;
	if (!MUTATORS.has(name)) return role === 'admin';
	return getMutator(name).roles.includes(role);
}
