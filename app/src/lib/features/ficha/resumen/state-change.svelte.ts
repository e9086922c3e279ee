import { statePlan, type Customer, type Setting, type StateStep } from '@enlace/shared';
import { db } from '$lib/app.svelte';
import { fmtDate, t, todayIso } from '$lib/i18n/index.svelte';
import { live } from '$lib/live.svelte';
import { deviceName } from '../equipamiento/equipment-form';

/**
 * What a change of the customer's state will do, from this device's rows: the same `statePlan`
 * the mutator (customer.setState, customer.update) carries out, so the confirmation the user reads
 * is what happens — on this device at once, and on the routers when the server runs it.
 */
export function useStatePlan(customerId: () => string) {
	const accounts = live(
		() => db.pppoeAccount.where('customerId').equals(customerId()).toArray(),
		customerId
	);
	const pools = live(() => db.ipPool.toArray());
	// The customer's devices, named as Equipamiento names them: a baja lists those to recover.
	const equipment = live(async () => {
		const [rows, products] = await Promise.all([
			db.equipment.where('customerId').equals(customerId()).toArray(),
			db.equipmentProduct.toArray()
		]);
		const byId = new Map(products.map((p) => [p.id, p]));
		return rows.map((e) => ({ ...e, name: deviceName(e, byId) }));
	}, customerId);
	const assignments = live(async () => {
		const [rows, tariffs] = await Promise.all([
			db.tariffAssignment.where('customerId').equals(customerId()).toArray(),
			db.tariff.toArray()
		]);
		const names = new Map(tariffs.map((x) => [x.id, x.name]));
		return rows.map((a) => ({ ...a, name: names.get(a.tariffId) ?? t('Tarifa eliminada') }));
	}, customerId);

	return {
		get loaded() {
			return accounts.loaded && pools.loaded && assignments.loaded && equipment.loaded;
		},
		/**
		 * Resolves once the rows a plan reads are loaded (at most `maxMs`): a confirmation asked
		 * on a click made as the page opens would otherwise list fewer steps than will happen.
		 */
		async whenLoaded(maxMs = 5_000): Promise<void> {
			for (const until = Date.now() + maxMs; !this.loaded && Date.now() < until;) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		},
		plan(customer: Customer, target: Setting, current: Setting | undefined): StateStep[] {
			return statePlan({
				customer,
				target,
				current: current ?? (customer.stateId ? { id: customer.stateId } : undefined),
				accounts: accounts.current ?? [],
				routersWithOfflinePool: new Set(
					(pools.current ?? []).filter((p) => p.isOffline).map((p) => p.routerId)
				),
				date: todayIso(),
				assignments: assignments.current ?? [],
				equipment: equipment.current ?? []
			});
		}
	};
}

/** One step of a plan as the confirmation says it. */
export function stepText(step: StateStep): string {
	switch (step.kind) {
		case 'bajaDate':
			return t('Fecha de baja: {date}.', { date: fmtDate(step.date) });
		case 'clearBajaDate':
			return t('Se borra la fecha de baja.');
		case 'suspend':
			return t(
				'Cuenta «{user}»: servicio suspendido (perfil y pool de suspensión); su sesión se corta.',
				{ user: step.username }
			);
		case 'reactivate':
			return t('Cuenta «{user}»: servicio reactivado con su tarifa; su sesión se reinicia.', {
				user: step.username
			});
		case 'removeSecret':
			return t('Cuenta «{user}»: se elimina el secret del router; ya no podrá conectarse.', {
				user: step.username
			});
		case 'removeSecretOn':
			return t('Cuenta «{user}»: el secret se eliminará del router el {date}.', {
				user: step.username,
				date: fmtDate(step.on)
			});
		case 'noOfflinePool':
			return t(
				'Cuenta «{user}»: su router no tiene pool de suspensión, así que el servicio no se corta.',
				{ user: step.username }
			);
		case 'endTariff':
			return t('Tarifa «{name}»: de baja el {date}, último día que se cobra.', {
				name: step.name,
				date: fmtDate(step.date)
			});
		case 'dropTariff':
			return t('Tarifa «{name}»: no llegó a empezar y se elimina.', { name: step.name });
		case 'recoverEquipment':
			return t('Equipo a recuperar: {name}.', { name: step.name });
	}
}

/** A plan cuts someone off or removes something: the confirm button reads as dangerous. */
export const cutsOff = (steps: readonly StateStep[]) =>
	steps.some(
		(s) => s.kind === 'suspend' || s.kind === 'removeSecret' || s.kind === 'removeSecretOn'
	);
