import { z } from 'zod';
import { Id, text } from '../schemas/common';
import {
	CustomerFields,
	PROVISIONAL_CODE_PREFIX,
	ValidCustomer,
	checkCustomer,
	type Customer
} from '../schemas/customer';
import { applyPatch, patchSchema } from './patch';
import { ALL_ROLES, defineMutator, parseOrThrow, type MutatorTx } from './types';
import { alreadyExists, notFound } from './guards';
import { applyState } from './customer-state';
import { madridTime } from '../domain/madrid';

/** Customer codes: `C` + 5 digits from the server's counter (Configuración › series). */
export const CUSTOMER_CODE_PREFIX = 'C';
export const formatCustomerCode = (n: number) =>
	`${CUSTOMER_CODE_PREFIX}${String(n).padStart(5, '0')}`;

/** A provisional code a device can make alone; unique enough to tell offline customers apart. */
export const provisionalCode = (id: string) =>
	`${PROVISIONAL_CODE_PREFIX}${id.replace(/-/g, '').slice(0, 6).toUpperCase()}`;

export const CustomerCreateArgs = CustomerFields.extend({ id: Id, code: text(30) })
	.strict()
	.superRefine(checkCustomer);

export const customerCreate = defineMutator({
	name: 'customer.create',
	args: CustomerCreateArgs,
	roles: ALL_ROLES,
	async apply(tx: MutatorTx, args) {
		if (await tx.get('customer', args.id)) {
			throw alreadyExists('Ese cliente ya existe', 'id');
		}
		// The server owns the numbering; a device shows a provisional code until the push lands.
		const code = tx.ctx.server
			? formatCustomerCode(await tx.nextNumber('customer'))
			: (args.code ?? provisionalCode(args.id));
		const row: Customer = {
			...args,
			taxId: args.taxId
				.trim()
				.toUpperCase()
				.replace(/[\s.-]/g, ''),
			code,
			// Today as the office's calendar reads it (an ISO instant's day is UTC's).
			altaDate: args.altaDate ?? madridTime(tx.ctx.now).day,
			createdAt: tx.ctx.now,
			updatedAt: tx.ctx.now
		};
		await tx.put('customer', parseOrThrow(ValidCustomer, row));
	}
});

export const CustomerPatch = patchSchema(CustomerFields);

export const customerUpdate = defineMutator({
	name: 'customer.update',
	args: z
		.object({
			id: Id,
			patch: CustomerPatch,
			/** Why the state changed (optional; kept in Historial). */
			reason: text(500)
		})
		.strict(),
	roles: ALL_ROLES,
	async apply(tx, { id, patch, reason }) {
		const existing = await tx.get('customer', id);
		if (!existing) throw notFound('El cliente');
		const next = applyPatch(existing, patch);
		if (typeof patch.taxId === 'string')
			next.taxId = patch.taxId
				.trim()
				.toUpperCase()
				.replace(/[\s.-]/g, '');
		next.updatedAt = tx.ctx.now;
		// A change to a customer state goes through the state's rules (what it does to the service),
		// as "Cambiar estado" does; an id that is no customer state is kept as given.
		const state =
			next.stateId && next.stateId !== existing.stateId
				? await tx.get('setting', next.stateId)
				: undefined;
		if (state?.list !== 'customerState') {
			await tx.put('customer', parseOrThrow(ValidCustomer, next), reason ? { reason } : undefined);
			return;
		}
		const saved = parseOrThrow(ValidCustomer, { ...next, stateId: existing.stateId });
		await tx.put('customer', saved);
		const at = tx.ctx.now;
		await applyState(tx, saved, { stateId: state.id, reason, at, date: at.slice(0, 10) });
	}
});
