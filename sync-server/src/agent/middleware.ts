import { createMiddleware } from 'hono/factory';
import { AppError } from '@enlace/shared';
import type { Db } from '../db/client';
import { agentByToken, touchAgent, type AgentIdentity } from './tokens';

export type AgentEnv = { Variables: { agent: AgentIdentity; requestId: string } };

/** `Authorization: Bearer <agent token>`; a user's session token is not an agent token. */
export const requireAgent = (db: Db) =>
	createMiddleware<AgentEnv>(async (c, next) => {
		const token = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
		const agent = token ? await agentByToken(db, token) : undefined;
		if (!agent) {
			throw new AppError('unauthorized', 'Token de agente no válido o revocado', undefined, 401);
		}
		await touchAgent(db, agent);
		c.set('agent', agent);
		await next();
	});
