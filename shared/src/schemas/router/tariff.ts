import { z } from 'zod';
import { Id, IsoDateTime } from '../common';

export const BILLING_PERIODS = [
	'monthly',
	'bimonthly',
	'quarterly',
	'half-yearly',
	'yearly'
] as const;
export const VAT_RATES = [21, 10, 4, 0] as const;

export const Tariff = z.object({
	id: Id,
	name: z.string().trim().min(1, 'Indique el nombre').max(80),
	priceCents: z.number().int('El precio va en céntimos').min(0).max(100_000_000),
	vatRate: z.union([z.literal(21), z.literal(10), z.literal(4), z.literal(0)]),
	billingPeriod: z.enum(BILLING_PERIODS),
	downloadMbps: z.number().int().min(1, 'Mínimo 1 Mb').max(100_000),
	uploadMbps: z.number().int().min(1, 'Mínimo 1 Mb').max(100_000),
	active: z.boolean(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Tariff = z.infer<typeof Tariff>;

/**
 * The MikroTik profile of a tariff. `rate-limit` is written from the router's side: rx/tx are
 * the customer's upload/download, so 100 Mb down and 20 Mb up is `20M/100M`.
 */
export function mikrotikProfile(t: Pick<Tariff, 'name' | 'downloadMbps' | 'uploadMbps'>) {
	const slug = t.name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 50);
	return { name: `enlace-${slug || 'tarifa'}`, rateLimit: `${t.uploadMbps}M/${t.downloadMbps}M` };
}
