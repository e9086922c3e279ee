/**
 * `session.kick` { name }: no active PPP session for this name, so the customer's router dials
 * again and picks up a new profile, password or address (they never apply to a live session).
 * No session at all is success.
 */
import { JobPayloads } from '@enlace/shared/protocol/agent';
import { defineHandler, removeIfPresent, type RouterOs } from './types';

/** Removes every active session of `name` (several when the profile allows `only-one=no`). */
export async function kickSessions(ros: RouterOs, name: string): Promise<number> {
	// Session ids are per session: read them now, never reuse ones from an earlier print.
	const sessions = await ros.print('/ppp/active', { where: { name }, proplist: ['.id', 'name'] });
	let kicked = 0;
	for (const session of sessions) {
		if (session.name !== name || !session['.id']) continue;
		// A session that ends on its own between print and remove is exactly what we wanted.
		if (await removeIfPresent(ros, '/ppp/active', session['.id'])) kicked += 1;
	}
	return kicked;
}

export const sessionKick = defineHandler({
	payload: JobPayloads.name,
	async run({ ros }, { name }) {
		return { kicked: await kickSessions(ros, name) };
	}
});
