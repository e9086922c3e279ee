import { z } from 'zod';
import { validateBic } from '../domain/bic';
import { validateIban } from '../domain/iban';
import { validateMandateReference } from '../domain/sepa';
import { Id, IsoDate, IsoDateTime, text } from './common';

/**
 * Datos financieros. A customer has several payment methods (`paymentMethod` rows, scope
 * `finance`), exactly one of them the default. The "Varios" block (payment days, discount, VAT
 * exempt, equivalence surcharge, credit limit) belongs to the customer, not to a method, but it is
 * financial data that must never reach a technician's phone, and the only finance-scoped row a
 * customer has is a payment method. So it lives on the customer's *default* method: invoices are
 * charged through it anyway, and the mutators move the block when the default changes or is
 * deleted, so it always sits on exactly one row.
 */

export const SEPA_SCHEMES = ['CORE', 'B2B'] as const;
export type SepaScheme = (typeof SEPA_SCHEMES)[number];
export const SEPA_SCHEME_LABELS: Record<SepaScheme, string> = {
	CORE: 'CORE (básico)',
	B2B: 'B2B (entre empresas)'
};

export const MANDATE_TYPES = ['recurrent', 'oneOff'] as const;
export type MandateType = (typeof MANDATE_TYPES)[number];
export const MANDATE_TYPE_LABELS: Record<MandateType, string> = {
	recurrent: 'Recurrente',
	oneOff: 'Único (un solo cobro)'
};

/**
 * A calendar date that exists: `IsoDate` alone lets 2026-02-30 through (Date.parse rolls it over
 * to March), and a mandate signed on a day that never was gets the remittance refused.
 */
