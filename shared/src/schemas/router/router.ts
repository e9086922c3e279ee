import { z } from 'zod';
import { Id, IsoDateTime, text } from '../common';

/**
 * Router work (docs/router-work.md). Routers are declared by edge agents; their admin credentials
 * stay on the agent's box and never appear in any of these rows.
 */
export const Router = z.object({
	id: Id,
	agentId: Id,
	name: z.string().min(1).max(64),
	host: z.string().max(255),
	port: z.number().int().min(1).max(65535),
	tls: z.boolean(),
	/** From the last successful contact (/system/resource, /system/identity). */
	version: text(40),
	identity: text(120),
	state: z.enum(['unknown', 'up', 'down']),
	lastContactAt: IsoDateTime.optional(),
	lastError: text(500),
	sessionsOnline: z.number().int().min(0).optional(),
	/** The PPP profile of a suspended service on this router (its pool is the offline pool). */
	offlineProfile: text(64)
});
export type Router = z.infer<typeof Router>;

/** "CMI activo": one row per PPPoE account seen by a router, online or last seen. */
export const CmiStatus = z.object({
	id: Id,
	routerId: Id,
	username: z.string().max(64),
	customerId: Id.optional(),
	accountId: Id.optional(),
	online: z.boolean(),
	address: text(64),
	uptime: text(40),
	callerId: text(64),
	since: IsoDateTime.optional(),
	lastSeenAt: IsoDateTime.optional()
});
export type CmiStatus = z.infer<typeof CmiStatus>;
