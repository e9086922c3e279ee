import { z } from 'zod';
import { AppError } from '../protocol/errors';
import {
	ContractObject,
	TariffAssignmentObject,
	checkAssignment,
	checkContract,
	rangesOverlap,
	type Contract,
	type TariffAssignment
} from '../schemas/contract';
import { Id, IsoDate } from '../schemas/common';
import type { PppoeAccount } from '../schemas/router';
import { crudMutators } from './crud';
import { alreadyExists, notFound } from './guards';
import { ALL_ROLES, OFFICE_ROLES, defineMutator, type Mutator, type MutatorTx } from './types';
import { ensureSecret, ensureTariffProfile, onlineProfile } from './router/jobs';
import { madridTime } from '../domain/madrid';

/**
 * Contratos Op. (`contract.*`) and Asignación de tarifas (`tariffAssignment.*`): create, update
 * and delete through the shared CRUD, with the rules of the customer file:
 *
 * - dates in order (the schemas);
 * - a contract's address and payment method are the same customer's;
 * - a contract's payment method is chosen by the office only (a technician's phone never holds
 *   payment methods); the contract stores the method's type beside it, derived here, so every
 *   device can say how the customer pays without the bank data;
 * - an assignment's contract and PPPoE account are the same customer's, its tariff exists;
 * - a contract never has the same tariff twice on the same days: two of a tariff is quantity 2;
 * - a PPPoE account takes its profile from at most one assignment on any day, and when that
 *   assignment's tariff changes or it ends, the account follows (`syncAccountTariff`).
 */

const invalid = (message: string, field: string) => new AppError('invalid-field', message, field);

/** A row of another customer is as good as missing: it must not be linked, nor named. */
async function ownRow<E extends 'address' | 'paymentMethod' | 'contract' | 'pppoeAccount'>(
	tx: MutatorTx,
	entity: E,
	id: string,
	customerId: string,
	message: string,
	field: string
) {
	const row = await tx.get(entity, id);
	if (!row || (row as { customerId: string }).customerId !== customerId) {
		throw invalid(message, field);
	}
	return row;
}

async function checkContractRow(tx: MutatorTx, row: Contract, existing?: Contract) {
	if (existing && existing.customerId !== row.customerId) {
		throw new AppError('conflict', 'El contrato es de otro cliente', 'customerId', 409);
	}
	if (row.addressId && row.addressId !== existing?.addressId) {
		await ownRow(
			tx,
			'address',
			row.addressId,
			row.customerId,
			'Esa dirección no es de este cliente',
			'addressId'
		);
	}
	if (row.paymentMethodId !== existing?.paymentMethodId) {
		if (!OFFICE_ROLES.includes(tx.ctx.role)) {
			throw new AppError(
				'forbidden',
				'Solo la oficina puede elegir la forma de pago de un contrato',
				'paymentMethodId',
				403
			);
		}
		if (row.paymentMethodId) {
			await ownRow(
				tx,
				'paymentMethod',
				row.paymentMethodId,
				row.customerId,
				'Esa forma de pago no es de este cliente',
				'paymentMethodId'
			);
		}
	}
}

/**
 * The payment type is the method's, read where the method is held (the server, an office
 * device); elsewhere the stored one stays. A type sent by a device is never trusted.
 */
async function deriveContract(tx: MutatorTx, row: Contract, existing?: Contract) {
	const { paymentTypeId: _sent, ...rest } = row;
	if (!row.paymentMethodId) return rest;
	const method = await tx.get('paymentMethod', row.paymentMethodId);
	const typeId =
		method?.typeId ??
		(existing?.paymentMethodId === row.paymentMethodId ? existing.paymentTypeId : undefined);
	return typeId ? { ...rest, paymentTypeId: typeId } : rest;
}

export const contractMutators = crudMutators({
	entity: 'contract',
	noun: 'El contrato',
	object: ContractObject,
	refine: checkContract,
	roles: ALL_ROLES,
	parent: 'customer',
	check: checkContractRow,
	derive: deriveContract,
	async deletable(tx, contract) {
		const used = (await tx.findBy('tariffAssignment', 'customerId', contract.customerId)).filter(
			(a) => a.contractId === contract.id
		);
		if (used.length) {
			throw new AppError(
				'in-use',
				`El contrato tiene ${used.length} tarifa(s) asignada(s): elimínelas o déles de baja antes`,
				undefined,
				409
			);
		}
	}
});

const range = (a: TariffAssignment) => ({ start: a.startDate, end: a.endDate });

