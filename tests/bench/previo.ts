import { withBundledPage } from './sync';
import type { Figures } from './report';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);

type Bench = {
	seed(n: number): Promise<{ rows: number }>;
	readOnly(): Promise<{ ms: number; rows: number }>;
	previoAll(): Promise<{ ms: number; customers: number; totalCents: number }>;
};

/**
 * "Calcular próximo previo" for every customer of a device holding 50,000 customers' contracts
 * and tariff assignments, in headless Chromium from IndexedDB, against only reading the same
 * rows in the same page. The page is served by Playwright itself (no server needed).
 */
export async function previoBench(log: (s: string) => void): Promise<Figures> {
	return withBundledPage('previo-entry.ts', log, async (page) => {
		log(`seeding ${CUSTOMERS.toLocaleString('es-ES')} customers' contracts and tariffs…`);
		const seeded = await page.evaluate(
			(n) => (window as never as { bench: Bench }).bench.seed(n),
			CUSTOMERS
		);
		log(`  ${seeded.rows.toLocaleString('es-ES')} rows`);
		// The first read warms IndexedDB's caches for both measures alike.
		const readOnly = () =>
			page.evaluate(() => (window as never as { bench: Bench }).bench.readOnly());
		await readOnly();
		const read = await readOnly();
		const previo = await page.evaluate(() =>
			(window as never as { bench: Bench }).bench.previoAll()
		);
		log(`  previo of ${previo.customers} customers in ${previo.ms.toFixed(0)} ms`);
		if (previo.customers !== CUSTOMERS)
			throw new Error(`previo covered ${previo.customers} customers, expected ${CUSTOMERS}`);
		if (!(previo.totalCents > 0)) throw new Error('previo total is 0');
		return {
			'previo.allCustomers.ms': previo.ms,
			'previo.readOnlyMs': read.ms,
			'previo.ratioToRead': previo.ms / read.ms,
			'previo.customers': previo.customers
		};
	});
}
