// Test support (not exported from the package): a package and a customer's assignment of it.
import type { RenewalAssignment, RenewalPackage } from '../schemas/renewal';

/** "Dominio y hosting", yearly, 120,00 € + 21 %. */
export const samplePackage = (o: Partial<RenewalPackage> = {}): RenewalPackage => ({
	id: 'p1',
	name: 'Dominio y hosting',
	items: ['Dominio .es', 'Hosting 10 GB'],
	priceCents: 12000,
	vatRate: 21,
	period: 'yearly',
	active: true,
	...o
});

/** Customer c1's, started 31 January 2026 at 100,00 €, renewing next on 31 January 2027. */
export const sampleAssignment = (o: Partial<RenewalAssignment> = {}): RenewalAssignment => ({
	id: 'a1',
	customerId: 'c1',
	packageId: 'p1',
	startDate: '2026-01-31',
	priceCents: 10000,
	quantity: 1,
	nextRenewal: '2027-01-31',
	...o
});
