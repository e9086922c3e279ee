import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, text } from '../schemas/common';
import { TariffAssignment } from '../schemas/contract';
import { ValidCustomer, type Customer } from '../schemas/customer';
import type { PppoeAccount } from '../schemas/router';
import { toRecover, type Equipment } from '../schemas/equipment';
import { stateServiceOf, type Setting } from '../schemas/setting';
import { syncAccountTariff } from './contract';
import { customerOrThrow, notFound } from './guards';
import { offlinePoolOf } from './router/jobs';
import { deleteAccount, setOfflineMode } from './router/pppoe';
import { ALL_ROLES, defineMutator, parseOrThrow, type MutatorTx } from './types';

/**
 * A customer's life cycle drives the service (docs/router-work.md, "Customer states"). The state's
 * service (Configuración › Estados de cliente) says what follows from it; `statePlan` lists those
 * steps from the rows as they are, and is the one list both the confirmation the user reads and
 * the mutator that carries it out use, so what is shown is what happens.
 */

/** One consequence of a state change. */
export type StateStep =
	| { kind: 'bajaDate'; date: string }
	| { kind: 'clearBajaDate' }
	| { kind: 'suspend'; accountId: string; username: string }
	| { kind: 'reactivate'; accountId: string; username: string }
	| { kind: 'removeSecret'; accountId: string; username: string }
	| { kind: 'removeSecretOn'; accountId: string; username: string; on: string }
	/** Offline mode is impossible: the account's router has no suspension pool. */
	| { kind: 'noOfflinePool'; accountId: string; username: string }
	/** A running tariff assignment ends on the fecha de baja (its last day charged). */
	| { kind: 'endTariff'; assignmentId: string; name: string; date: string }
	/** An assignment that would start after the baja never runs: it is removed. */
	| { kind: 'dropTariff'; assignmentId: string; name: string }
	/**
	 * A rented or lent device still installed: the baja lists it to be collected ("Retirar" in
	 * Equipamiento). Only said, never done by the state change.
	 */
	| { kind: 'recoverEquipment'; equipmentId: string; name: string };

/** A device as the plan needs it: what it is called, whose it is, whether it is still there. */
export type PlanEquipment = Pick<Equipment, 'id' | 'ownership' | 'state'> & { name: string };

/** A tariff assignment as the plan needs it: its dates and the tariff's name. */
export type PlanAssignment = { id: string; name: string; startDate: string; endDate?: string };

export type StatePlanInput = {
	customer: Pick<Customer, 'stateId' | 'bajaDate' | 'altaDate'>;
	target: Pick<Setting, 'id' | 'service' | 'removeSecretAfterDays'>;
	/** The state the customer is in now (undefined: none, or a state since deleted). */
	current?: Pick<Setting, 'id' | 'service'>;
	accounts: readonly Pick<PppoeAccount, 'id' | 'username' | 'routerId' | 'offline'>[];
	/** Routers that have a suspension pool. */
	routersWithOfflinePool: ReadonlySet<string>;
	/** The day of the change, on the device that decided it. */
	date: string;
	/** The customer's tariff assignments (Asignación de tarifas), ended by a baja. */
	assignments?: readonly PlanAssignment[];
	/** The customer's devices (Equipamiento): a baja lists those to recover. */
	equipment?: readonly PlanEquipment[];
};