export const CalendarDate = IsoDate.refine((s) => {
	const d = new Date(`${s}T12:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'Esa fecha no existe');

type Check = (v: string) => { ok: true } | { ok: false; message: string };

/** A string checked by one of the domain validators; its message and wire code on failure. */
const checked = (validate: Check, code: string, max: number) =>
	z
		.string()
		.max(max, `Máximo ${max} caracteres`)
		.superRefine((v, ctx) => {
			const r = validate(v);
			if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message, params: { code } });
		});

/** What a user edits in the form of one payment method. */
export const PaymentMethodFields = z.object({
	/** A `paymentMethodType` setting (recibo SEPA, transferencia, efectivo…). */
	typeId: z.string().min(1, 'Elija el tipo de forma de pago').max(64, 'Máximo 64 caracteres'),
	/** A short description ("Cuenta de la tienda"); the type's name when left empty. */
	name: text(80),
	// Bank account: required when the type uses a bank (see `paymentMethodIssues`).
	iban: checked(validateIban, 'invalid-iban', 50).optional(),
	bic: checked(validateBic, 'invalid-bic', 20).optional(),
	accountHolder: text(70),
	/** The bank's name: optional, a SEPA debit does not need it. */
	bankName: text(100),
	// SEPA mandate.
	mandateReference: checked(validateMandateReference, 'invalid-mandate-reference', 100).optional(),
	mandateSignedAt: CalendarDate.optional(),
	mandateScheme: z.enum(SEPA_SCHEMES).optional(),
	mandateType: z.enum(MANDATE_TYPES).optional(),
	notes: text(500)
});
export type PaymentMethodFields = z.infer<typeof PaymentMethodFields>;

/** Money in integer cents; a million euros is far above any small ISP's credit line. */
const MAX_CREDIT_CENTS = 100_000_000_00;

/** The "Varios" block of Datos financieros (stored on the default method, see above). */
export const PaymentTerms = z.object({
	/** Days of the month the customer pays on (up to three, e.g. 5 and 20). */
	paymentDays: z
		.array(
			z
				.number()
				.int('Los días de pago son números enteros')
				.min(1, 'Los días de pago van del 1 al 31')
				.max(31, 'Los días de pago van del 1 al 31')
		)
		.max(3, 'Como máximo tres días de pago')
		.refine((days) => new Set(days).size === days.length, 'Hay días de pago repetidos')
		.optional(),
	discountPercent: z
		.number()
		.min(0, 'El descuento no puede ser negativo')
		.max(100, 'El descuento no puede pasar del 100 %')
		.refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'Como máximo dos decimales')
		.optional(),
	vatExempt: z.boolean().optional(),
	/** Recargo de equivalencia: retailers taxed under that special VAT regime. */
	equivalenceSurcharge: z.boolean().optional(),
	/** Integer cents. */
	creditLimit: z
		.number()
		.int('El límite de crédito va en céntimos enteros')
		.min(0, 'El límite de crédito no puede ser negativo')
		.max(MAX_CREDIT_CENTS, 'Límite de crédito demasiado alto')
		.optional()
});
export type PaymentTerms = z.infer<typeof PaymentTerms>;
export const PAYMENT_TERM_KEYS = Object.keys(PaymentTerms.shape) as (keyof PaymentTerms)[];

/** Cross-field rule of the "Varios" block. */
export function checkPaymentTerms(t: PaymentTerms, ctx: z.RefinementCtx): void {
	if (t.vatExempt && t.equivalenceSurcharge) {
		ctx.addIssue({
			code: 'custom',
			path: ['equivalenceSurcharge'],
			message: 'El recargo de equivalencia no se aplica a un cliente exento de IVA'
		});
	}
}

export const PaymentMethodObject = PaymentMethodFields.extend({
	id: Id,
	customerId: Id,
	isDefault: z.boolean(),
	...PaymentTerms.shape,
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});

export const PaymentMethod = PaymentMethodObject.superRefine((row, ctx) => {
	checkPaymentTerms(row, ctx);
	if (!row.isDefault && PAYMENT_TERM_KEYS.some((k) => row[k] !== undefined)) {
		ctx.addIssue({
			code: 'custom',
			path: ['isDefault'],
			message: 'Las condiciones (Varios) solo se guardan en la forma de pago predeterminada'
		});
	}
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** The bank fields, in form order: hidden (and cleared) for types that do not use a bank. */
export const BANK_KEYS = [
	'iban',
	'bic',
	'accountHolder',
	'bankName',
	'mandateReference',
	'mandateSignedAt',
	'mandateScheme',
	'mandateType'
] as const satisfies readonly (keyof PaymentMethodFields)[];

const REQUIRED_WITH_BANK: [keyof PaymentMethodFields, string][] = [
	['iban', 'Introduzca el IBAN'],
	['accountHolder', 'Indique el titular de la cuenta'],
	['mandateReference', 'Introduzca la referencia del mandato'],
	['mandateSignedAt', 'Indique la fecha de firma del mandato'],
	['mandateScheme', 'Elija el esquema del mandato (CORE o B2B)'],
	['mandateType', 'Indique si el mandato es recurrente o de un solo cobro']
];

/** The fields a bank debit cannot do without (its account and its mandate). */
export const BANK_REQUIRED_KEYS = REQUIRED_WITH_BANK.map(([k]) => k);

export type FieldIssue = { field: string; message: string; code: string };

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/**
 * Every problem of a payment method at once, for the form (all fields marked together) and the
 * mutator (first one thrown). `usesBank` comes from the method's type in settings; `today` is an
 * ISO date, a mandate cannot be signed in the future (one day of slack for time zones).
 */
export function paymentMethodIssues(
	values: Record<string, unknown>,
	opts: { usesBank: boolean; today: string }
): FieldIssue[] {
	const issues: FieldIssue[] = [];
	const has = (field: string) => issues.some((i) => i.field === field);
	const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => present(v)));
	const parsed = PaymentMethodFields.safeParse(clean);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? '');
			if (!field || has(field)) continue;
			const code = (issue as { params?: { code?: string } }).params?.code ?? 'invalid-field';
			issues.push({ field, message: issue.message, code });
		}
	}
	if (opts.usesBank) {
		for (const [field, message] of REQUIRED_WITH_BANK) {
			if (!present(clean[field]) && !has(field))
				issues.push({ field, message, code: 'invalid-field' });
		}
	}
	const signed = clean.mandateSignedAt;
	if (typeof signed === 'string' && !has('mandateSignedAt')) {
		const limit = new Date(Date.parse(`${opts.today}T00:00:00Z`) + 86_400_000)
			.toISOString()
			.slice(0, 10);
		if (signed > limit) {
			issues.push({
				field: 'mandateSignedAt',
				message: 'La fecha de firma del mandato no puede ser futura',
				code: 'invalid-field'
			});
		}
	}
	return issues;
}

// `typeId`, `name` and `notes` are left to the base labels: the map is keyed by field alone.
export const FINANCE_FIELD_LABELS: Record<string, string> = {
	isDefault: 'Predeterminada',
	iban: 'IBAN',
	bic: 'BIC',
	accountHolder: 'Titular de la cuenta',
	bankName: 'Entidad',
	mandateReference: 'Referencia del mandato',
	mandateSignedAt: 'Fecha de firma del mandato',
	mandateScheme: 'Esquema SEPA',
	mandateType: 'Tipo de mandato',
	paymentDays: 'Días de pago',
	discountPercent: 'Descuento (%)',
	vatExempt: 'Exento de IVA',
	equivalenceSurcharge: 'Recargo de equivalencia',
	creditLimit: 'Límite de crédito (céntimos)'
};
