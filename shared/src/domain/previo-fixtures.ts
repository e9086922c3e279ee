// Test support (not exported from the package): rows of the previo's tests.
import type { Contract, TariffAssignment } from '../schemas/contract';
import type { Tariff } from '../schemas/router';

export const tariff = (id: string, priceCents: number, vatRate: 21 | 10 | 4 | 0 = 21): Tariff => ({
	id,
	name: `Tarifa ${id}`,
	priceCents,
	vatRate,
	billingPeriod: 'monthly',
	downloadMbps: 100,
	uploadMbps: 20,
	active: true
});

export const contract = (over: Partial<Contract> = {}): Contract => ({
	id: 'k1',
	customerId: 'c1',
	name: 'Casa',
	fromDate: '2025-01-01',
	billingFrequency: 'monthly',
	...over
});

export const assignment = (over: Partial<TariffAssignment> = {}): TariffAssignment => ({
	id: 'a1',
	customerId: 'c1',
	contractId: 'k1',
	tariffId: 't1',
	startDate: '2025-01-01',
	quantity: 1,
	...over
});
