import { randomUUID } from 'node:crypto';
import {
	ACCOUNT_GONE,
	AppError,
	type AgentJobResult,
	JOB_KIND_LABELS,
	agentPayload,
	boundedDriftReport,
	jobResultLines,
	pingResultOf,
	type AgentJob,
	type HistoryEntry,
	type RouterJob
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq, recordReader } from '../sync/store';
import type { AgentHub } from './hub';
import { guardedStatements, writeGuarded, type GuardedWrite } from '../sync/writer';
import { selectStored, type Stored } from './records';
import type { AgentIdentity } from './tokens';

/**
 * Router jobs as the agent sees them. A job is handed out with a lease: until `leaseUntil` it is
 * this claim's; after it, the same job is handed out again (at least once — jobs describe end
 * states, so running one twice is harmless). Each router is one ordered queue: only its oldest
 * open job can be claimed, and only while no claim on that router holds a live lease.
 *
 * `leaseUntil` on a queued job means "not before": a job the agent gave back (router
 * unreachable) waits a little, growing with its attempts, instead of being handed straight back
 * to an agent that would fail it again at once.
 */

const RETRY_MAX_MS = 60_000;

/** Open (queued or running) jobs of the routers this agent declared. */
async function openJobs(db: Db, agentId: string): Promise<Stored<RouterJob>[]> {
	// CROSS JOIN keeps agent_routers outside, and the unary + strips the column's affinity, so
	// the lookup per router goes through records_job_queue rather than a scan of every job.
	return selectStored<RouterJob>(
		db.client,
		`SELECT r.data, r.seq, r.updated_at, r.deleted FROM agent_routers a CROSS JOIN records r
			WHERE a.agent_id = ? AND r.entity = 'routerJob' AND r.deleted = 0
				AND json_extract(r.data, '$.routerId') = +a.router_id
				AND json_extract(r.data, '$.state') IN ('queued', 'running')`,
		[agentId]
	);
}

const order = (a: RouterJob, b: RouterJob) =>
	(a.n ?? Number.MAX_SAFE_INTEGER) - (b.n ?? Number.MAX_SAFE_INTEGER) ||
	a.createdAt.localeCompare(b.createdAt) ||
	a.id.localeCompare(b.id);

/**
 * What each router's queue can hand out now: up to `max` consecutive jobs from its head, in
 * order, when no claim on that router holds a live lease. The run stops at a job still waiting
 * out its retry delay, so nothing overtakes it.
 */
function claimable(open: Stored<RouterJob>[], now: number, max = 1): Stored<RouterJob>[] {
	const byRouter = new Map<string, Stored<RouterJob>[]>();
	for (const s of open) {
		const list = byRouter.get(s.row.routerId) ?? [];
		list.push(s);
		byRouter.set(s.row.routerId, list);
	}
	const free: Stored<RouterJob>[] = [];
	for (const list of byRouter.values()) {
		const held = list.some(
			(s) => s.row.state === 'running' && s.row.leaseUntil && Date.parse(s.row.leaseUntil) > now
		);
		if (held) continue;
		list.sort((a, b) => order(a.row, b.row));
		for (const s of list.slice(0, Math.max(1, max))) {
			if (s.row.leaseUntil !== undefined && Date.parse(s.row.leaseUntil) > now) break;
			free.push(s);
		}
	}
	return free.sort((a, b) => order(a.row, b.row));
}

const toAgentJob = (j: RouterJob, payload: Record<string, unknown>): AgentJob => ({
	id: j.id,
	routerId: j.routerId,
	kind: j.kind,
	payload,
	attempts: j.attempts,
	leaseUntil: j.leaseUntil ?? ''
});

/**
 * Claim the free head of each of the agent's queues, or up to `max` consecutive jobs of each
 * (all leased together; the router's next claim waits for all of them); every state change is a
 * synced write. Each job goes out with its payload completed from the rows as they are now
 * (agentPayload: the PPPoE password, a check's desired state), which the synced row never holds;
 * a job whose account has gone since is settled as failed instead of handed out.
 */
