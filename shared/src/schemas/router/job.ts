import { z } from 'zod';
import { Id, IsoDateTime, text } from '../common';

export const JOB_KINDS = [
	'secret.ensure',
	'secret.remove',
	'session.kick',
	'ping',
	'profile.ensure',
	'pool.ensure',
	'pool.remove',
	'router.check'
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** How each kind of job reads in Historial and the job list when no more specific action is set. */
export const JOB_KIND_LABELS: Record<JobKind, string> = {
	'secret.ensure': 'Guardar Secret',
	'secret.remove': 'Eliminar secret',
	'session.kick': 'Reiniciar sesión',
	ping: 'Ping',
	'profile.ensure': 'Perfil PPP',
	'pool.ensure': 'Pool de IP',
	'pool.remove': 'Eliminar pool de IP',
	'router.check': 'Comprobar router'
};

/**
 * The job a user-facing router mutation ends in: the one its screen waits for (a mutation may
 * queue others before it, e.g. the profile a secret names). The mutator tests check that the
 * server run of each one queues this kind last.
 */
export const MUTATION_JOB_KIND: Readonly<Record<string, JobKind>> = {
	'pppoe.save': 'secret.ensure',
	'pppoe.setOffline': 'secret.ensure',
	'pppoe.kick': 'session.kick',
	'pppoe.ping': 'ping',
	'pppoe.delete': 'secret.remove',
	'router.check': 'router.check'
};

export const JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * A router job. Jobs describe end states ("secret X exists with these values"), so running one
 * twice is harmless: that is what makes at-least-once delivery with leases safe.
 */
export const RouterJob = z.object({
	id: Id,
	routerId: Id,
	customerId: Id.optional(),
	accountId: Id.optional(),
	kind: z.enum(JOB_KINDS),
	payload: z.record(z.string(), z.unknown()),
	state: z.enum(JOB_STATES),
	attempts: z.number().int().min(0),
	createdAt: IsoDateTime,
	updatedAt: IsoDateTime,
	leaseUntil: IsoDateTime.optional(),
	/** What the router said: ping figures, drift report, the trap message on failure. */
	result: z.record(z.string(), z.unknown()).optional(),
	error: text(1000),
	requestedBy: text(64),
	/**
	 * Enqueue order (a server counter): jobs of one mutation share `createdAt`, and each router's
	 * queue runs strictly in this order.
	 */
	n: z.number().int().min(0).optional(),
	/** What the user asked for, as Historial and the job list show it ("Guardar Secret"). */
	action: text(80)
});
export type RouterJob = z.infer<typeof RouterJob>;

// ---------------------------------------------------------------------------------------------
// Results: what a done job's `result` holds. The agent writes them; the server (Historial) and
// the app (the PPPoE card, the router card) read them with the parsers below, which accept only
// well-formed figures, because a result is whatever an agent sent.

/** `ping` → how many probes went and came back, the loss in %, round-trip times in ms. */
export const PingResult = z.object({
	sent: z.number(),
	received: z.number(),
	loss: z.number(),
	rttMinMs: z.number().optional(),
	rttAvgMs: z.number().optional(),
	rttMaxMs: z.number().optional()
});
export type PingResult = z.infer<typeof PingResult>;

const DriftEntry = z.object({ name: z.string(), fields: z.array(z.string()) });

/** Drift of one kind of named router object (IP pools, PPP profiles). */
export const ObjectDrift = z.object({
	/** Objects Enlace manages that the router lacks. */
	missing: z.array(z.string()),
	/** Objects whose fields (payload names: ranges, rateLimit, remoteAddress…) differ. */
	different: z.array(DriftEntry),
	/** The full counts, present when a list was cut to DRIFT_LIST_MAX names. */
	counts: z.object({ missing: z.number(), different: z.number() }).optional()
});
export type ObjectDrift = z.infer<typeof ObjectDrift>;

/**
 * `router.check` → the drift between what Enlace manages and the router: secrets (the top-level
 * fields), and the IP pools and PPP profiles (tariffs and suspension) they depend on, which an
 * older agent does not report.
 */
export const DriftReport = z.object({
	/** Accounts with no secret on the router. */
	missing: z.array(z.string()),
	/** Secrets whose fields (payload names: password, profile, remoteAddress) differ. */
	different: z.array(z.object({ name: z.string(), fields: z.array(z.string()) })),
	/** Secrets on the router that Enlace does not manage. */
	unknown: z.array(z.string()),
	pools: ObjectDrift.optional(),
	profiles: ObjectDrift.optional(),
	/** The full counts, present when a list was cut to DRIFT_LIST_MAX names. */
	counts: z.object({ missing: z.number(), different: z.number(), unknown: z.number() }).optional()
});
export type DriftReport = z.infer<typeof DriftReport>;

/**
 * The most names a stored drift report lists per list. A job row is synced to every device: a
 * router reset (every account missing) or one Enlace has not imported yet (every secret unknown)
 * must not make it as large as the router; the counts say how many there are in all.
 */
export const DRIFT_LIST_MAX = 100;

/** `secret.ensure` → what the agent did to the secret and how many sessions it ended. */
export const SecretEnsureResult = z.object({
	action: z.enum(['added', 'updated', 'unchanged']),
	changed: z.array(z.string()),
	kicked: z.number()
});
export type SecretEnsureResult = z.infer<typeof SecretEnsureResult>;

const figure = z.number().optional().catch(undefined);
const PingRead = z.object({
	sent: z.number(),
	received: z.number(),
	loss: figure,
	rttMinMs: figure,
	rttAvgMs: figure,
	rttMaxMs: figure
});

/** The ping figures of a result; undefined without them (queued, failed, a hostile result). */
export function pingResultOf(result: unknown): PingResult | undefined {
	const r = PingRead.safeParse(result);
	if (!r.success) return undefined;
	const { sent, received, loss } = r.data;
	return {
		...r.data,
		loss: loss ?? (sent ? Math.round((100 * (sent - received)) / sent) : 0)
	};
}

/** Keeps the strings of a list, drops anything else. */
const stringsOf = (v: unknown): string[] =>
	Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The well-formed `{ name, fields }` entries of a list. */
const entriesOf = (v: unknown): DriftReport['different'] =>
	Array.isArray(v)
		? v.flatMap((d: unknown) => {
				const o = d as { name?: unknown; fields?: unknown } | null;
				return o && typeof o.name === 'string'
					? [{ name: o.name, fields: stringsOf(o.fields) }]
					: [];
			})
		: [];

/** A count a report gives, if it is one and not below what its list holds. */
const countOf = (v: unknown, listed: number): number =>
	typeof v === 'number' && Number.isSafeInteger(v) && v >= listed ? v : listed;

/** The `counts` of a report whose lists were cut: each at least its list's length. */
function countsOf<K extends string>(v: unknown, lists: Record<K, unknown[]>) {
	if (!v || typeof v !== 'object') return undefined;
	const o = v as Record<string, unknown>;
	return Object.fromEntries(
		Object.entries<unknown[]>(lists).map(([k, list]) => [k, countOf(o[k], list.length)])
	) as Record<K, number>;
}

const objectDriftOf = (v: unknown): ObjectDrift | undefined => {
	if (!v || typeof v !== 'object') return undefined;
	const o = v as Record<string, unknown>;
	const drift: ObjectDrift = { missing: stringsOf(o.missing), different: entriesOf(o.different) };
	const counts = countsOf(o.counts, { missing: drift.missing, different: drift.different });
	if (counts) drift.counts = counts;
	return drift;
};

/** The drift report of a result, keeping its well-formed entries; undefined without a result. */
export function driftReportOf(result: unknown): DriftReport | undefined {
	if (!result || typeof result !== 'object') return undefined;
	const r = result as Record<string, unknown>;
	const report: DriftReport = {
		missing: stringsOf(r.missing),
		different: entriesOf(r.different),
		unknown: stringsOf(r.unknown)
	};
	const pools = objectDriftOf(r.pools);
	const profiles = objectDriftOf(r.profiles);
	if (pools) report.pools = pools;
	if (profiles) report.profiles = profiles;
	const { missing, different, unknown } = report;
	const counts = countsOf(r.counts, { missing, different, unknown });
	if (counts) report.counts = counts;
	return report;
}

/**
 * `lists` each cut to DRIFT_LIST_MAX, with `counts` (the full numbers) when a list was cut or had
 * been cut before (`counts` given): a report cut once keeps its totals.
 */
function boundLists<T extends Record<string, unknown[]>>(
	lists: T,
	counts: Partial<Record<keyof T, number>> | undefined
): T & { counts?: Record<keyof T, number> } {
	const out: Record<string, unknown> = {};
	const totals: Record<string, number> = {};
	let cut = counts !== undefined;
	for (const [k, list] of Object.entries(lists)) {
		out[k] = list.slice(0, DRIFT_LIST_MAX);
		totals[k] = counts?.[k] ?? list.length;
		cut ||= list.length > DRIFT_LIST_MAX;
	}
	if (cut) out.counts = totals;
	return out as T & { counts?: Record<keyof T, number> };
}

/**
 * A drift report as it is stored in the job row: only what differs, each list cut to
 * DRIFT_LIST_MAX names with the full counts beside it, anything else an agent sent dropped.
 * Idempotent: a bounded report comes back equal.
 */
export function boundedDriftReport(result: unknown): DriftReport | undefined {
	const r = driftReportOf(result);
	if (!r) return undefined;
	const { missing, different, unknown } = r;
	const out: DriftReport = boundLists({ missing, different, unknown }, r.counts);
	for (const kind of ['pools', 'profiles'] as const) {
		const d = r[kind];
		if (d) out[kind] = boundLists({ missing: d.missing, different: d.different }, d.counts);
	}
	return out;
}

/** How many there are in all of a list a report may have cut. */
const total = (counts: Record<string, number> | undefined, key: string, list: unknown[]) =>
	counts?.[key] ?? list.length;

/** How many objects of one kind differ (missing or different), counting what a cut list left out. */
export const objectDriftCountOf = (d: ObjectDrift | undefined): number =>
	d ? total(d.counts, 'missing', d.missing) + total(d.counts, 'different', d.different) : 0;

/** How many secrets differ (missing or different), counting what a cut list left out. */
export const secretDriftCountOf = (d: DriftReport): number =>
	total(d.counts, 'missing', d.missing) + total(d.counts, 'different', d.different);

/** How many secrets on the router Enlace does not manage, counting what a cut list left out. */
export const unknownCountOf = (d: DriftReport): number => total(d.counts, 'unknown', d.unknown);

/** How many things differ: secrets, pools and profiles together. */
export const driftCountOf = (d: DriftReport): number =>
	secretDriftCountOf(d) + objectDriftCountOf(d.pools) + objectDriftCountOf(d.profiles);

/**
 * A job row's payload as it may be synced: never a PPPoE password, never a router's account list
 * (see agentPayload, which completes them when an agent claims the job). Idempotent.
 */
export function syncedJobPayload(
	kind: string,
	payload: Record<string, unknown>
): Record<string, unknown> {
	if (kind === 'router.check') return Object.keys(payload).length ? {} : payload;
	if (kind === 'secret.ensure' && 'password' in payload) {
		const rest = { ...payload };
		delete rest.password;
		return rest;
	}
	return payload;
}
