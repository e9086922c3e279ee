import { z } from 'zod';
import { JOB_KINDS } from '../schemas/router';

/**
 * The edge agent ↔ server protocol (docs/router-work.md). The agent authenticates with
 * `Authorization: Bearer <agent token>` (made by an admin in the app, shown once, stored hashed).
 * Router admin credentials never appear here: they stay in the agent's config file.
 *
 *   POST /api/agent/hello            AgentHello → AgentHelloReply
 *   GET  /api/agent/jobs?wait=25&max=100  → AgentJobsReply (long poll; claims with a lease)
 *   POST /api/agent/jobs/:id/result  AgentJobResult → { ok: true }
 *   POST /api/agent/results          AgentJobResults → AgentJobResultsReply
 *
 * Batches (added compatibly to protocol 1; an agent that sends neither `max` nor the batch post
 * sees what it always did):
 * - `max` (1…2000, default 1): up to that many consecutive jobs of each router, in queue order,
 *   all leased at once. The router's next claim waits until every one of them is settled or its
 *   lease has run out, so a router still has one batch in hand at a time, run in order.
 * - `/results`: the results of several jobs (in the order they were run), settled in one write.
 *   Each is treated as the single post would treat it (first result wins, repeats change
 *   nothing); ids that are not this agent's jobs are listed in `unknown` (the single post would
 *   answer 404) and the others are still settled. A server without it answers 404 to the whole
 *   post: the agent then posts results one by one.
 *   POST /api/agent/status           AgentStatus → { ok: true }
 */

export const AGENT_PROTOCOL_VERSION = 1;

export const AgentRouterDecl = z.object({
	/** The router's name in the agent's config; unique per agent. */
	name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'Nombre de router: letras, números, . _ -'),
	host: z.string().min(1).max(255),
	port: z.number().int().min(1).max(65535),
	tls: z.boolean()
});
export type AgentRouterDecl = z.infer<typeof AgentRouterDecl>;

export const AgentHello = z.object({
	agentVersion: z.string().max(40),
	protocol: z.number().int(),
	routers: z.array(AgentRouterDecl).max(500)
});
export type AgentHello = z.infer<typeof AgentHello>;

/** The server's id of each declared router (ids are stable for an agent + router name). */
export const AgentHelloReply = z.object({
	agentId: z.string(),
	routers: z.array(z.object({ id: z.string(), name: z.string() })),
	/** How long a claimed job stays the agent's before the server hands it out again. */
	leaseSeconds: z.number().positive(),
	/** How often the agent should post /status. */
	statusIntervalSeconds: z.number().positive()
});
export type AgentHelloReply = z.infer<typeof AgentHelloReply>;

/** A claimed job as the agent receives it: the desired end state in `payload`. */
export const AgentJob = z.object({
	id: z.string().min(1),
	routerId: z.string(),
	kind: z.enum(JOB_KINDS),
	payload: z.record(z.string(), z.unknown()),
	attempts: z.number().int().min(0),
	leaseUntil: z.string()
});
export type AgentJob = z.infer<typeof AgentJob>;

/**
 * A job as an agent reads it, one by one so one odd job cannot hide the others of a reply: any
 * kind (a newer server may send kinds this agent does not know: it answers them as invalid), and
 * the informational fields defaulted rather than refused.
 */
export const ReceivedAgentJob = AgentJob.extend({
	kind: z.string(),
	attempts: AgentJob.shape.attempts.catch(0),
	leaseUntil: AgentJob.shape.leaseUntil.catch('')
});
export type ReceivedAgentJob = z.infer<typeof ReceivedAgentJob>;

export const AgentJobsReply = z.object({ jobs: z.array(AgentJob) });
export type AgentJobsReply = z.infer<typeof AgentJobsReply>;

