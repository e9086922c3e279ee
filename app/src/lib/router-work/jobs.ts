import {
	MUTATION_JOB_KIND,
	driftReportOf,
	objectDriftCountOf,
	secretDriftCountOf,
	pingResultOf,
	type DriftReport,
	type JobKind,
	type JobState,
	type PingResult,
	type RouterJob
} from '@enlace/shared';

/**
 * Pure helpers for showing router work (docs/router-work.md): the state of the latest job of each
 * kind, what a router answered (ping figures, drift report), and the requests this device made that
 * have no job row yet. Kept free of runes and Dexie so they can be unit-tested.
 */

export const JOB_STATE_LABELS: Record<JobState, string> = {
	queued: 'En cola',
	running: 'En curso',
	done: 'Hecho',
	failed: 'Error'
};

export const JOB_STATE_TONES: Record<JobState, string> = {
	queued: 'orange',
	running: 'blue',
	done: 'green',
	failed: 'red'
};

/** Jobs of one mutation share `createdAt`; the server's enqueue counter `n` orders them. */
const newer = (a: RouterJob, b: RouterJob) =>
	a.createdAt !== b.createdAt
		? a.createdAt > b.createdAt
		: (a.n ?? 0) !== (b.n ?? 0)
			? (a.n ?? 0) > (b.n ?? 0)
			: a.updatedAt > b.updatedAt;

/** The latest job of every kind among `jobs`. */
export function latestByKind(jobs: readonly RouterJob[]): Map<JobKind, RouterJob> {
	const out = new Map<JobKind, RouterJob>();
	for (const j of jobs) {
		const cur = out.get(j.kind);
		if (!cur || newer(j, cur)) out.set(j.kind, j);
	}
	return out;
}

export const isWaiting = (j: Pick<RouterJob, 'state'>) =>
	j.state === 'queued' || j.state === 'running';

export type PingFigures = PingResult;

/** Ping figures from a done ping job; undefined when it has none (yet). */
export const pingFigures = (job: RouterJob | undefined): PingFigures | undefined =>
	pingResultOf(job?.result);

/** Milliseconds as a router shows them: 1.52 ms, 12 ms. */
export const fmtMs = (ms: number | undefined) =>
	ms === undefined ? '—' : `${ms < 10 ? ms.toFixed(2).replace('.', ',') : Math.round(ms)} ms`;

export type { DriftReport };

/** The drift report of a done router.check job: what differs between Enlace and the router. */
export const driftReport = (job: RouterJob | undefined): DriftReport | undefined =>
	driftReportOf(job?.result);

/** Accounts that differ, all of them: a stored report lists at most DRIFT_LIST_MAX per list. */
export const driftCount = (d: DriftReport) => secretDriftCountOf(d);

/** Pools and PPP profiles that differ (reported by agents that check them). */
export const objectDriftCount = (d: DriftReport) =>
	objectDriftCountOf(d.pools) + objectDriftCountOf(d.profiles);

/** How many names of a list the stored report left out (0 when it lists them all). */
export const leftOut = (list: readonly unknown[], count: number | undefined) =>
	Math.max(0, (count ?? list.length) - list.length);

/** RouterOS property names as the office calls them. */
export const SECRET_FIELD_LABELS: Record<string, string> = {
	password: 'contraseña',
	profile: 'perfil',
	'remote-address': 'IP fija',
	remoteAddress: 'IP fija',
	disabled: 'desactivado',
	comment: 'comentario'
};

/** Pool and PPP profile fields of a drift report as the office calls them. */
export const OBJECT_FIELD_LABELS: Record<string, string> = {
	ranges: 'rangos',
	rateLimit: 'velocidad',
	localAddress: 'dirección local',
	remoteAddress: 'pool'
};

/** A mutation of this device, as the outbox and the rejected list hold it. */
export type LocalMutation = { id: string; name: string; args: unknown };

const argOf = (m: LocalMutation, key: string): unknown =>
	m.args && typeof m.args === 'object' ? (m.args as Record<string, unknown>)[key] : undefined;

/** Local mutations that end in a job of `kind` for the row whose `key` is `value`. */
export function mutationsFor(
	list: readonly LocalMutation[],
	kind: JobKind,
	key: string,
	value: string | undefined
): LocalMutation[] {
	if (!value) return [];
	return list.filter((m) => MUTATION_JOB_KIND[m.name] === kind && argOf(m, key) === value);
}

/** A request made from this screen: its outbox id and the jobs of its kind that existed then. */
export type Request = { mutationId: string; known: readonly string[]; at: number };

export type JobView =
	| { phase: 'none' }
	/** In the outbox: not on the server yet. */
	| { phase: 'unsent' }
	/** The server took it; its job row has not reached this device yet. */
	| { phase: 'sent' }
	| { phase: 'rejected'; message: string }
	| { phase: 'job'; job: RouterJob };

/** How long a request may wait for its job row before the screen falls back to the latest job. */
export const SENT_PATIENCE_MS = 20_000;

/**
 * What to show for one kind of job: unsent work first (the user must see it is waiting), then a
 * rejection of this screen's request, then "sent" until its job arrives, then the latest job.
 */
export function jobView(o: {
	latest: RouterJob | undefined;
	pending: readonly LocalMutation[];
	rejected: readonly (LocalMutation & { error: { message: string }; rejectedAt: string })[];
	request: Request | undefined;
	now: number;
}): JobView {
	if (o.pending.length) return { phase: 'unsent' };
	const req = o.request;
	if (req) {
		const refused = o.rejected.find((r) => r.id === req.mutationId);
		if (refused) return { phase: 'rejected', message: refused.error.message };
		const arrived = o.latest && !req.known.includes(o.latest.id);
		if (!arrived && o.now - req.at < SENT_PATIENCE_MS) return { phase: 'sent' };
	}
	// A rejection newer than the latest job is the last word on this action, even after a reload.
	const lastRefused = [...o.rejected].sort((a, b) => (a.rejectedAt < b.rejectedAt ? 1 : -1))[0];
	if (lastRefused && (!o.latest || lastRefused.rejectedAt > o.latest.updatedAt))
		return { phase: 'rejected', message: lastRefused.error.message };
	return o.latest ? { phase: 'job', job: o.latest } : { phase: 'none' };
}

/** Seconds as RouterOS writes an uptime: 1w2d3h4m5s, without the zero parts. */
export function fmtUptime(seconds: number): string {
	let s = Math.max(0, Math.floor(seconds));
	let out = '';
	for (const [size, unit] of [
		[604800, 'w'],
		[86400, 'd'],
		[3600, 'h'],
		[60, 'm']
	] as const) {
		if (s >= size) out += `${Math.floor(s / size)}${unit}`;
		s %= size;
	}
	return `${out}${s}s`;
}

/**
 * A session's uptime now: counted from when it started (`since`), because the server refreshes
 * the router's own figure only once a minute; the router's text when there is no start time.
 */
export function liveUptime(
	status: { since?: string; uptime?: string } | undefined,
	now: number
): string {
	const start = status?.since ? Date.parse(status.since) : NaN;
	if (!Number.isNaN(start)) return fmtUptime((now - start) / 1000);
	return status?.uptime ?? '';
}