async function checkAssignmentRow(
	tx: MutatorTx,
	row: TariffAssignment,
	existing?: TariffAssignment
) {
	if (existing && existing.customerId !== row.customerId) {
		throw new AppError('conflict', 'La asignación es de otro cliente', 'customerId', 409);
	}
	await ownRow(
		tx,
		'contract',
		row.contractId,
		row.customerId,
		'Ese contrato no es de este cliente',
		'contractId'
	);
	const tariff = await tx.get('tariff', row.tariffId);
	if (!tariff) throw notFound('La tarifa', 'tariffId');
	if (!tariff.active && row.tariffId !== existing?.tariffId) {
		throw invalid('Esa tarifa ya no se ofrece (está inactiva en Configuración)', 'tariffId');
	}
	const siblings = (await tx.findBy('tariffAssignment', 'customerId', row.customerId)).filter(
		(a) => a.id !== row.id
	);
	const twice = siblings.find(
		(a) =>
			a.contractId === row.contractId &&
			a.tariffId === row.tariffId &&
			rangesOverlap(range(a), range(row))
	);
	if (twice) {
		throw alreadyExists(
			'Este contrato ya tiene esa tarifa en esas fechas: para tener dos, aumente la cantidad de la asignación que ya existe',
			'startDate'
		);
	}
	if (row.pppoeAccountId) {
		if (row.pppoeAccountId !== existing?.pppoeAccountId) {
			await ownRow(
				tx,
				'pppoeAccount',
				row.pppoeAccountId,
				row.customerId,
				'Esa cuenta PPPoE no es de este cliente',
				'pppoeAccountId'
			);
		}
		const other = siblings.find(
			(a) => a.pppoeAccountId === row.pppoeAccountId && rangesOverlap(range(a), range(row))
		);
		if (other) {
			throw alreadyExists(
				'Esa cuenta PPPoE ya toma su perfil de otra tarifa en esas fechas: dé de baja esa tarifa antes',
				'pppoeAccountId'
			);
		}
	}
}

/**
 * The tariff an account linked to `linked` (its assignments) must have on `today`: the
 * assignment running that day, else the next one to start (a service installed before its first
 * day), else none (every linked assignment has ended: the router's default profile).
 * `undefined`: the account is linked to no assignment, and keeps the tariff of its own.
 */
export function linkedTariffOn(
	linked: readonly Pick<TariffAssignment, 'id' | 'tariffId' | 'startDate' | 'endDate'>[],
	today: string
): string | null | undefined {
	if (!linked.length) return undefined;
	const sorted = [...linked].sort(
		(a, b) => a.startDate.localeCompare(b.startDate) || a.id.localeCompare(b.id)
	);
	const running = sorted.find((a) => a.startDate <= today && (!a.endDate || a.endDate >= today));
	const coming = sorted.find((a) => a.startDate > today);
	return (running ?? coming)?.tariffId ?? null;
}

/** `linkedTariffOn` for an account, from its customer's assignments in the store. */
export async function linkedTariffId(
	tx: MutatorTx,
	account: Pick<PppoeAccount, 'id' | 'customerId'>,
	today: string
): Promise<string | null | undefined> {
	const all = await tx.findBy('tariffAssignment', 'customerId', account.customerId);
	return linkedTariffOn(
		all.filter((a) => a.pppoeAccountId === account.id),
		today
	);
}

/**
 * Brings a linked account to its assignment's tariff: the row's tariff and profile, and (server)
 * the jobs that put the profile and the secret on the router, kicking the session so it picks the
 * new profile up. An account in "Servicio suspendido" keeps its suspension profile; it takes the
 * new tariff's when it is reactivated. `today` (default: the day in Madrid now) is the day whose
 * assignment counts.
 */
export async function syncAccountTariff(
	tx: MutatorTx,
	accountId: string,
	today = madridTime(tx.ctx.now).day
): Promise<void> {
	const account = await tx.get('pppoeAccount', accountId);
	if (!account) return;
	const linked = await linkedTariffId(tx, account, today);
	if (linked === undefined) return;
	const tariffId = linked ?? undefined;
	if (tariffId === account.tariffId) return;
	const tariff = tariffId ? await tx.get('tariff', tariffId) : undefined;
	const { tariffId: _old, ...rest } = account;
	const next: PppoeAccount = {
		...rest,
		...(tariffId ? { tariffId } : {}),
		profile: account.offline ? account.profile : onlineProfile(tariff),
		updatedAt: tx.ctx.now
	};
	await tx.put('pppoeAccount', next);
	if (account.offline) return;
	await ensureTariffProfile(tx, account.routerId, tariff);
	await ensureSecret(tx, next, true, 'Cambio de tarifa');
}

export const tariffAssignmentMutators = crudMutators({
	entity: 'tariffAssignment',
	noun: 'La asignación de tarifa',
	object: TariffAssignmentObject,
	refine: checkAssignment,
	roles: ALL_ROLES,
	parent: 'customer',
	check: checkAssignmentRow,
	async written(tx, before, after) {
		const accounts = new Set(
			[before?.pppoeAccountId, after?.pppoeAccountId].filter((x): x is string => !!x)
		);
		for (const id of [...accounts].sort()) await syncAccountTariff(tx, id);
	}
});

/**
 * The server's hourly sweep (sync-server/src/sync/scheduled-changes.ts) for an account whose
 * linked assignment starts or ends by `today`: a tariff changed from next month, or a baja with
 * a date ahead, reaches the router on its day without anyone writing the assignment again.
 * Nothing happens when the account already has its tariff.
 */
export const pppoeApplyDatedTariff = defineMutator({
	name: 'pppoe.applyDatedTariff',
	args: z.object({ id: Id, today: IsoDate }).strict(),
	roles: ['admin'],
	async apply(tx, { id, today }) {
		await syncAccountTariff(tx, id, today);
	}
});

export const contractAllMutators: Mutator[] = [
	...contractMutators,
	...tariffAssignmentMutators,
	pppoeApplyDatedTariff as Mutator
];
