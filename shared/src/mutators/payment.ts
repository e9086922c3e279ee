import { z } from 'zod';
import { Id, IsoDate, text } from '../schemas/common';
import { Document } from '../schemas/billing';
import {
	DESK_PAYMENT_METHODS,
	FIELD_PAYMENT_METHODS,
	RETURN_REASONS,
	RETURN_REASON_CODES,
	ReturnFeeCents,
	type Payment
} from '../schemas/payment';
import { AppError } from '../protocol/errors';
import { formatEuros } from '../domain/money';
import {
	PaymentAmount,
	paidCentsOf,
	payFromWallet,
	payableDocument,
	recordPayment
} from './document';
import { ALL_ROLES, OFFICE_ROLES, defineMutator, type Mutator } from './types';

/**
 * Cobros (docs/money.md): `document.pay` records one payment — cash, card, transfer or the
 * Monedero — and raises the document's paid amount and state in the same batch. Everyone who
 * holds documents may collect; a technician only cash or card (on site, offline: the device applies it at
 * once and the server checks it again when it arrives). `payment.return` marks a direct debit
 * returned by the bank (devolución).
 */
export const documentPay = defineMutator({
	name: 'document.pay',
	args: z.strictObject({
		id: Id,
		documentId: Id,
		method: z.enum(DESK_PAYMENT_METHODS, 'Elija la forma de cobro'),
		amountCents: PaymentAmount,
		date: IsoDate,
		notes: text(200)
	}),
	roles: ALL_ROLES,
	async apply(tx, { id, documentId, method, amountCents, date, notes }) {
		if (tx.ctx.role === 'technician' && !FIELD_PAYMENT_METHODS.includes(method)) {
			throw new AppError(
				'forbidden',
				'En la calle se cobra en efectivo o con tarjeta',
				'method',
				403
			);
		}
		if (await tx.get('payment', id)) return; // replayed
		if (method === 'monedero') {
			if (tx.ctx.role === 'technician') throw new AppError('forbidden', 'No', 'method', 403);
			await payFromWallet(tx, { id, documentId, amountCents, date });
			return;
		}
		const doc = await payableDocument(tx, documentId, amountCents);
		await recordPayment(tx, doc, { id, method, amountCents, date, ...(notes ? { notes } : {}) });
	}
});

/** "Gastos de devolución": the draft albarán that charges a return's fee to the customer. */
function feeDraft(
	id: string,
	payment: Payment,
	doc: Document,
	feeCents: number,
	date: string,
	now: string
): Document {
	return Document.parse({
		id,
		customerId: doc.customerId,
		kind: 'albaran',
		state: 'borrador',
		date,
		// Not subject to VAT: a compensation for the bank's charge, not a service (art. 78.3.1 LIVA).
		lines: [
			{
				description:
					`Gastos de devolución del recibo ${doc.number ?? ''} (${payment.returned?.reason ?? ''})`.slice(
						0,
						500
					),
				quantity: 1,
				unitCents: feeCents,
				vatRate: 0
			}
		],
		createdAt: now,
		updatedAt: now
	});
}

/**
 * Devolución: a debit of a remittance came back with its SEPA reason code. In one batch the
 * payment is marked returned (so the mandate's next sequence type counts it as returned: a
 * returned FRST leaves the mandate unused), the document is unpaid again by the amount (state
 * `devuelta`), and an optional fee becomes a draft albarán for the customer. Historial records
 * the document's change with the reason.
 */
export const paymentReturn = defineMutator({
	name: 'payment.return',
	args: z.strictObject({
		id: Id,
		date: IsoDate,
		reason: z.enum(
			RETURN_REASON_CODES as [string, ...string[]],
			'Elija el motivo de la devolución'
		),
		feeCents: ReturnFeeCents.optional(),
		feeDocumentId: Id.optional()
	}),
	roles: OFFICE_ROLES,
	async apply(tx, { id, date, reason, feeCents, feeDocumentId }) {
		const payment = await tx.get('payment', id);
		if (!payment) throw new AppError('not-found', 'El cobro no existe', 'id', 404);
		if (payment.method !== 'domiciliacion') {
			throw new AppError('conflict', 'Solo se devuelve un adeudo de una remesa', 'id', 409);
		}
		if (payment.returned) {
			if (payment.returned.reason === reason) return; // replayed
			throw new AppError('conflict', 'Ese adeudo ya está devuelto', 'id', 409);
		}
		if (feeCents && !feeDocumentId) {
			throw new AppError(
				'invalid-args',
				'Falta el identificador del albarán de gastos',
				'feeDocumentId'
			);
		}
		const doc = await tx.get('document', payment.documentId);
		if (!doc) throw new AppError('not-found', 'El documento no existe', 'id', 404);
		const code = reason as keyof typeof RETURN_REASONS;
		const returned: Payment = {
			...payment,
			returned: {
				date,
				reason: code,
				...(feeCents ? { feeCents, feeDocumentId } : {})
			},
			updatedAt: tx.ctx.now
		};
		await tx.put('payment', returned);
		const paid = Math.max(0, paidCentsOf(doc) - payment.amountCents);
		const { paidCents: _old, ...rest } = doc;
		const why = `Devolución ${code} · ${RETURN_REASONS[code]}${feeCents ? ` · gastos ${formatEuros(feeCents)}` : ''}`;
		await tx.put(
			'document',
			{
				...rest,
				state: 'devuelta',
				...(paid > 0 ? { paidCents: paid } : {}),
				updatedAt: tx.ctx.now
			},
			{ reason: why }
		);
		if (feeCents && feeDocumentId && !(await tx.get('document', feeDocumentId))) {
			await tx.put('document', feeDraft(feeDocumentId, returned, doc, feeCents, date, tx.ctx.now));
		}
	}
});

export const paymentMutators: Mutator[] = [documentPay as Mutator, paymentReturn as Mutator];
