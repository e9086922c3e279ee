import { AppError } from '../../protocol/errors';
import { Tariff, mikrotikProfile, type PppoeAccount } from '../../schemas/router';
import { crudMutators } from '../crud';
import { OFFICE_ROLES, type MutatorTx } from '../types';
import { allRouters, ensureProfile, ensureSecret } from './jobs';

/**
 * After a tariff is written: its profile on every router when the profile changed; a renamed
 * profile also moves the accounts on that tariff to the new name (and kicks them, like any
 * profile change). A speed change alone updates the profile in place: sessions pick the new
 * limit up when they reconnect, rather than cutting every customer on the tariff at once.
 */
async function tariffWritten(tx: MutatorTx, before: Tariff | undefined, after: Tariff) {
	const next = mikrotikProfile(after);
	const prev = before ? mikrotikProfile(before) : undefined;
	if (prev && prev.name === next.name && prev.rateLimit === next.rateLimit) return;
	if (tx.ctx.server) {
		for (const r of await allRouters(tx)) await ensureProfile(tx, r.id, after);
	}
	if (!prev || prev.name === next.name) return;
	const accounts = await tx.findBy('pppoeAccount', 'tariffId', after.id);
	for (const a of accounts.sort((x, y) => x.id.localeCompare(y.id))) {
		if (a.offline) continue;
		const moved: PppoeAccount = { ...a, profile: next.name, updatedAt: tx.ctx.now };
		await tx.put('pppoeAccount', moved);
		await ensureSecret(tx, moved, true);
	}
}

export const tariffMutators = crudMutators({
	entity: 'tariff',
	noun: 'La tarifa',
	object: Tariff,
	roles: OFFICE_ROLES,
	async written(tx, before, after) {
		if (after) await tariffWritten(tx, before, after);
	},
	async deletable(tx, tariff) {
		// An account whose tariff vanished could no longer be saved or brought back online.
		const users = await tx.findBy('pppoeAccount', 'tariffId', tariff.id);
		if (users.length) {
			throw new AppError(
				'in-use',
				`La tarifa está asignada a ${users.length} cuenta(s) PPPoE: cámbielas antes de eliminarla`,
				undefined,
				409
			);
		}
		// An assignment whose tariff vanished would drop out of the previo and of the invoices.
		const assigned = await tx.findBy('tariffAssignment', 'tariffId', tariff.id);
		if (assigned.length) {
			throw new AppError(
				'in-use',
				`La tarifa está asignada a ${assigned.length} contrato(s) de clientes: márquela como inactiva en lugar de eliminarla`,
				undefined,
				409
			);
		}
	}
});
