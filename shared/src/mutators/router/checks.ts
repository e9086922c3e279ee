import { z } from 'zod';
import { Id } from '../../schemas/common';
import { mikrotikProfile, type PppoeAccount } from '../../schemas/router';
import { OFFICE_ROLES, defineMutator } from '../types';
import { notFound } from '../guards';
import {
	OFFLINE_PROFILE,
	compact,
	enqueue,
	ensureSecret,
	poolsOf,
	routerOrThrow,
	secretAddress,
	tariffOf,
	type RowReader
} from './jobs';

/**
 * Whole routers: compare one with what Enlace says it should hold, or write that again. What
 * Enlace manages on a router is its IP pools, the PPP profiles its secrets name (the tariffs' and
 * the suspension profile), and the secrets; a router reset or replaced lacks all three, and a
 * secret naming a profile the router lacks is refused ("input does not match any value of
 * profile"), so the check reports and the re-apply writes all three, in that order.
 */

async function accountsOf(tx: RowReader, routerId: string): Promise<PppoeAccount[]> {
	const rows = await tx.findBy('pppoeAccount', 'routerId', routerId);
	return rows.sort((a, b) => a.username.localeCompare(b.username));
}

type DesiredPool = { name: string; ranges: string };
type DesiredProfile = { name: string; rateLimit?: string; remoteAddress?: string };

/** The router's pools as the `pool.ensure` payloads write them, by name. */
async function desiredPools(tx: RowReader, routerId: string): Promise<DesiredPool[]> {
	return (await poolsOf(tx, routerId))
		.map((p) => ({ name: p.name, ranges: p.ranges }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The profiles `accounts` need, as the `profile.ensure` payloads write them: the suspension
 * profile (when the router has a suspension pool) and the profile of each tariff in use.
 */
async function desiredProfiles(
	tx: RowReader,
	routerId: string,
	accounts: PppoeAccount[]
): Promise<DesiredProfile[]> {
	const profiles = new Map<string, DesiredProfile>();
	const router = await tx.get('router', routerId);
	const offlinePool = (await poolsOf(tx, routerId)).find((p) => p.isOffline);
	if (offlinePool) {
		const name = router?.offlineProfile ?? OFFLINE_PROFILE;
		profiles.set(name, { name, remoteAddress: offlinePool.name });
	}
	for (const a of accounts) {
		if (a.offline || profiles.has(a.profile)) continue;
		const tariff = await tariffOf(tx, a);
		if (!tariff) continue;
		const p = mikrotikProfile(tariff);
		if (p.name === a.profile) profiles.set(p.name, { name: p.name, rateLimit: p.rateLimit });
	}
	return [...profiles.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What a `router.check` compares the router with: every account of the router (name, password,
 * profile, static IP), its IP pools and the profiles the accounts need. Built by the server when
 * an agent claims the check, from the rows as they are then; the synced job row holds none of it
 * (it would put every password of a router on every device, and make one row as large as the
 * router).
 */
export async function routerCheckPayload(tx: RowReader, routerId: string) {
	const all = await accountsOf(tx, routerId);
	const accounts = all.map((a) =>
		compact({
			name: a.username,
			password: a.password,
			profile: a.profile,
			remoteAddress: secretAddress(a)
		})
	);
	const pools = await desiredPools(tx, routerId);
	const profiles = await desiredProfiles(tx, routerId, all);
	return { accounts, pools, profiles };
}

/**
 * Compare the router with what Enlace says it should hold; the agent reports the drift. The job
 * row's payload is empty: what to compare with is built when an agent claims it.
 */
export const routerCheck = defineMutator({
	name: 'router.check',
	args: z.object({ routerId: Id }).strict(),
	roles: OFFICE_ROLES,
	async apply(tx, { routerId }) {
		await routerOrThrow(tx, routerId, 'routerId');
		await enqueue(tx, { routerId, kind: 'router.check', payload: {} });
	}
});

/**
 * Write the router's pools and the profiles the accounts need again, then the desired secrets
 * (all of the router's, or the ones given).
 */
export const routerReapply = defineMutator({
	name: 'router.reapply',
	args: z.object({ routerId: Id, accountIds: z.array(Id).min(1).max(10_000).optional() }).strict(),
	roles: OFFICE_ROLES,
	async apply(tx, { routerId, accountIds }) {
		await routerOrThrow(tx, routerId, 'routerId');
		let accounts = await accountsOf(tx, routerId);
		if (accountIds) {
			const wanted = new Set(accountIds);
			const known = new Set(accounts.map((a) => a.id));
			if ([...wanted].some((id) => !known.has(id))) {
				throw notFound('Alguna de las cuentas PPPoE de este router', 'accountIds');
			}
			accounts = accounts.filter((a) => wanted.has(a.id));
		}
		if (!tx.ctx.server) return;
		for (const payload of await desiredPools(tx, routerId)) {
			await enqueue(tx, { routerId, kind: 'pool.ensure', payload });
		}
		for (const payload of await desiredProfiles(tx, routerId, accounts)) {
			await enqueue(tx, { routerId, kind: 'profile.ensure', payload });
		}
		for (const a of accounts) await ensureSecret(tx, a, false, 'Reaplicar secret');
	}
});
