import { withBundledPage } from './sync';
import { median, type Figures } from './report';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
/** Rounds of the previo and of its baseline: the figures are their medians. */
const ROUNDS = 3;

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
		// The first read warms IndexedDB's caches for both measures alike. Then the read and the
		// previo in turn, ROUNDS times, their medians: one run of each swung by half a second
		// with this machine's load (2.2-3.4 s for the previo on different runs of the same build).
		const readOnly = () =>
			page.evaluate(() => (window as never as { bench: Bench }).bench.readOnly());
		const previoAll = () =>
			page.evaluate(() => (window as never as { bench: Bench }).bench.previoAll());
		await readOnly();
		const reads: number[] = [];
		const previos: number[] = [];
		let covered = { customers: 0, totalCents: 0 };
		for (let round = 0; round < ROUNDS; round++) {
			const read = await readOnly();
			const previo = await previoAll();
			log(
				`  round ${round + 1}: previo of ${previo.customers} customers in ${previo.ms.toFixed(0)} ms, reading alone ${read.ms.toFixed(0)} ms`
			);
			reads.push(read.ms);
			previos.push(previo.ms);
			covered = previo;
		}
		if (covered.customers !== CUSTOMERS)
			throw new Error(`previo covered ${covered.customers} customers, expected ${CUSTOMERS}`);
		if (!(covered.totalCents > 0)) throw new Error('previo total is 0');
		return {
			'previo.allCustomers.ms': median(previos),
			'previo.readOnlyMs': median(reads),
			'previo.ratioToRead': median(previos) / median(reads),
			'previo.customers': covered.customers
		};
	});
}
