import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, text } from './common';
import { SEPA_SCHEMES } from './finance';

/**
 * Cobros and remesas (docs/money.md, docs/sepa-and-wallet.md). A `payment` is one collection on
 * an issued document: cash, card, transfer, direct debit (written only by a remittance) or the
 * Monedero (written with its wallet movement). The document keeps what is paid (`paidCents`,
 * state); the payments say how and by whom. Scope `all`: a technician collects cash or card on
 * site, offline. A `remittance` (remesa SEPA) holds what its pain.008 file says, so the file can
 * be built again at any time; it carries debtors' IBANs, so it is `finance`.
 */

export const PAYMENT_METHODS = [
	'efectivo',
	'tarjeta',
	'transferencia',
	'domiciliacion',
	'monedero'
] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_KIND_LABELS: Record<PaymentMethodKind, string> = {
	efectivo: 'Efectivo',
	tarjeta: 'Tarjeta',
	transferencia: 'Transferencia',
	domiciliacion: 'Domiciliación (remesa)',
	monedero: 'Monedero'
};
/** What a technician may collect on site. */
export const FIELD_PAYMENT_METHODS: readonly PaymentMethodKind[] = ['efectivo', 'tarjeta'];
/** What `document.pay` takes (a direct debit is collected by a remittance). */
export const DESK_PAYMENT_METHODS = ['efectivo', 'tarjeta', 'transferencia', 'monedero'] as const;

/** The common SEPA R-transaction reason codes, with what the bank means in Spanish. */
export const RETURN_REASONS = {
	AC01: 'Número de cuenta incorrecto',
	AC04: 'Cuenta cancelada',
	AC06: 'Cuenta bloqueada',
	AG01: 'Operación no permitida en esta cuenta',
	AM04: 'Fondos insuficientes',
	AM05: 'Adeudo duplicado',
	BE05: 'Acreedor no reconocido',
	FF01: 'Formato del fichero no válido',
	MD01: 'Sin mandato o mandato no válido',
	MD02: 'Faltan datos del mandato',
	MD06: 'Devolución solicitada por el deudor',
	MD07: 'Deudor fallecido',
	MS02: 'Motivo no especificado por el deudor',
	MS03: 'Motivo no especificado por la entidad',
	RC01: 'BIC incorrecto',
	RR04: 'Motivo regulatorio',
	SL01: 'Servicio específico de la entidad del deudor'
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;
export const RETURN_REASON_CODES = Object.keys(RETURN_REASONS) as ReturnReason[];

const SEQUENCE = z.enum(['FRST', 'RCUR', 'OOFF', 'FNAL']);

const PaymentCents = z
	.number('Importe no válido')
	.int('El importe va en céntimos')
	.positive('El importe debe ser mayor que 0,00 €');

/** Up to 1.000 € of bank fee for a return (a typo guard). */
export const ReturnFeeCents = z
	.number('Importe no válido')
	.int('El importe va en céntimos')
	.min(0, 'Los gastos no pueden ser negativos')
	.max(100_000, 'Gastos demasiado altos');

export const Payment = z.strictObject({
	id: Id,
	customerId: Id,
	documentId: Id,
	method: z.enum(PAYMENT_METHODS),
	amountCents: PaymentCents,
	date: IsoDate,
	notes: text(200),
	/** Who collected it: from the session, whatever the device sent. */
	userName: z.string().max(200).optional(),
	/** Monedero: the wallet's movement (same id). */
	walletEntryId: Id.optional(),
	/** Domiciliación: the remittance, the mandate and the debit as the file carries it. */
	remittanceId: Id.optional(),
	paymentMethodId: Id.optional(),
	mandateReference: z.string().max(35).optional(),
	sequenceType: SEQUENCE.optional(),
	collectionDate: IsoDate.optional(),
	/** Devolución: the debit came back; the document is unpaid again by this amount. */
	returned: z
		.strictObject({
			date: IsoDate,
			reason: z.enum(RETURN_REASON_CODES as [ReturnReason, ...ReturnReason[]]),
			feeCents: ReturnFeeCents.optional(),
			/** The draft albarán that charges the fee to the customer. */
			feeDocumentId: Id.optional()
		})
		.optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Payment = z.infer<typeof Payment>;

export const RemittanceDebit = z.strictObject({
	paymentId: Id,
	documentId: Id,
	customerId: Id,
	endToEndId: z.string().max(35),
	amountCents: z.number().int().positive(),
	mandateReference: z.string().max(35),
	mandateSignedOn: IsoDate,
	debtorName: z.string().max(200),
	debtorIban: z.string().max(34),
	debtorBic: z.string().max(11).optional(),
	sequenceType: SEQUENCE,
	remittanceInfo: z.string().max(140).optional()
});
export type RemittanceDebit = z.infer<typeof RemittanceDebit>;

/** An invoice left out of a remittance, and why (no valid mandate, lapsed, other scheme…). */
export const RemittanceException = z.strictObject({
	documentId: Id,
	customerId: Id,
	number: z.string().max(60),
	debtorName: z.string().max(200),
	amountCents: z.number().int(),
	reason: z.string().max(300)
});
export type RemittanceException = z.infer<typeof RemittanceException>;

export const Remittance = z.strictObject({
	id: Id,
	/** The file's MsgId (unique per file sent to the bank). */
	messageId: z.string().max(35),
	scheme: z.enum(SEPA_SCHEMES),
	/** Invoices issued up to this day went in. */
	dueUpTo: IsoDate,
	collectionDate: IsoDate,
	/** CreDtTm of the file. */
	fileCreatedAt: IsoDateTime,
	creditor: z.strictObject({
		name: z.string().max(200),
		iban: z.string().max(34),
		bic: z.string().max(11).optional(),
		creditorId: z.string().max(35)
	}),
	debits: z.array(RemittanceDebit).min(1),
	excluded: z.array(RemittanceException),
	count: z.number().int(),
	totalCents: z.number().int(),
	userName: z.string().max(200).optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Remittance = z.infer<typeof Remittance>;

export const PAYMENT_FIELD_LABELS: Record<string, string> = {
	method: 'Forma de cobro',
	amountCents: 'Importe',
	returned: 'Devolución',
	remittanceId: 'Remesa',
	sequenceType: 'Secuencia SEPA',
	collectionDate: 'Fecha de cobro',
	messageId: 'Fichero',
	debits: 'Adeudos',
	excluded: 'Excluidas',
	totalCents: 'Importe total',
	count: 'Adeudos'
};
