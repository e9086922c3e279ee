/**
 * `profile.ensure` { name, rateLimit?, localAddress?, remoteAddress? }: the PPP profile of a tariff
 * (or the offline profile) exists with these values. Fields left out of the payload are left as
 * the router has them: an operator may tune a profile (DNS, queue type) beyond what Enlace knows.
 */
import { JobPayloads } from '@enlace/shared/protocol/agent';
import { defineHandler, findByName, isTrap } from './types';

const MENU = '/ppp/profile';

export const profileEnsure = defineHandler({
	payload: JobPayloads.profileEnsure,
	async run({ ros }, p) {
		const wanted: Record<string, string | undefined> = {
			'rate-limit': p.rateLimit,
			'local-address': p.localAddress,
			'remote-address': p.remoteAddress
		};
		const props = Object.keys(wanted);
		let row = await findByName(ros, MENU, p.name, props);
		if (!row) {
			try {
				await ros.add(MENU, { name: p.name, ...wanted });
				return { action: 'added', changed: [] };
			} catch (error) {
				if (!isTrap(error, 'already have such name') && !isTrap(error, 'already exists')) {
					throw error;
				}
				row = await findByName(ros, MENU, p.name, props);
				if (!row) throw error;
			}
		}
		const params: Record<string, string> = {};
		for (const [prop, value] of Object.entries(wanted)) {
			if (value !== undefined && (row[prop] ?? '') !== value) params[prop] = value;
		}
		const changed = Object.keys(params);
		if (changed.length > 0) await ros.set(MENU, row['.id'], params);
		return { action: changed.length > 0 ? 'updated' : 'unchanged', changed };
	}
});
