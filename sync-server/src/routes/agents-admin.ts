import { Hono } from 'hono';
import { parseOrThrow } from '@enlace/shared';
import type { Db } from '../db/client';
import { jsonBody, type AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import {
	AgentCreate,
	createAgent,
	listAgents,
	revokeAgent,
	rotateAgentToken
} from '../agent/tokens';
import type { SeqNotifier } from '../sync/notifier';

/**
 * Edge agents, for admins (Configuración › Agentes). Like users, over plain HTTP: a token is
 * shown once, in the answer that creates it, and never travels through sync.
 */
export function agentAdminRoutes(db: Db, notifier: SeqNotifier) {
	return (
		new Hono<AppEnv>()
			.use('/agents', requireUser(db, ['admin']))
			.use('/agents/*', requireUser(db, ['admin']))
			.get('/agents', async (c) => c.json({ agents: await listAgents(db) }))
			.post('/agents', async (c) => {
				const { name } = parseOrThrow(AgentCreate, await jsonBody(c));
				return c.json(await createAgent(db, name), 201);
			})
			// A new token for the same agent: its router ids, accounts and jobs stay.
			.post('/agents/:id/rotate', async (c) =>
				c.json(await rotateAgentToken(db, c.req.param('id')))
			)
			.delete('/agents/:id', async (c) =>
				c.json({ agent: await revokeAgent(db, notifier, c.req.param('id')) })
			)
	);
}