export async function claimJobs(
	db: Db,
	notifier: SeqNotifier,
	agent: AgentIdentity,
	leaseSeconds: number,
	signal?: AbortSignal,
	max = 1
): Promise<AgentJob[]> {
	// Most polls find nothing: look without the write lock first, so idle agents never queue
	// behind the apps' pushes.
	if (!claimable(await openJobs(db, agent.id), Date.now(), max).length) return [];
	if (signal?.aborted) return [];
	const claimed = await writeGuarded(db, async () => {
		const now = Date.now();
		const at = new Date(now).toISOString();
		const leaseUntil = new Date(now + leaseSeconds * 1000).toISOString();
		const writes: GuardedWrite[] = [];
		const jobs: AgentJob[] = [];
		const heads = claimable(await openJobs(db, agent.id), now, max);
		const reader = recordReader(db.client);
		await reader.prefetch(
			'pppoeAccount',
			heads.flatMap((h) =>
				h.row.kind === 'secret.ensure' && h.row.accountId ? [h.row.accountId] : []
			)
		);
		for (const head of heads) {
			const payload = await agentPayload(reader, head.row);
			if (!payload) {
				const gone = { ok: false, final: true, error: ACCOUNT_GONE };
				writes.push(...settle(head, gone, agent, leaseSeconds, now));
				continue;
			}
			const job: RouterJob = {
				...head.row,
				state: 'running',
				attempts: head.row.attempts + 1,
				leaseUntil,
				updatedAt: at
			};
			jobs.push(toAgentJob(job, payload));
			writes.push({ entity: 'routerJob', id: job.id, row: job, seenSeq: head.seq });
		}
		return { stmts: guardedStatements(writes, `agent:${agent.id}`, at), value: { jobs, writes } };
	});
	if (claimed.writes.length) notifier.bump(await currentSeq(db.client));
	return claimed.jobs;
}

/**
 * `GET /api/agent/jobs?wait=N&max=K`: claim now, or wait up to N seconds for something to claim;
 * up to K jobs per router (default 1).
 */
export async function pollJobs(
	db: Db,
	notifier: SeqNotifier,
	hub: AgentHub,
	agent: AgentIdentity,
	waitSeconds: number,
	signal?: AbortSignal,
	max = 1
): Promise<AgentJob[]> {
	const deadline = Date.now() + waitSeconds * 1000;
	for (;;) {
		// Taken before looking, so a job enqueued while we look still wakes the sleep below.
		const seen = hub.seq;
		const jobs = await claimJobs(db, notifier, agent, hub.options.leaseSeconds, signal, max);
		if (jobs.length) return jobs;
		const left = deadline - Date.now();
		if (left <= 0 || signal?.aborted || hub.closed) return [];
		await hub.sleep(Math.min(left, hub.options.pollMs), seen, signal);
	}
}

/** A result must stay small and shallow: it is stored in a synced row and read with json_extract. */
const MAX_RESULT_CHARS = 256 * 1024;
const MAX_RESULT_DEPTH = 16;

export function checkResultShape(result: unknown): void {
	const stack: [unknown, number][] = [[result, 1]];
	while (stack.length) {
		const [v, depth] = stack.pop() as [unknown, number];
		if (v === null || typeof v !== 'object') continue;
		if (depth > MAX_RESULT_DEPTH) {
			throw new AppError('invalid-field', 'El resultado está demasiado anidado', 'result');
		}
		for (const child of Object.values(v)) stack.push([child, depth + 1]);
	}
	if (result !== undefined && JSON.stringify(result).length > MAX_RESULT_CHARS) {
		throw new AppError('invalid-field', 'El resultado es demasiado grande', 'result');
	}
}

/** The Historial text of a finished job: "hecho", the ping figures, or "fallo: <router says>". */
function outcomeText(job: RouterJob): string {
	if (job.state === 'failed') return `fallo: ${job.error ?? 'sin detalle'}`.slice(0, 2000);
	const ping = job.kind === 'ping' ? pingResultOf(job.result) : undefined;
	if (ping) {
		return [
			`hecho: ${ping.received}/${ping.sent} respuestas, ${ping.loss} % pérdida`,
			ping.rttAvgMs === undefined ? '' : `, media ${ping.rttAvgMs} ms`
		].join('');
	}
	return 'hecho';
}

/** One job's result as the batch endpoint takes it. */
export type JobResultItem = { jobId: string; body: AgentJobResult };

