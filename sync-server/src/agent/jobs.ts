import { randomUUID } from 'node:crypto';
import {
	AppError,
	type AgentJobResult,
	JOB_KIND_LABELS,
	type AgentJob,
	type HistoryEntry,
	type RouterJob
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';
import type { AgentHub } from './hub';
import {
	guardedStatements,
	selectStored,
	writeGuarded,
	type GuardedWrite,
	type Stored
} from './records';
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

/** The head of each router's queue, when it is free to be claimed now. */
function claimable(open: Stored<RouterJob>[], now: number): Stored<RouterJob>[] {
	const byRouter = new Map<string, Stored<RouterJob>[]>();
	for (const s of open) {
		const list = byRouter.get(s.row.routerId) ?? [];
		list.push(s);
		byRouter.set(s.row.routerId, list);
	}
	const heads: Stored<RouterJob>[] = [];
	for (const list of byRouter.values()) {
		const head = list.sort((a, b) => order(a.row, b.row))[0];
		const held = list.some(
			(s) => s.row.state === 'running' && s.row.leaseUntil && Date.parse(s.row.leaseUntil) > now
		);
		const waiting = head.row.leaseUntil !== undefined && Date.parse(head.row.leaseUntil) > now;
		if (!held && !waiting) heads.push(head);
	}
	return heads.sort((a, b) => order(a.row, b.row));
}

const toAgentJob = (j: RouterJob): AgentJob => ({
	id: j.id,
	routerId: j.routerId,
	kind: j.kind,
	payload: j.payload,
	attempts: j.attempts,
	leaseUntil: j.leaseUntil ?? ''
});

/** Claim the free head of each of the agent's queues; every state change is a synced write. */
export async function claimJobs(
	db: Db,
	notifier: SeqNotifier,
	agent: AgentIdentity,
	leaseSeconds: number,
	signal?: AbortSignal
): Promise<AgentJob[]> {
	// Most polls find nothing: look without the write lock first, so idle agents never queue
	// behind the apps' pushes.
	if (!claimable(await openJobs(db, agent.id), Date.now()).length) return [];
	if (signal?.aborted) return [];
	const claimed = await writeGuarded(db, async () => {
		const now = Date.now();
		const at = new Date(now).toISOString();
		const leaseUntil = new Date(now + leaseSeconds * 1000).toISOString();
		const writes: GuardedWrite[] = [];
		const jobs: RouterJob[] = [];
		for (const head of claimable(await openJobs(db, agent.id), now)) {
			const job: RouterJob = {
				...head.row,
				state: 'running',
				attempts: head.row.attempts + 1,
				leaseUntil,
				updatedAt: at
			};
			jobs.push(job);
			writes.push({ entity: 'routerJob', id: job.id, row: job, seenSeq: head.seq });
		}
		return { stmts: guardedStatements(writes, `agent:${agent.id}`, at), value: jobs };
	});
	if (claimed.length) notifier.bump(await currentSeq(db.client));
	return claimed.map(toAgentJob);
}

/** `GET /api/agent/jobs?wait=N`: claim now, or wait up to N seconds for something to claim. */
export async function pollJobs(
	db: Db,
	notifier: SeqNotifier,
	hub: AgentHub,
	agent: AgentIdentity,
	waitSeconds: number,
	signal?: AbortSignal
): Promise<AgentJob[]> {
	const deadline = Date.now() + waitSeconds * 1000;
	for (;;) {
		// Taken before looking, so a job enqueued while we look still wakes the sleep below.
		const seen = hub.seq;
		const jobs = await claimJobs(db, notifier, agent, hub.options.leaseSeconds, signal);
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

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The Historial text of a finished job: "hecho", the ping figures, or "fallo: <router says>". */
function outcomeText(job: RouterJob): string {
	if (job.state === 'failed') return `fallo: ${job.error ?? 'sin detalle'}`.slice(0, 2000);
	const r = job.result ?? {};
	if (job.kind === 'ping' && num(r.sent) !== undefined && num(r.received) !== undefined) {
		const avg = num(r.rttAvgMs);
		const loss = num(r.loss);
		return [
			`hecho: ${num(r.received)}/${num(r.sent)} respuestas`,
			loss === undefined ? '' : `, ${loss} % pérdida`,
			avg === undefined ? '' : `, media ${avg} ms`
		].join('');
	}
	return 'hecho';
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
	const changed = await writeGuarded(db, async () => {
		const [stored] = await selectStored<RouterJob>(
			db.client,
			`SELECT data, seq, updated_at, deleted FROM records
				WHERE entity = 'routerJob' AND id = ? AND deleted = 0`,
			[jobId]
		);
		// A router id belongs to one agent for ever (it is derived from the agent's id).
		const owner = stored
			? await db.client.execute({
					sql: `SELECT 1 FROM records WHERE entity = 'router' AND id = ?
						AND json_extract(data, '$.agentId') = ?`,
					args: [stored.row.routerId, agent.id]
				})
			: undefined;
		if (!stored || !owner?.rows.length) {
			throw new AppError('not-found', 'Ese trabajo no existe para este agente', undefined, 404);
		}
		const job = stored.row;
		if (job.state === 'done' || job.state === 'failed') return { stmts: [], value: false };
		if (!body.ok && !body.final && job.state === 'queued') return { stmts: [], value: false };
		const now = Date.now();
		const at = new Date(now).toISOString();
		const next: RouterJob = { ...job, updatedAt: at };
		delete next.leaseUntil;
		if (body.result !== undefined) next.result = body.result;
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
		if (next.state !== 'queued' && job.customerId) {
			const line: HistoryEntry = {
				id: randomUUID(),
				customerId: job.customerId,
				kind: 'auto',
				at,
				userName: `Agente ${agent.name}`.slice(0, 120),
				entity: 'routerJob',
				entityId: job.id,
				field: (job.action ?? JOB_KIND_LABELS[job.kind]).slice(0, 60),
				oldValue: null,
				newValue: outcomeText(next),
				mutation: 'agent.result'
			};
			writes.push({
				entity: 'history',
				id: line.id,
				row: line,
				seenSeq: null,
				scopeOf: 'pppoeAccount'
			});
		}
		return { stmts: guardedStatements(writes, `agent:${agent.id}`, at), value: true };
	});
	if (changed) notifier.bump(await currentSeq(db.client));
}
