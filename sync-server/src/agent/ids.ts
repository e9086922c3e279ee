import { createHash } from 'node:crypto';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * A router's id, stable for one agent + router name: an agent that restarts, or is reinstalled
 * with the same token, finds its routers (and their queues) again. UUID-shaped (version 8,
 * "custom") like the ids devices make, so nothing downstream treats it differently.
 */
export function routerIdFor(agentId: string, name: string): string {
	const h = sha256(`router\u0000${agentId}\u0000${name}`);
	const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The cmiStatus row of a username on a router: `routerId:username`. Ids are at most 64
 * characters, and a router id plus a 64-character session name can be longer; those take a
 * hash of the name instead (the row still carries the username, which is what screens match).
 */
export function cmiStatusId(routerId: string, username: string): string {
	const plain = `${routerId}:${username}`;
	return plain.length <= 64
		? plain
		: `${routerId}:#${sha256(username).slice(0, 62 - routerId.length)}`;
}
