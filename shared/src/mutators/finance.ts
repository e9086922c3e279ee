import { z } from 'zod';
import { normalizeBic } from '../domain/bic';
import { normalizeIban } from '../domain/iban';
import { AppError } from '../protocol/errors';
import { Id } from '../schemas/common';
import {
	PAYMENT_TERM_KEYS,
	PaymentMethod,
	PaymentMethodFields,
	PaymentTerms,
	paymentMethodIssues,
	type PaymentMethod as PaymentMethodRow
} from '../schemas/finance';
import type { Setting } from '../schemas/setting';
import { applyPatch, patchSchema } from './patch';
import { OFFICE_ROLES, defineMutator, parseOrThrow, type Mutator, type MutatorTx } from './types';
import { alreadyExists, customerOrThrow, notFound } from './guards';

// Bank data is for the office: a technician's push of any of these is refused `forbidden`.
const ROLES = OFFICE_ROLES;

export const PaymentMethodCreateArgs = PaymentMethodFields.extend({
	id: Id,
	customerId: Id,
	isDefault: z.boolean().optional()
}).strict();

export const PaymentMethodPatch = patchSchema(
	PaymentMethodFields.extend({ isDefault: z.boolean() })
);

export const PaymentTermsPatch = patchSchema(PaymentTerms);

/** The "Varios" fields of a row (to move them to the new default). */
function termsOf(row: PaymentMethodRow): Partial<PaymentMethodRow> {
	const out: Record<string, unknown> = {};
	for (const k of PAYMENT_TERM_KEYS) if (row[k] !== undefined) out[k] = row[k];
	return out as Partial<PaymentMethodRow>;
}

function withoutTerms(row: PaymentMethodRow): PaymentMethodRow {
	const out: Record<string, unknown> = { ...row };
	for (const k of PAYMENT_TERM_KEYS) delete out[k];
	return out as PaymentMethodRow;
}

/** Stored forms: IBAN and BIC without spaces, upper case; the mandate reference trimmed. */
function normalize(row: PaymentMethodRow): PaymentMethodRow {
	const out = { ...row };
	if (out.iban) out.iban = normalizeIban(out.iban);
	if (out.bic) out.bic = normalizeBic(out.bic);
	if (out.mandateReference) out.mandateReference = out.mandateReference.trim();
	for (const k of ['name', 'accountHolder', 'bankName', 'notes'] as const) {
		const v = out[k]?.trim();
		if (v) out[k] = v;
		else delete out[k];
	}
	return out;
}

async function methodType(tx: MutatorTx, typeId: string, keep?: string): Promise<Setting> {
	const type = await tx.get('setting', typeId);
	// A deactivated type stays valid on the methods that already have it, like every setting.
	if (!type || type.list !== 'paymentMethodType' || (!type.active && type.id !== keep)) {
		throw new AppError('invalid-field', 'Ese tipo de forma de pago no existe', 'typeId');
	}
	return type;
}

const byAge = (a: PaymentMethodRow, b: PaymentMethodRow) =>
	(a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id);

async function siblingsOf(tx: MutatorTx, row: PaymentMethodRow): Promise<PaymentMethodRow[]> {
	const rows = await tx.findBy('paymentMethod', 'customerId', row.customerId);
	return rows.filter((r) => r.id !== row.id).sort(byAge);
}

/**
 * Validate and write one method, keeping the customer's invariants: the mandate reference is
 * unique across every customer, exactly one method is the default, and "Varios" rides on it.
 */
