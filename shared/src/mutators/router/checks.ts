import { z } from 'zod';
import { Id } from '../../schemas/common';
import { mikrotikProfile, type PppoeAccount } from '../../schemas/router';
import { OFFICE_ROLES, defineMutator, type MutatorTx } from '../types';
import { notFound } from '../guards';
import {
	compact,
	desiredSecret,
	enqueue,
	ensureOfflineProfile,
	ensureSecret,
	ensureTariffProfile,
	offlinePoolOf,
	routerOrThrow,
	tariffOf
} from './jobs';

/** Whole routers: compare one with what Enlace says it should hold, or write that again. */

async function accountsOf(tx: MutatorTx, routerId: string): Promise<PppoeAccount[]> {
	const rows = await tx.findBy('pppoeAccount', 'routerId', routerId);
	return rows.sort((a, b) => a.username.localeCompare(b.username));
}

/** Compare the router with what Enlace says it should hold; the agent reports the drift. */
export const routerCheck = defineMutator({
	name: 'router.check',
	args: z.object({ routerId: Id }).strict(),
	roles: OFFICE_ROLES,
	async apply(tx, { routerId }) {
		await routerOrThrow(tx, routerId, 'routerId');
		if (!tx.ctx.server) return;
		const accounts = [];
		for (const a of await accountsOf(tx, routerId)) {
			const s = await desiredSecret(tx, a);
			accounts.push(
				compact({
					name: a.username,
					password: a.password,
					profile: a.profile,
					remoteAddress: s.remoteAddress
				})
			);
		}
		await enqueue(tx, { routerId, kind: 'router.check', payload: { accounts } });
	}
});

/** Write the desired secrets again (all of the router's, or the ones given), profiles first. */
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
		const profiles = new Set<string>();
		const pool = await offlinePoolOf(tx, routerId);
		for (const a of accounts) {
			if (profiles.has(a.profile)) continue;
			profiles.add(a.profile);
			if (a.offline) {
				if (pool) await ensureOfflineProfile(tx, routerId, pool, a.profile);
				continue;
			}
			const tariff = await tariffOf(tx, a);
			if (tariff && mikrotikProfile(tariff).name === a.profile) {
				await ensureTariffProfile(tx, routerId, tariff);
			}
		}
		for (const a of accounts) await ensureSecret(tx, a, false, 'Reaplicar secret');
	}
});
