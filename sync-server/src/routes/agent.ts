import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import {
	AgentJobResult,
	AgentJobResults,
	AgentStatus,
	AppError,
	parseOrThrow
} from '@enlace/shared';
import type { Db } from '../db/client';
import { jsonBody } from '../http';
import { hello, AgentHelloIn } from '../agent/hello';
import type { AgentHub } from '../agent/hub';
import { checkResultShape, pollJobs, recordResult, recordResults } from '../agent/jobs';
import { requireAgent, type AgentEnv } from '../agent/middleware';
import { applyStatus } from '../agent/status';
import type { SeqNotifier } from '../sync/notifier';

/** The largest body an agent may post (a batch of results or a status report). */
export const MAX_AGENT_BODY_BYTES = 16 * 1024 * 1024;

/** The longest long poll (the protocol's `wait`), in seconds. */
export const MAX_WAIT_SECONDS = 30;

const limit = (bytes: number) =>
	bodyLimit({
		maxSize: bytes,
		onError: (c) => {
			// The rest of the body is not read: the socket cannot be reused (see routes/sync.ts).
			c.header('connection', 'close');
			throw new AppError('payload-too-large', 'Demasiados datos en un solo envío', undefined, 413);
		}
	});

function waitParam(raw: string | undefined): number {
	if (raw === undefined || raw === '') return 0;
	if (!/^\d{1,6}$/.test(raw)) throw new AppError('bad-request', 'Parámetro wait no válido', 'wait');
	return Math.min(Number(raw), MAX_WAIT_SECONDS);
}

/** The most jobs per router one claim hands out (the protocol's `max`). */
export const MAX_JOBS_PER_CLAIM = 2000;

function maxParam(raw: string | undefined): number {
	if (raw === undefined || raw === '') return 1;
	if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
		throw new AppError('bad-request', 'Parámetro max no válido', 'max');
	}
	return Math.min(Number(raw), MAX_JOBS_PER_CLAIM);
}

/** The edge agent's API (shared/src/protocol/agent.ts), behind the agent's bearer token. */
export function agentRoutes(db: Db, notifier: SeqNotifier, hub: AgentHub) {
	return new Hono<AgentEnv>()
		.use('/agent/*', requireAgent(db))
		.post('/agent/hello', limit(1024 * 1024), async (c) => {
			const body = parseOrThrow(AgentHelloIn, await jsonBody(c));
			return c.json(await hello(db, notifier, c.get('agent'), body, hub.options));
		})
		.get('/agent/jobs', async (c) => {
			const wait = waitParam(c.req.query('wait'));
			const max = maxParam(c.req.query('max'));
			const agent = c.get('agent');
			const jobs = await pollJobs(db, notifier, hub, agent, wait, c.req.raw.signal, max);
			return c.json({ jobs });
		})
		.post('/agent/jobs/:id/result', limit(1024 * 1024), async (c) => {
			const id = c.req.param('id');
			const body = parseOrThrow(AgentJobResult, await jsonBody(c));
			checkResultShape(body.result);
			if (id.length > 64) {
				throw new AppError('not-found', 'Ese trabajo no existe para este agente', undefined, 404);
			}
			await recordResult(db, notifier, c.get('agent'), id, body, hub.options.leaseSeconds);
			return c.json({ ok: true });
		})
		.post('/agent/results', limit(MAX_AGENT_BODY_BYTES), async (c) => {
			const body = parseOrThrow(AgentJobResults, await jsonBody(c));
			for (const r of body.results) checkResultShape(r.result);
			const items = body.results.map(({ jobId, ...result }) => ({ jobId, body: result }));
			const { unknown } = await recordResults(
				db,
				notifier,
				c.get('agent'),
				items,
				hub.options.leaseSeconds
			);
			return c.json({ ok: true as const, unknown });
		})
		.post('/agent/status', limit(MAX_AGENT_BODY_BYTES), async (c) => {
			const body = parseOrThrow(AgentStatus, await jsonBody(c));
			await applyStatus(db, notifier, c.get('agent'), body);
			return c.json({ ok: true });
		});
}