/**
 * Payloads by kind, as the agent receives them (what `payload` holds). The synced job row holds
 * less — a `secret.ensure` without `password`, a `router.check` with an empty payload — and the
 * server completes it from the current rows when the agent claims the job (agentPayload in
 * mutators/router/agent-payload.ts), so what an agent receives is unchanged in protocol 1:
 * - secret.ensure  { name, password, profile, remoteAddress?: string, comment?: string, disabled?: boolean, kick?: boolean }
 *                  the secret exists with exactly these values (remote-address unset when absent); kick: remove its active session after
 *                  → result SecretEnsureResult { action, changed, kicked } (schemas/router/job.ts)
 * - secret.remove  { name }  no secret with this name (and its session kicked)
 * - session.kick   { name }  no active session for this name (none is fine)
 * - ping           { address, count }  → result PingResult { sent, received, loss, rttMinMs?, rttAvgMs?, rttMaxMs? }
 * - profile.ensure { name, rateLimit?: string, localAddress?: string, remoteAddress?: string (a pool name) }
 * - pool.ensure    { name, ranges }     pool.remove { name }
 * - router.check   { accounts: [{ name, password, profile, remoteAddress?: string }],
 *                    pools?: [{ name, ranges }], profiles?: [{ name, rateLimit?, localAddress?, remoteAddress? }] }
 *                  → result DriftReport { missing: string[], different: [{ name, fields: string[] }], unknown: string[],
 *                    pools?: { missing, different }, profiles?: { missing, different } }
 *                    (unknown = secrets on the router that Enlace does not manage; pools and profiles are
 *                    reported when the payload lists them, profile fields compared only when given)
 */
export const JobPayloads = {
	secretEnsure: z.object({
		name: z.string(),
		password: z.string(),
		profile: z.string(),
		remoteAddress: z.string().optional(),
		comment: z.string().optional(),
		disabled: z.boolean().optional(),
		kick: z.boolean().optional()
	}),
	name: z.object({ name: z.string() }),
	ping: z.object({ address: z.string(), count: z.number().int().min(1).max(20) }),
	profileEnsure: z.object({
		name: z.string(),
		rateLimit: z.string().optional(),
		localAddress: z.string().optional(),
		remoteAddress: z.string().optional()
	}),
	poolEnsure: z.object({ name: z.string(), ranges: z.string() }),
	routerCheck: z.object({
		accounts: z.array(
			z.object({
				name: z.string(),
				password: z.string(),
				profile: z.string(),
				remoteAddress: z.string().optional()
			})
		),
		pools: z.array(z.object({ name: z.string(), ranges: z.string() })).optional(),
		profiles: z
			.array(
				z.object({
					name: z.string(),
					rateLimit: z.string().optional(),
					localAddress: z.string().optional(),
					remoteAddress: z.string().optional()
				})
			)
			.optional()
	})
};

export const AgentJobResult = z.object({
	ok: z.boolean(),
	/** Ping figures, drift report… */
	result: z.record(z.string(), z.unknown()).optional(),
	/** The router's own message (a !trap text) or the agent's, on failure. */
	error: z.string().max(1000).optional(),
	/** false: the job could not run now (router unreachable) and should be retried later. */
	final: z.boolean().default(true)
});
export type AgentJobResult = z.infer<typeof AgentJobResult>;

export const AgentJobResults = z.object({
	results: z
		.array(AgentJobResult.extend({ jobId: z.string().min(1).max(64) }))
		.min(1)
		.max(1000)
});
export type AgentJobResults = z.infer<typeof AgentJobResults>;
export const AgentJobResultsReply = z.object({ ok: z.literal(true), unknown: z.array(z.string()) });
export type AgentJobResultsReply = z.infer<typeof AgentJobResultsReply>;

export const AgentSession = z.object({
	name: z.string().max(64),
	address: z.string().max(64).optional(),
	uptime: z.string().max(40).optional(),
	callerId: z.string().max(64).optional()
});

export const AgentStatus = z.object({
	routers: z
		.array(
			z.object({
				routerId: z.string(),
				reachable: z.boolean(),
				error: z.string().max(500).optional(),
				version: z.string().max(40).optional(),
				identity: z.string().max(120).optional(),
				/** The whole /ppp/active list when reachable. */
				sessions: z.array(AgentSession).max(100_000).optional()
			})
		)
		.max(500)
});
export type AgentStatus = z.infer<typeof AgentStatus>;

export { JOB_KINDS };