async function writeMethod(tx: MutatorTx, draft: PaymentMethodRow, existing?: PaymentMethodRow) {
	await customerOrThrow(tx, draft.customerId);
	// A patch can clear the type (`typeId: null`); without one there is nothing to look up.
	if (!draft.typeId) {
		throw new AppError('invalid-field', 'Elija el tipo de forma de pago', 'typeId');
	}
	let row = normalize(draft);
	const type = await methodType(tx, row.typeId, existing?.typeId);
	// Without a description the type's name stands in (Historial, pickers); an automatic one
	// follows a change of type, one the user typed is kept.
	if (!row.name) row.name = type.name;
	else if (existing && existing.typeId !== row.typeId) {
		const oldType = await tx.get('setting', existing.typeId);
		if (row.name === oldType?.name) row.name = type.name;
	}
	const issue = paymentMethodIssues(row, {
		usesBank: !!type.usesBank,
		today: tx.ctx.now.slice(0, 10)
	})[0];
	if (issue) throw new AppError(issue.code, issue.message, issue.field);

	if (row.mandateReference) {
		const same = await tx.findBy('paymentMethod', 'mandateReference', row.mandateReference);
		const other = same.find((r) => r.id !== row.id);
		if (other) {
			const owner = await tx.get('customer', other.customerId);
			throw new AppError(
				'already-exists',
				owner && owner.id !== row.customerId
					? `La referencia de mandato ${row.mandateReference} ya la tiene ${owner.code} · ${owner.name}`
					: `La referencia de mandato ${row.mandateReference} ya está en otra forma de pago`,
				'mandateReference',
				409
			);
		}
	}

	const siblings = await siblingsOf(tx, row);
	const currentDefault = siblings.find((s) => s.isDefault);
	const now = tx.ctx.now;
	if (row.isDefault) {
		for (const s of siblings.filter((x) => x.isDefault)) {
			// The new default takes over the customer's "Varios" unless it already carries them.
			if (!PAYMENT_TERM_KEYS.some((k) => row[k] !== undefined)) row = { ...row, ...termsOf(s) };
			await tx.put(
				'paymentMethod',
				parseOrThrow(PaymentMethod, { ...withoutTerms(s), isDefault: false, updatedAt: now })
			);
		}
	} else if (!currentDefault) {
		if (existing?.isDefault) {
			throw new AppError(
				'invalid-field',
				'Siempre hay una forma de pago predeterminada: marque otra como predeterminada',
				'isDefault'
			);
		}
		// The customer's first method (or the only one left without a default) is the default.
		row = { ...row, isDefault: true };
	}
	await tx.put('paymentMethod', parseOrThrow(PaymentMethod, row));
}

const create = defineMutator({
	name: 'paymentMethod.create',
	args: PaymentMethodCreateArgs,
	roles: ROLES,
	async apply(tx, args) {
		const existing = await tx.get('paymentMethod', args.id);
		const now = tx.ctx.now;
		if (existing && existing.customerId !== args.customerId) {
			throw alreadyExists('Esa forma de pago ya existe', 'id');
		}
		if (existing) {
			// A create replayed after its row already arrived: apply it as an update.
			const next = { ...existing, ...args, isDefault: args.isDefault ?? existing.isDefault };
			await writeMethod(tx, { ...next, updatedAt: now }, existing);
			return;
		}
		await writeMethod(tx, {
			...args,
			isDefault: args.isDefault ?? false,
			createdAt: now,
			updatedAt: now
		});
	}
});

const update = defineMutator({
	name: 'paymentMethod.update',
	args: z.object({ id: Id, patch: PaymentMethodPatch }).strict(),
	roles: ROLES,
	async apply(tx, { id, patch }) {
		const existing = await tx.get('paymentMethod', id);
		if (!existing) throw notFound('La forma de pago');
		// `isDefault: null` would mean "clear it": the same as not default.
		const next = applyPatch(existing, patch) as PaymentMethodRow;
		next.isDefault = next.isDefault ?? false;
		next.updatedAt = tx.ctx.now;
		await writeMethod(tx, next, existing);
	}
});

const remove = defineMutator({
	name: 'paymentMethod.delete',
	args: z.object({ id: Id }).strict(),
	roles: ROLES,
	async apply(tx, { id }) {
		const existing = await tx.get('paymentMethod', id);
		// Deleting what is already gone is a success: the end state is the one asked for.
		if (!existing) return;
		await tx.del('paymentMethod', id);
		if (!existing.isDefault) return;
		// The oldest remaining method becomes the default and keeps the customer's "Varios".
		const [heir] = await siblingsOf(tx, existing);
		if (heir) {
			await tx.put(
				'paymentMethod',
				parseOrThrow(PaymentMethod, {
					...heir,
					...termsOf(existing),
					isDefault: true,
					updatedAt: tx.ctx.now
				})
			);
		}
	}
});

/** The "Varios" block of a customer, written on whichever method is the default when it lands. */
const updateTerms = defineMutator({
	name: 'paymentMethod.updateTerms',
	args: z.object({ customerId: Id, patch: PaymentTermsPatch }).strict(),
	roles: ROLES,
	async apply(tx, { customerId, patch }) {
		await customerOrThrow(tx, customerId);
		const methods = await tx.findBy('paymentMethod', 'customerId', customerId);
		const def = methods.find((m) => m.isDefault);
		if (!def) {
			throw new AppError(
				'not-found',
				'Añada antes una forma de pago: estas condiciones se guardan con la predeterminada',
				undefined,
				404
			);
		}
		const next = applyPatch(def, patch) as PaymentMethodRow;
		next.updatedAt = tx.ctx.now;
		await tx.put('paymentMethod', parseOrThrow(PaymentMethod, next));
	}
});

export const financeMutators: Mutator[] = [create, update, remove, updateTerms] as Mutator[];