/** `date` plus `days` (ISO dates, UTC arithmetic: no daylight-saving surprises). */
export function addDays(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** What changing to `target` does, from the rows as they are now (nothing when nothing differs). */
export function statePlan(input: StatePlanInput): StateStep[] {
	const service = stateServiceOf(input.target);
	const was = stateServiceOf(input.current);
	const steps: StateStep[] = [];
	const accounts = [...input.accounts].sort((a, b) => a.username.localeCompare(b.username));
	if (service === 'baja') {
		// A fecha de baja already written (typed in the form beside the state) is kept.
		let bajaDay = input.customer.bajaDate;
		if (!bajaDay) {
			// The baja cannot come before the alta (a customer entered with a future alta).
			const alta = input.customer.altaDate;
			bajaDay = alta && alta > input.date ? alta : input.date;
			steps.push({ kind: 'bajaDate', date: bajaDay });
		}
		const days = input.target.removeSecretAfterDays ?? 0;
		for (const a of accounts) {
			const who = { accountId: a.id, username: a.username };
			if (days === 0) {
				steps.push({ kind: 'removeSecret', ...who });
				continue;
			}
			if (!a.offline) {
				steps.push(
					input.routersWithOfflinePool.has(a.routerId)
						? { kind: 'suspend', ...who }
						: { kind: 'noOfflinePool', ...who }
				);
			}
			steps.push({ kind: 'removeSecretOn', ...who, on: addDays(input.date, days) });
		}
		// After the accounts: a linked account follows its assignment only if it is still there.
		steps.push(...tariffEnds(input.assignments ?? [], bajaDay));
		for (const e of [...(input.equipment ?? [])].filter(toRecover)) {
			steps.push({ kind: 'recoverEquipment', equipmentId: e.id, name: e.name });
		}
		return steps;
	}
	if (was === 'baja' && input.customer.bajaDate) steps.push({ kind: 'clearBajaDate' });
	for (const a of accounts) {
		const who = { accountId: a.id, username: a.username };
		if (service === 'cortado' && !a.offline) {
			steps.push(
				input.routersWithOfflinePool.has(a.routerId)
					? { kind: 'suspend', ...who }
					: { kind: 'noOfflinePool', ...who }
			);
		} else if (service === 'activo' && a.offline) {
			steps.push({ kind: 'reactivate', ...who });
		}
	}
	return steps;
}

/** The assignments a baja on `day` ends (running past it) or removes (starting after it). */
function tariffEnds(assignments: readonly PlanAssignment[], day: string): StateStep[] {
	return [...assignments]
		.filter((a) => !a.endDate || a.endDate > day)
		.sort((a, b) => a.startDate.localeCompare(b.startDate) || a.id.localeCompare(b.id))
		.map((a) =>
			a.startDate > day
				? { kind: 'dropTariff', assignmentId: a.id, name: a.name }
				: { kind: 'endTariff', assignmentId: a.id, name: a.name, date: day }
		);
}

/** The plan from storage: the customer's accounts and which of their routers can suspend. */
async function planFromTx(
	tx: MutatorTx,
	customer: Customer,
	target: Setting,
	date: string
): Promise<{ steps: StateStep[]; accounts: PppoeAccount[] }> {
	const accounts = await tx.findBy('pppoeAccount', 'customerId', customer.id);
	const assignments: PlanAssignment[] = [];
	for (const a of await tx.findBy('tariffAssignment', 'customerId', customer.id)) {
		const tariff = await tx.get('tariff', a.tariffId);
		assignments.push({ ...a, name: tariff?.name ?? a.tariffId });
	}
	const withPool = new Set<string>();
	for (const routerId of new Set(accounts.map((a) => a.routerId))) {
		if (await offlinePoolOf(tx, routerId)) withPool.add(routerId);
	}
	const current = customer.stateId ? await tx.get('setting', customer.stateId) : undefined;
	const steps = statePlan({
		customer,
		target,
		current: current ?? (customer.stateId ? { id: customer.stateId } : undefined),
		accounts,
		routersWithOfflinePool: withPool,
		date,
		assignments
	});
	return { steps, accounts };
}

/**
 * A baja's end of a tariff assignment: the fecha de baja becomes its last day charged (or, if it
 * had not started, it is removed), through the row's own schema; a linked PPPoE account then
 * follows (`syncAccountTariff`), as when the office ends the tariff by hand.
 */
async function endAssignment(tx: MutatorTx, step: Extract<StateStep, { assignmentId: string }>) {
	const row = await tx.get('tariffAssignment', step.assignmentId);
	if (!row) return;
	if (step.kind === 'dropTariff') await tx.del('tariffAssignment', row.id);
	else {
		const ended = { ...row, endDate: step.date, updatedAt: tx.ctx.now };
		await tx.put('tariffAssignment', parseOrThrow(TariffAssignment, ended));
	}
	if (row.pppoeAccountId) await syncAccountTariff(tx, row.pppoeAccountId);
}

/** The job label of each step, as Historial shows it: the state and what it does. */
const jobAction = (state: string, what: string) => `${state}: ${what}`.slice(0, 80);

/** Carry the plan out: the account changes and (server) their router jobs. */
async function runSteps(
	tx: MutatorTx,
	steps: readonly StateStep[],
	accounts: readonly PppoeAccount[],
	stateName: string
) {
	const byId = new Map(accounts.map((a) => [a.id, a]));
	for (const step of steps) {
		if ('assignmentId' in step) await endAssignment(tx, step);
		if (!('accountId' in step)) continue;
		const a = byId.get(step.accountId);
		if (!a) continue;
		if (step.kind === 'suspend')
			await setOfflineMode(tx, a, true, jobAction(stateName, 'Suspender servicio'));
		else if (step.kind === 'reactivate')
			await setOfflineMode(tx, a, false, jobAction(stateName, 'Reactivar servicio'));
		else if (step.kind === 'removeSecret')
			await deleteAccount(tx, a, jobAction(stateName, 'Eliminar secret'));
	}
}

export const CustomerSetStateArgs = z
	.object({
		id: Id,
		stateId: z.string().min(1, 'Elija el estado').max(64),
		/** Why (optional; kept in Historial on the state line). */
		reason: text(500),
		/** When the user decided it, on their device (the later decision wins). */
		at: IsoDateTime,
		/** The day of the change where the user is (the fecha de baja). */
		date: IsoDate
	})
	.strict();
export type CustomerSetStateArgs = z.infer<typeof CustomerSetStateArgs>;

/**
 * The state row a change goes to, which must be a customer state. A state someone deleted meanwhile
 * is refused on the field.
 */
async function targetState(tx: MutatorTx, stateId: string): Promise<Setting> {
	const target = await tx.get('setting', stateId);
	if (!target || target.list !== 'customerState') throw notFound('El estado', 'stateId');
	return target;
}

/**
 * Change a customer's state and everything it drives, as one change: the customer row (state,
 * fecha de baja, when the state changed), the accounts (offline mode, removed) and, on the server,
 * their router jobs in order. Last decision wins: a change decided before the customer's current
 * state was (another device's, synced earlier) changes nothing, so two devices that changed the
 * state offline end with one state and the jobs of that state, whichever syncs first.
 */
export async function applyState(
	tx: MutatorTx,
	customer: Customer,
	args: { stateId: string; reason?: string; at: string; date: string }
): Promise<void> {
	const target = await targetState(tx, args.stateId);
	// A device's clock ahead of the server's must not win every later decision.
	const at = tx.ctx.server && args.at > tx.ctx.now ? tx.ctx.now : args.at;
	if (customer.stateChangedAt && at < customer.stateChangedAt) return;
	const planned = await planFromTx(tx, customer, target, args.date);
	const accounts = planned.accounts;
	// What the plan only tells the user (devices to collect) is not a change to make.
	const steps = planned.steps.filter((s) => s.kind !== 'recoverEquipment');
	if (customer.stateId === target.id && !steps.length) {
		// Nothing to do, but the decision is the latest: an earlier one synced later must not win.
		if (at > (customer.stateChangedAt ?? '')) {
			await tx.put('customer', { ...customer, stateChangedAt: at, updatedAt: tx.ctx.now });
		}
		return;
	}

	const next: Customer = { ...customer, stateId: target.id, stateChangedAt: at };
	for (const step of steps) {
		if (step.kind === 'bajaDate') next.bajaDate = step.date;
		if (step.kind === 'clearBajaDate') delete next.bajaDate;
	}
	const removeOn = steps.find((s) => s.kind === 'removeSecretOn');
	if (removeOn) next.secretRemovalOn = removeOn.on;
	else delete next.secretRemovalOn;
	next.updatedAt = tx.ctx.now;
	await tx.put(
		'customer',
		parseOrThrow(ValidCustomer, next),
		args.reason ? { reason: args.reason } : undefined
	);
	await runSteps(tx, steps, accounts, target.name);
}

export const customerSetState = defineMutator({
	name: 'customer.setState',
	args: CustomerSetStateArgs,
	roles: ALL_ROLES,
	async apply(tx, args) {
		const customer = await customerOrThrow(tx, args.id);
		await applyState(tx, customer, args);
	}
});

/**
 * The server's daily sweep for bajas whose secrets go after some days: on `secretRemovalOn` (or
 * later), if the customer is still in a baja state, its accounts and their secrets are removed.
 * A customer back in service meanwhile has no `secretRemovalOn` any more (applyState clears it).
 */
export const customerRemoveDueSecrets = defineMutator({
	name: 'customer.removeDueSecrets',
	args: z.object({ id: Id, today: IsoDate }).strict(),
	roles: ['admin'],
	async apply(tx, { id, today }) {
		const customer = await customerOrThrow(tx, id);
		if (!customer.secretRemovalOn || customer.secretRemovalOn > today) return;
		const state = customer.stateId ? await tx.get('setting', customer.stateId) : undefined;
		const next: Customer = { ...customer, updatedAt: tx.ctx.now };
		delete next.secretRemovalOn;
		await tx.put('customer', next);
		if (stateServiceOf(state ?? { id: customer.stateId ?? '' }) !== 'baja') return;
		const label = state?.name ?? 'Baja';
		for (const a of await tx.findBy('pppoeAccount', 'customerId', id))
			await deleteAccount(tx, a, jobAction(label, 'Eliminar secret'));
	}
});
