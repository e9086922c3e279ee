/**
 * `secret.ensure`: the PPP secret exists with exactly the payload's password, profile and
 * remote-address (unset when absent: a static IP would override the offline pool), `disabled` as
 * given (absent = enabled) and the comment when one is given. Upsert by name as every ISP system
 * does (routeros-api.md §1.9), then kick the session when asked, since a live session keeps its
 * old profile and address.
 */
import type { z } from 'zod';
import { JobPayloads } from '@enlace/shared/protocol/agent';
import type { CommandParams, RouterOsRow } from '../routeros/client';
import { kickSessions } from './session-kick';
import { defineHandler, findByName, isTrap, routerBool, type RouterOs } from './types';

type SecretPayload = z.infer<typeof JobPayloads.secretEnsure>;

const MENU = '/ppp/secret';
const PROPS = ['password', 'profile', 'remote-address', 'comment', 'disabled'] as const;

/** Differing fields as `set` parameters, named as in the payload for the result. */
function differences(
	row: RouterOsRow,
	p: SecretPayload
): { params: CommandParams; fields: string[] } {
	const params: Record<string, string | boolean> = {};
	const fields: string[] = [];
	const change = (field: string, prop: string, value: string | boolean) => {
		params[prop] = value;
		fields.push(field);
	};
	// Without the `sensitive` policy the router does not print passwords: set it to be sure.
	if (row.password !== p.password) change('password', 'password', p.password);
	if (row.profile !== p.profile) change('profile', 'profile', p.profile);
	if (p.remoteAddress !== undefined && row['remote-address'] !== p.remoteAddress) {
		change('remoteAddress', 'remote-address', p.remoteAddress);
	}
	if (p.comment !== undefined && (row.comment ?? '') !== p.comment) {
		change('comment', 'comment', p.comment);
	}
	const disabled = p.disabled ?? false;
	if (routerBool(row.disabled) !== disabled) change('disabled', 'disabled', disabled);
	return { params, fields };
}

async function converge(ros: RouterOs, row: RouterOsRow, p: SecretPayload): Promise<string[]> {
	const id = row['.id'];
	const { params, fields } = differences(row, p);
	if (fields.length > 0) await ros.set(MENU, id, params);
	if (p.remoteAddress === undefined && row['remote-address']) {
		await ros.unset(MENU, id, 'remote-address');
		fields.push('remoteAddress');
	}
	return fields;
}

export const secretEnsure = defineHandler({
	payload: JobPayloads.secretEnsure,
	async run({ ros }, p) {
		let row = await findByName(ros, MENU, p.name, PROPS);
		let action: 'added' | 'updated' | 'unchanged' = 'added';
		let changed: string[] = [];
		if (!row) {
			try {
				await ros.add(MENU, {
					name: p.name,
					password: p.password,
					profile: p.profile,
					service: 'pppoe',
					'remote-address': p.remoteAddress,
					comment: p.comment,
					disabled: p.disabled ? true : undefined
				});
			} catch (error) {
				// Someone (another tool, or our own earlier attempt whose answer was lost) added it
				// between print and add: it exists, so converge it instead (§1.9 "Race").
				if (!isTrap(error, 'already exists')) throw error;
				row = await findByName(ros, MENU, p.name, PROPS);
				if (!row) throw error;
			}
		}
		if (row) {
			changed = await converge(ros, row, p);
			action = changed.length > 0 ? 'updated' : 'unchanged';
		}
		const kicked = p.kick ? await kickSessions(ros, p.name) : 0;
		return { action, changed, kicked };
	}
});
