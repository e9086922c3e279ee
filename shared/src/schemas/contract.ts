import { z } from 'zod';
import { Cents, Percent } from './company';
import { Id, IsoDate, IsoDateTime, requiredText, text } from './common';
import { BILLING_PERIODS } from './router/tariff';

/**
 * Contratos Op. and Asignación de tarifas: what a customer has contracted. A customer has several
 * operator contracts ("instead of duplicating the customer"), each with its own address, payment
 * method and billing frequency; tariffs of the catalogue are assigned to a contract. The previo
 * (domain/previo.ts) is computed from these rows.
 */

export const BILLING_FREQUENCIES = BILLING_PERIODS;
export type BillingFrequency = (typeof BILLING_FREQUENCIES)[number];
export const BILLING_FREQUENCY_LABELS: Record<BillingFrequency, string> = {
	monthly: 'Mensual',
	bimonthly: 'Bimestral',
	quarterly: 'Trimestral',
	'half-yearly': 'Semestral',
	yearly: 'Anual'
};
/** Months in one billing period of each frequency. */
export const MONTHS_PER_PERIOD: Record<BillingFrequency, number> = {
	monthly: 1,
	bimonthly: 2,
	quarterly: 3,
	'half-yearly': 6,
	yearly: 12
};

/** In advance: a period is invoiced before it runs; in arrears: once it has run. */
export const BILLING_MODES = ['advance', 'arrears'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];
export const BILLING_MODE_LABELS: Record<BillingMode, string> = {
	advance: 'Por adelantado',
	arrears: 'A periodo vencido'
};

/** "From" before or on "to": a period that ends before it starts is a typing mistake. */
function datesInOrder(from: string, to: string | undefined, path: string, ctx: z.RefinementCtx) {
	if (to && to < from) {
		ctx.addIssue({
			code: 'custom',
			path: [path],
			message: 'La fecha de fin no puede ser anterior a la de inicio'
		});
	}
}

/** A whole number in a range, its messages naming the field ("La cantidad va del 1 al 1000"). */
const wholeNumber = (what: string, min: number, max: number) =>
	z
		.number(`${what}: escriba un número`)
		.int(`${what} es un número entero`)
		.min(min, `${what} va del ${min} al ${max}`)
		.max(max, `${what} va del ${min} al ${max}`);

/** When a row was made and last changed (set by the mutators). */
const STAMPS = { createdAt: IsoDateTime.optional(), updatedAt: IsoDateTime.optional() };

export const ContractObject = z.object({
	id: Id,
	customerId: Id,
	name: requiredText(120, 'Indique el nombre del contrato'),
	fromDate: IsoDate,
	/** Absent: open-ended. */
	toDate: IsoDate.optional(),
	/** One of the customer's addresses: where the service is. */
	addressId: Id.optional(),
	/** One of the customer's payment methods (finance scope: technicians never receive it). */
	paymentMethodId: Id.optional(),
	/**
	 * The method's type (a `paymentMethodType` setting), copied from the method by the mutator so
	 * a technician's phone can say "Recibo domiciliado SEPA" without ever holding the bank data.
	 */
	paymentTypeId: Id.optional(),
	billingFrequency: z.enum(BILLING_FREQUENCIES),
	/** Default in advance (see domain/previo.ts). */
	billingMode: z.enum(BILLING_MODES).optional(),
	/** The day of the month every period starts on (1–28, so it exists in every month); default 1. */
	periodStartDay: wholeNumber('El día de inicio', 1, 28).optional(),
	notes: text(2000),
	...STAMPS
});
export const checkContract = (c: z.infer<typeof ContractObject>, ctx: z.RefinementCtx) =>
	datesInOrder(c.fromDate, c.toDate, 'toDate', ctx);
export const Contract = ContractObject.superRefine(checkContract);
export type Contract = z.infer<typeof Contract>;

export const TariffAssignmentObject = z.object({
	id: Id,
	customerId: Id,
	contractId: Id,
	tariffId: Id,
	startDate: IsoDate,
	/** The baja: the last day the tariff is charged. Absent: it runs on. */
	endDate: IsoDate.optional(),
	/** Monthly price in cents instead of the tariff's. */
	priceOverrideCents: Cents.optional(),
	discountPercent: Percent.optional(),
	quantity: wholeNumber('La cantidad', 1, 1000),
	/**
	 * The PPPoE account whose profile this assignment's tariff gives: changing the tariff or ending
	 * the assignment changes the secret on the router (mutators/contract.ts).
	 */
	pppoeAccountId: Id.optional(),
	notes: text(2000),
	...STAMPS
});
export const checkAssignment = (a: z.infer<typeof TariffAssignmentObject>, ctx: z.RefinementCtx) =>
	datesInOrder(a.startDate, a.endDate, 'endDate', ctx);
export const TariffAssignment = TariffAssignmentObject.superRefine(checkAssignment);
export type TariffAssignment = z.infer<typeof TariffAssignment>;

/** Whether an assignment is still running on `day` (an ISO date): not ended before it. */
export const assignmentActiveOn = (a: Pick<TariffAssignment, 'endDate'>, day: string) =>
	!a.endDate || a.endDate >= day;

/** Whether two date ranges (inclusive, open end when absent) share at least one day. */
export function rangesOverlap(
	a: { start: string; end?: string },
	b: { start: string; end?: string }
): boolean {
	return (!a.end || b.start <= a.end) && (!b.end || a.start <= b.end);
}

export const CONTRACT_FIELD_LABELS: Record<string, string> = {
	fromDate: 'Desde',
	toDate: 'Hasta',
	addressId: 'Dirección',
	paymentMethodId: 'Forma de pago',
	paymentTypeId: 'Tipo de forma de pago',
	billingFrequency: 'Periodicidad de facturación',
	billingMode: 'Modo de facturación',
	periodStartDay: 'Día de inicio del periodo',
	contractId: 'Contrato',
	tariffId: 'Tarifa',
	startDate: 'Fecha de inicio',
	endDate: 'Fecha de baja',
	priceOverrideCents: 'Precio especial',
	discountPercent: 'Descuento (%)',
	quantity: 'Cantidad',
	pppoeAccountId: 'Cuenta PPPoE'
};
