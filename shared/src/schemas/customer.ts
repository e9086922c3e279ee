import { z } from 'zod';
import { validateTaxId, type TaxIdType } from '../domain/tax-id';
import { Id, IsoDate, IsoDateTime, OptionalEmail, Phone, text } from './common';

export const TAX_ID_TYPES = [
	'nif',
	'nie',
	'cif',
	'passport',
	'other'
] as const satisfies readonly TaxIdType[];
export const TAX_ID_TYPE_LABELS: Record<TaxIdType, string> = {
	nif: 'NIF / DNI',
	nie: 'NIE',
	cif: 'CIF',
	passport: 'Pasaporte',
	other: 'Otro'
};

/** The fields a user edits (Información general: datos básicos, contacto, extra). */
export const CustomerFields = z.object({
	isCompany: z.boolean(),
	name: z
		.string()
		.trim()
		.min(1, 'Indique el nombre o la razón social')
		.max(200, 'Máximo 200 caracteres'),
	tradeName: text(200),
	taxIdType: z.enum(TAX_ID_TYPES),
	taxId: z.string().max(30, 'Máximo 30 caracteres'),
	stateId: text(64),
	typeId: text(64),
	sectorId: text(64),
	originId: text(64),
	altaDate: IsoDate.optional(),
	bajaDate: IsoDate.optional(),
	isSupplier: z.boolean().optional(),
	salespersonId: text(64),
	// Datos de contacto
	phone: Phone,
	phone2: Phone,
	fax: Phone,
	mobile: Phone,
	isInternational: z.boolean().optional(),
	email: OptionalEmail,
	web: text(200),
	// Datos extra
	comments: text(5000),
	language: z.enum(['es', 'ca', 'eu', 'gl', 'en', 'fr', 'pt']).optional(),
	tags: z.array(z.string().trim().min(1).max(40)).max(30, 'Máximo 30 etiquetas').optional()
});
export type CustomerFields = z.infer<typeof CustomerFields>;

export const Customer = CustomerFields.extend({
	id: Id,
	/** Automatic and unique; a customer created offline carries a provisional code until it syncs. */
	code: z.string().max(30),
	/**
	 * When the state last changed (the time the user decided it, on their device): a state change
	 * decided earlier than this, synced late from an offline device, no longer applies.
	 */
	stateChangedAt: IsoDateTime.optional(),
	/** A baja whose secrets are removed after some days: the day the server removes them. */
	secretRemovalOn: IsoDate.optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Customer = z.infer<typeof Customer>;

/** Cross-field rule: the tax id must be valid for its type. Used on create and after a patch. */
export function checkCustomerTaxId(
	c: Pick<Customer, 'taxIdType' | 'taxId'>,
	ctx: z.RefinementCtx
): void {
	const result = validateTaxId(c.taxIdType, c.taxId);
	if (!result.ok) {
		ctx.addIssue({
			code: 'custom',
			path: ['taxId'],
			message: result.message,
			params: { code: 'invalid-tax-id' }
		});
	}
}

/** Why a customer's dates do not fit, or undefined: the baja cannot come before the alta. */
export function customerDatesIssue(c: Pick<Customer, 'altaDate' | 'bajaDate'>): string | undefined {
	if (c.altaDate && c.bajaDate && c.bajaDate < c.altaDate)
		return 'La fecha de baja no puede ser anterior a la fecha de alta';
	return undefined;
}

/** Cross-field rules of a customer (tax id for its type, baja ≥ alta), on create and after a patch. */
export function checkCustomer(
	c: Pick<Customer, 'taxIdType' | 'taxId' | 'altaDate' | 'bajaDate'>,
	ctx: z.RefinementCtx
): void {
	checkCustomerTaxId(c, ctx);
	const dates = customerDatesIssue(c);
	if (dates) ctx.addIssue({ code: 'custom', path: ['bajaDate'], message: dates });
}

export const ValidCustomer = Customer.superRefine(checkCustomer);

/** Provisional codes start with this prefix; the server replaces them with the series code. */
export const PROVISIONAL_CODE_PREFIX = 'PROV-';
export const isProvisionalCode = (code: string) => code.startsWith(PROVISIONAL_CODE_PREFIX);
