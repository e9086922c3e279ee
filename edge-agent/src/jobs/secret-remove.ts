/** `secret.remove` { name }: no secret with this name, and no session left running on it. */
import { JobPayloads } from '@enlace/shared/protocol/agent';
import { kickSessions } from './session-kick';
import { defineHandler, removeIfPresent } from './types';

export const secretRemove = defineHandler({
	payload: JobPayloads.name,
	async run({ ros }, { name }) {
		const rows = await ros.print('/ppp/secret', { where: { name }, proplist: ['.id', 'name'] });
		let removed = 0;
		for (const row of rows) {
			if (row.name === name && (await removeIfPresent(ros, '/ppp/secret', row['.id']))) {
				removed += 1;
			}
		}
		// Removing the secret does not end its session; the customer would stay online.
		const kicked = await kickSessions(ros, name);
		return { removed, kicked };
	}
});
