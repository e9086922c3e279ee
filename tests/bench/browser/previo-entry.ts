// Runs inside Chromium: the app's Dexie schema and the shared previo over a device's IndexedDB.
import { EnlaceDb } from '../../../app/src/lib/db/db';
import {
	BILLING_FREQUENCIES,
	computePrevio,
	type Contract,
	type Tariff,
	type TariffAssignment
} from '@enlace/shared';

const TODAY = '2026-03-10';
let db: EnlaceDb;

/**
 * A device holding `customers` customers' contracts: one contract each (frequencies in turn, some
 * billed in arrears, some on day 15), an internet tariff from last year and, for every other
 * customer, a second tariff starting mid-period with a discount; 20 tariffs at every VAT rate.
 * Written with bulkPut, not timed.
 */
async function seed(customers: number): Promise<{ rows: number }> {
	db = new EnlaceDb(`bench-previo-${Date.now()}`);
	await db.open();
	const rates = [21, 10, 4, 0] as const;
	const tariffs: Tariff[] = Array.from({ length: 20 }, (_, i) => ({
		id: `t${i}`,
		name: `Tarifa ${i}`,
		priceCents: 1990 + i * 500,
		vatRate: rates[i % 4],
		billingPeriod: 'monthly',
		downloadMbps: 100 + i * 50,
		uploadMbps: 20,
		active: true
	}));
	const contracts: Contract[] = [];
	const assignments: TariffAssignment[] = [];
	for (let i = 0; i < customers; i++) {
		const customerId = `c${i}`;
		contracts.push({
			id: `k${i}`,
			customerId,
			name: 'Contrato principal',
			fromDate: '2025-01-01',
			billingFrequency: BILLING_FREQUENCIES[i % BILLING_FREQUENCIES.length],
			billingMode: i % 3 === 0 ? 'arrears' : 'advance',
			periodStartDay: i % 5 === 0 ? 15 : 1
		});
		assignments.push({
			id: `a${i}`,
			customerId,
			contractId: `k${i}`,
			tariffId: `t${i % 20}`,
			startDate: '2025-01-01',
			quantity: 1
		});
		if (i % 2 === 0) {
			assignments.push({
				id: `b${i}`,
				customerId,
				contractId: `k${i}`,
				tariffId: `t${(i + 7) % 20}`,
				startDate: '2026-04-16',
				discountPercent: 12.5,
				quantity: 1 + (i % 3)
			});
		}
	}
	await db.tariff.bulkPut(tariffs);
	for (let i = 0; i < contracts.length; i += 5000)
		await db.contract.bulkPut(contracts.slice(i, i + 5000));
	for (let i = 0; i < assignments.length; i += 5000)
		await db.tariffAssignment.bulkPut(assignments.slice(i, i + 5000));
	return { rows: tariffs.length + contracts.length + assignments.length };
}

const read = () =>
	Promise.all([db.contract.toArray(), db.tariffAssignment.toArray(), db.tariff.toArray()]);

/** Baseline: only reading the rows the previo needs out of IndexedDB. */
async function readOnly(): Promise<{ ms: number; rows: number }> {
	const t0 = performance.now();
	const [c, a, t] = await read();
	return { ms: performance.now() - t0, rows: c.length + a.length + t.length };
}

/** The previo of every customer: read, group by customer, one computePrevio each. */
async function previoAll(): Promise<{ ms: number; customers: number; totalCents: number }> {
	const t0 = performance.now();
	const [contracts, assignments, tariffs] = await read();
	const byCustomer = new Map<string, { c: Contract[]; a: TariffAssignment[] }>();
	const of = (id: string) => {
		let g = byCustomer.get(id);
		if (!g) byCustomer.set(id, (g = { c: [], a: [] }));
		return g;
	};
	for (const c of contracts) of(c.customerId).c.push(c);
	for (const a of assignments) of(a.customerId).a.push(a);
	let totalCents = 0;
	for (const g of byCustomer.values()) {
		totalCents += computePrevio({
			today: TODAY,
			contracts: g.c,
			assignments: g.a,
			tariffs
		}).totalCents;
	}
	return { ms: performance.now() - t0, customers: byCustomer.size, totalCents };
}

(window as unknown as { bench: unknown }).bench = { seed, readOnly, previoAll };
