import { z } from 'zod';
import { Cents } from './company';
import { Id, IsoDate, IsoDateTime, text } from './common';
import { VAT_RATES } from './router/tariff';

/**
 * Renovaciones (docs/renewals.md): renewable packages (a domain, hosting, a maintenance plan) are
 * a catalogue of Configuración; a customer's assignment of one says what it costs and when it
 * renews next. Invoicing a renewal (a factura with the package's line, issued on the server)
 * moves the assignment's next renewal on by the package's period.
 */

export const RENEWAL_PERIODS = [
	'monthly',
	'bimonthly',
	'quarterly',
	'half-yearly',
	'yearly',
	'biennial'
] as const;
export type RenewalPeriod = (typeof RENEWAL_PERIODS)[number];
/** How many months each period is. */
export const RENEWAL_PERIOD_MONTHS: Record<RenewalPeriod, number> = {
	monthly: 1,
	bimonthly: 2,
	quarterly: 3,
	'half-yearly': 6,
	yearly: 12,
	biennial: 24
};
export const RENEWAL_PERIOD_LABELS: Record<RenewalPeriod, string> = {
	monthly: 'Mensual',
	bimonthly: 'Bimestral',
	quarterly: 'Trimestral',
	'half-yearly': 'Semestral',
	yearly: 'Anual',
	biennial: 'Bienal'
};

export const RenewalPackage = z.strictObject({
	id: Id,
	name: z.string().trim().min(1, 'Indique el nombre').max(80, 'Máximo 80 caracteres'),
	/** What the package holds, one item a line ("Dominio .es", "Hosting 10 GB"). */
	items: z
		.array(z.string().trim().min(1, 'Un elemento vacío').max(200, 'Máximo 200 caracteres'))
		.max(30, 'Máximo 30 elementos'),
	/** Price of one period, without VAT. */
	priceCents: Cents,
	vatRate: z.union(VAT_RATES.map((r) => z.literal(r))),
	period: z.enum(RENEWAL_PERIODS),
	/** No longer offered: cannot be newly assigned; assignments keep it. */
	active: z.boolean(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type RenewalPackage = z.infer<typeof RenewalPackage>;

/** The last renewal a factura charged, written by the server when it issues that factura. */
export const LastInvoiced = z.strictObject({
	documentId: Id,
	number: z.string().max(60).optional(),
	/** The first and last day of the periods charged. */
	from: IsoDate,
	to: IsoDate
});
export type LastInvoiced = z.infer<typeof LastInvoiced>;

export const RenewalAssignmentObject = z.object({
	id: Id,
	customerId: Id,
	packageId: Id,
	startDate: IsoDate,
	/** Price of one period for this customer, without VAT (proposed from the package). */
	priceCents: Cents,
	quantity: z
		.number('Cantidad no válida')
		.int('Cantidad entera')
		.min(1, 'Mínimo 1')
		.max(1000, 'Máximo 1000'),
	/** The first day of the next period to invoice. */
	nextRenewal: IsoDate,
	notes: text(1000),
	lastInvoiced: LastInvoiced.optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export const checkRenewalAssignment = (
	a: z.infer<typeof RenewalAssignmentObject>,
	ctx: z.RefinementCtx
) => {
	if (a.nextRenewal < a.startDate) {
		ctx.addIssue({
			code: 'custom',
			path: ['nextRenewal'],
			message: 'La próxima renovación no puede ser anterior al inicio'
		});
	}
};
export const RenewalAssignment = RenewalAssignmentObject.superRefine(checkRenewalAssignment);
export type RenewalAssignment = z.infer<typeof RenewalAssignment>;

export const RENEWAL_FIELD_LABELS: Record<string, string> = {
	items: 'Elementos',
	priceCents: 'Precio',
	vatRate: 'IVA',
	period: 'Periodicidad',
	active: 'Activo',
	packageId: 'Paquete',
	startDate: 'Fecha de inicio',
	quantity: 'Cantidad',
	nextRenewal: 'Próxima renovación',
	lastInvoiced: 'Última renovación facturada',
	notes: 'Notas'
};
