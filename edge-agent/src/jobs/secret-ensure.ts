/**
 * `secret.ensure`: the PPP secret exists with exactly the payload's password, profile and
 * remote-address (unset when absent: a static IP would override the offline pool), `disabled` as
 * given (absent = enabled) and the comment when one is given. Upsert by name as every ISP system
 * does (docs/router-work.md › What the handlers send), then kick the session when asked, since a
 * live session keeps its old profile and address.
 */
import type { z } from 'zod';
import { JobPayloads } from '@enlace/shared/protocol/agent';
import type { SecretEnsureResult } from '@enlace/shared/schemas/router';
import type { CommandParams, RouterOsRow } from '../routeros/client';
import { kickSessions } from './session-kick';
import {
	defineHandler,
	findByName,
	isTrap,
	routerBool,
	type JobContext,
	type RouterOs,
	type Settled
} from './types';

export type SecretPayload = z.infer<typeof JobPayloads.secretEnsure>;

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

/** Below this many secrets a batch reads each by name (pipelined); from it, the whole menu once. */
const FULL_PRINT_FROM = 8;

/** Reads the secrets of `names`: one print of the menu, or one print per name, all in flight. */
async function readSecrets(
	ros: RouterOs,
	names: string[],
	commandTimeoutMs: number
): Promise<Map<string, RouterOsRow>> {
	const wanted = new Set(names);
	const rows =
		names.length >= FULL_PRINT_FROM
			? await ros.print(
					MENU,
					{ proplist: ['.id', 'name', ...PROPS] },
					// Every secret of the router: a big menu takes longer than one command.
					{ timeoutMs: commandTimeoutMs * 4 }
				)
			: (
					await Promise.all(
						names.map((name) =>
							ros.print(MENU, { where: { name }, proplist: ['.id', 'name', ...PROPS] })
						)
					)
				).flat();
	const byName = new Map<string, RouterOsRow>();
	for (const row of rows) {
		if (wanted.has(row.name) && !byName.has(row.name)) byName.set(row.name, row);
	}
	return byName;
}

/** Add or converge one secret whose row (or its absence) was read already. */
async function upsert(
	ros: RouterOs,
	p: SecretPayload,
	found: RouterOsRow | undefined
): Promise<Omit<SecretEnsureResult, 'kicked'>> {
	let row = found;
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
			return { action: 'added', changed: [] };
		} catch (error) {
			// Someone (another tool, or our own earlier attempt whose answer was lost) added it
			// between print and add: it exists, so converge it instead.
			if (!isTrap(error, 'already exists')) throw error;
			row = await findByName(ros, MENU, p.name, PROPS);
			if (!row) throw error;
		}
	}
	const changed = await converge(ros, row, p);
	return { action: changed.length > 0 ? 'updated' : 'unchanged', changed };
}

/**
 * Several `secret.ensure` jobs of one router at once, each with its own outcome, as if run one
 * after the other: the names must be distinct (jobs on different secrets do not depend on each
 * other, so their commands may be in flight together over the one connection, told apart by
 * tags). One read, then the adds and sets pipelined, then the kicks. A trap fails only its own
 * job; a connection error fails every job it reaches, and the runner hands those back.
 */
async function secretEnsureBatch(
	{ ros, commandTimeoutMs }: JobContext,
	payloads: SecretPayload[]
): Promise<Settled[]> {
	const names = payloads.map((p) => p.name);
	if (new Set(names).size !== names.length) throw new Error('secretEnsureBatch: repeated names');
	let byName: Map<string, RouterOsRow>;
	try {
		byName = await readSecrets(ros, names, commandTimeoutMs);
	} catch (error) {
		return payloads.map(() => ({ ok: false, error }));
	}
	const upserts = await Promise.allSettled(payloads.map((p) => upsert(ros, p, byName.get(p.name))));
	return Promise.all(
		payloads.map(async (p, i): Promise<Settled> => {
			const upserted = upserts[i];
			if (upserted.status === 'rejected') return { ok: false, error: upserted.reason };
			try {
				const kicked = p.kick ? await kickSessions(ros, p.name) : 0;
				return { ok: true, value: { ...upserted.value, kicked } };
			} catch (error) {
				return { ok: false, error };
			}
		})
	);
}

/** The most `secret.ensure` jobs run as one batch on a router. */
const MAX_BATCH = 1000;

export const secretEnsure = defineHandler({
	payload: JobPayloads.secretEnsure,
	async run({ ros }, p): Promise<SecretEnsureResult> {
		const done = await upsert(ros, p, await findByName(ros, MENU, p.name, PROPS));
		const kicked = p.kick ? await kickSessions(ros, p.name) : 0;
		return { ...done, kicked };
	},
	batch: { max: MAX_BATCH, key: (p) => p.name, run: secretEnsureBatch }
});
