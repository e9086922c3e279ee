import { IpPool, type Router } from '../../schemas/router';
import { crudMutators } from '../crud';
import { ADMIN_ONLY, type MutatorTx } from '../types';
import { alreadyExists } from '../guards';
import {
	OFFLINE_PROFILE,
	enqueue,
	ensureOfflineProfile,
	offlinePoolOf,
	poolsOf,
	routerOrThrow
} from './jobs';

async function setOfflineProfile(tx: MutatorTx, routerId: string, name: string | undefined) {
	const router = await tx.get('router', routerId);
	if (!router || router.offlineProfile === name) return;
	const next: Router = { ...router };
	if (name) next.offlineProfile = name;
	else delete next.offlineProfile;
	await tx.put('router', next);
}

/**
 * After a pool is written or removed: one offline pool per router (marking one un-marks the
 * other), the router's offline profile follows it, and the jobs run in an order the router
 * accepts: the new pool, then the profile that points at it, then the removal of the old pool.
 */
async function poolWritten(tx: MutatorTx, before: IpPool | undefined, after: IpPool | undefined) {
	const moved =
		!!before && (!after || before.routerId !== after.routerId || before.name !== after.name);
	if (after && (!before || moved || before.ranges !== after.ranges)) {
		await enqueue(tx, {
			routerId: after.routerId,
			kind: 'pool.ensure',
			payload: { name: after.name, ranges: after.ranges }
		});
	}
	if (after?.isOffline) {
		const others = await poolsOf(tx, after.routerId);
		for (const p of others.sort((x, y) => x.id.localeCompare(y.id))) {
			if (p.id === after.id || !p.isOffline) continue;
			await tx.put('ipPool', { ...p, isOffline: false, updatedAt: tx.ctx.now });
		}
		const router = await tx.get('router', after.routerId);
		const profile = router?.offlineProfile ?? OFFLINE_PROFILE;
		await setOfflineProfile(tx, after.routerId, profile);
		if (!before?.isOffline || moved) await ensureOfflineProfile(tx, after.routerId, after, profile);
	}
	if (before?.isOffline && (!after?.isOffline || before.routerId !== after.routerId)) {
		if (!(await offlinePoolOf(tx, before.routerId))) {
			await setOfflineProfile(tx, before.routerId, undefined);
		}
	}
	if (before && moved) {
		await enqueue(tx, {
			routerId: before.routerId,
			kind: 'pool.remove',
			payload: { name: before.name }
		});
	}
}

export const ipPoolMutators = crudMutators({
	entity: 'ipPool',
	noun: 'El pool de IP',
	object: IpPool,
	roles: ADMIN_ONLY,
	async check(tx, row) {
		await routerOrThrow(tx, row.routerId, 'routerId');
		const clash = (await poolsOf(tx, row.routerId)).find(
			(p) => p.id !== row.id && p.name === row.name
		);
		if (clash) {
			throw alreadyExists('Ya hay un pool con ese nombre en este router', 'name');
		}
	},
	written: poolWritten
});