/** The writes that settle one job with `body`, or none when it is settled already. */
function settle(
	stored: Stored<RouterJob>,
	body: AgentJobResult,
	agent: AgentIdentity,
	leaseSeconds: number,
	now: number
): GuardedWrite[] {
	const job = stored.row;
	if (job.state === 'done' || job.state === 'failed') return [];
	if (!body.ok && !body.final && job.state === 'queued') return [];
	const at = new Date(now).toISOString();
	const next: RouterJob = { ...job, updatedAt: at };
	delete next.leaseUntil;
	if (body.result !== undefined) {
		// A drift report keeps what differs, bounded: the row goes to every device.
		next.result =
			job.kind === 'router.check' && body.ok ? boundedDriftReport(body.result) : body.result;
	}
	if (body.ok) {
		next.state = 'done';
		delete next.error;
	} else {
		next.error = (body.error || 'El agente no dio detalle').slice(0, 1000);
		if (body.final) next.state = 'failed';
		else {
			next.state = 'queued';
			const delay = Math.min(
				RETRY_MAX_MS,
				leaseSeconds * 1000,
				1000 * 2 ** Math.max(0, job.attempts - 1)
			);
			next.leaseUntil = new Date(now + delay).toISOString();
		}
	}
	const writes: GuardedWrite[] = [
		{ entity: 'routerJob', id: job.id, row: next, seenSeq: stored.seq }
	];
	if (next.state !== 'queued') {
		const what = job.action ?? JOB_KIND_LABELS[job.kind];
		const by = { at, userName: `Agente ${agent.name}`, mutation: 'agent.result' };
		for (const line of jobResultLines(next, what, outcomeText(next), by)) {
			const entry: HistoryEntry = { id: randomUUID(), ...line };
			writes.push({
				entity: 'history',
				id: entry.id,
				row: entry,
				seenSeq: null,
				scopeOf: 'pppoeAccount'
			});
		}
	}
	return writes;
}

/**
 * Settle several jobs in one write batch. The first result of a job settles it; later ones (a
 * retry of the same post, the result of a run whose lease had expired, the same job twice in one
 * batch) change nothing. Returns the ids that are not jobs of this agent (nothing is written for
 * them; the others are still settled).
 */
export async function recordResults(
	db: Db,
	notifier: SeqNotifier,
	agent: AgentIdentity,
	items: JobResultItem[],
	leaseSeconds: number
): Promise<{ unknown: string[] }> {
	const { changed, unknown } = await writeGuarded(db, async () => {
		const ids = [...new Set(items.map((i) => i.jobId))];
		const found = new Map<string, Stored<RouterJob>>();
		// Chunks keep the statement under SQLite's bound-parameter limit.
		for (let i = 0; i < ids.length; i += 500) {
			const chunk = ids.slice(i, i + 500);
			const rows = await selectStored<RouterJob>(
				db.client,
				`SELECT data, seq, updated_at, deleted FROM records
					WHERE entity = 'routerJob' AND deleted = 0 AND id IN (${chunk.map(() => '?').join(',')})`,
				chunk
			);
			for (const r of rows) found.set(r.row.id, r);
		}
		// A router id belongs to one agent for ever (it is derived from the agent's id).
		const routerIds = [...new Set([...found.values()].map((s) => s.row.routerId))];
		const owned = new Set<string>();
		for (let i = 0; i < routerIds.length; i += 500) {
			const chunk = routerIds.slice(i, i + 500);
			const r = await db.client.execute({
				sql: `SELECT id FROM records WHERE entity = 'router' AND id IN (${chunk.map(() => '?').join(',')})
					AND json_extract(data, '$.agentId') = ?`,
				args: [...chunk, agent.id]
			});
			for (const row of r.rows) owned.add(String(row.id));
		}
		const now = Date.now();
		const writes: GuardedWrite[] = [];
		const unknownIds: string[] = [];
		const seen = new Set<string>();
		for (const item of items) {
			const stored = found.get(item.jobId);
			if (!stored || !owned.has(stored.row.routerId)) {
				unknownIds.push(item.jobId);
				continue;
			}
			if (seen.has(item.jobId)) continue;
			seen.add(item.jobId);
			writes.push(...settle(stored, item.body, agent, leaseSeconds, now));
		}
		const at = new Date(now).toISOString();
		return {
			stmts: writes.length ? guardedStatements(writes, `agent:${agent.id}`, at) : [],
			value: { changed: writes.length > 0, unknown: unknownIds }
		};
	});
	if (changed) notifier.bump(await currentSeq(db.client));
	return { unknown };
}

/**
 * `POST /api/agent/jobs/:id/result`. The first result of a job settles it; later ones (a retry
 * of the same post, the result of a run whose lease had expired) answer 200 and change nothing.
 * `final: false` hands the job back to its queue without calling it a failure.
 */
export async function recordResult(
	db: Db,
	notifier: SeqNotifier,
	agent: AgentIdentity,
	jobId: string,
	body: AgentJobResult,
	leaseSeconds: number
): Promise<void> {
	const { unknown } = await recordResults(db, notifier, agent, [{ jobId, body }], leaseSeconds);
	if (unknown.length) {
		throw new AppError('not-found', 'Ese trabajo no existe para este agente', undefined, 404);
	}
}
