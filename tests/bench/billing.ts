import { DEFAULT_SERIES, makeCif } from '@enlace/shared';
import { startTestServer, type TestServer } from '../support/server';
import { recordStatements, type RecordWrite } from '../../sync-server/src/sync/store';
import { RUN_BATCH, previewRun, runBilling } from '../../sync-server/src/billing/run';
import { SeqNotifier } from '../../sync-server/src/sync/notifier';
import { seedCustomers } from './seed';
import type { Figures } from './report';

const CUSTOMERS = Number(process.env.BENCH_BILLING_CUSTOMERS ?? 50_000);
const MONTH = '2027-01';
const TARIFFS = [
	{ id: 'tariff-fibra-100', name: 'Fibra 100', priceCents: 2500 },
	{ id: 'tariff-fibra-600', name: 'Fibra 600', priceCents: 3500 },
	{ id: 'tariff-tv', name: 'TV', priceCents: 1000 },
	{ id: 'tariff-ip', name: 'IP fija', priceCents: 500 }
];
const cid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

async function writeAll(s: TestServer, writes: RecordWrite[], now: string) {
	for (let i = 0; i < writes.length; i += 5000) {
		const chunk = writes.slice(i, i + 5000);
		await s.db.exclusive(() => s.db.client.batch(recordStatements(chunk, null, now), 'write'));
	}
}

/**
 * The office's data of an ISP of `CUSTOMERS` customers: the company, four tariffs, and per
 * customer a payment method (half SEPA with a signed mandate, half cash) and a monthly contract
 * with Fibra (plus TV for one in three); one customer in five has a second contract (IP fija,
 * quarterly, due in January) — about 60,000 invoices in January's run.
 */
async function seedOffice(s: TestServer): Promise<void> {
	await seedCustomers(s.db, CUSTOMERS, { contacts: false, history: false, routerEvery: 0 });
	const now = new Date().toISOString();
	const writes: RecordWrite[] = [
		{
			entity: 'companyProfile',
			id: 'empresa',
			row: {
				id: 'empresa',
				legalName: 'Redes del Valle SL',
				nif: makeCif(7654321),
				street: 'C/ Mayor 1',
				postalCode: '28001',
				town: 'Madrid',
				series: DEFAULT_SERIES,
				verifactu: true
			}
		},
		...TARIFFS.map((t) => ({
			entity: 'tariff' as const,
			id: t.id,
			row: {
				...t,
				vatRate: 21,
				billingPeriod: 'monthly',
				downloadMbps: 100,
				uploadMbps: 10,
				active: true
			}
		}))
	];
	const assign = (i: number, k: string, contractId: string, tariffId: string) => ({
		entity: 'tariffAssignment' as const,
		id: `${k}${cid(i).slice(1)}`,
		row: {
			id: `${k}${cid(i).slice(1)}`,
			customerId: cid(i),
			contractId,
			tariffId,
			startDate: '2026-01-01',
			quantity: 1
		}
	});
	for (let i = 0; i < CUSTOMERS; i++) {
		const customerId = cid(i);
		const pm = `f${customerId.slice(1)}`;
		writes.push({
			entity: 'paymentMethod',
			id: pm,
			row:
				i % 2
					? {
							id: pm,
							customerId,
							typeId: 'paymentMethodType-sepa',
							isDefault: true,
							iban: 'ES9121000418450200051332',
							accountHolder: 'Titular',
							mandateReference: `MAND-${i}`,
							mandateSignedAt: '2026-01-15',
							mandateScheme: 'CORE',
							mandateType: 'recurrent'
						}
					: { id: pm, customerId, typeId: 'paymentMethodType-efectivo', isDefault: true }
		});
		const k1 = `c${customerId.slice(1)}`;
		writes.push({
			entity: 'contract',
			id: k1,
			row: {
				id: k1,
				customerId,
				name: 'Casa',
				fromDate: '2026-01-01',
				billingFrequency: 'monthly',
				paymentMethodId: pm,
				paymentTypeId: i % 2 ? 'paymentMethodType-sepa' : 'paymentMethodType-efectivo'
			}
		});
		writes.push(assign(i, 'g', k1, i % 2 ? 'tariff-fibra-600' : 'tariff-fibra-100'));
		if (i % 3 === 0) writes.push(assign(i, 'h', k1, 'tariff-tv'));
		if (i % 5 === 0) {
			const k2 = `9${customerId.slice(1)}`;
			writes.push({
				entity: 'contract',
				id: k2,
				row: {
					id: k2,
					customerId,
					name: 'IP fija',
					fromDate: '2026-01-01',
					billingFrequency: 'quarterly',
					paymentMethodId: pm
				}
			});
			writes.push(assign(i, 'j', k2, 'tariff-ip'));
		}
	}
	await writeAll(s, writes, now);
}

/**
 * The billing run of January for the seeded ISP (every invoice issued through document.issue:
 * numbers, VeriFactu chain, Historial), against a raw libSQL insert of exactly the rows it wrote
 * — the same rows, the same batches, through the same change-log statement — into a second server's
 * fresh database in the same process.
 */
export async function billingBench(log: (s: string) => void): Promise<Figures> {
	const s = await startTestServer();
	const raw = await startTestServer();
	try {
		log(`seeding ${CUSTOMERS} customers with contracts, tariffs and payment methods…`);
		await seedOffice(s);
		const before = Number(
			(await s.db.client.execute("SELECT value FROM counters WHERE name = 'seq'")).rows[0].value
		);
		let t0 = performance.now();
		const preview = await previewRun(s.db, MONTH);
		const previewSeconds = (performance.now() - t0) / 1000;
		log(
			`preview: ${preview.summary.invoices} invoices in ${previewSeconds.toFixed(2)} s; running…`
		);
		t0 = performance.now();
		const run = await runBilling(s.db, new SeqNotifier(), MONTH, {
			id: 'bench',
			name: 'Bench',
			role: 'office'
		});
		const seconds = (performance.now() - t0) / 1000;
		if (run.state !== 'done' || run.issued !== preview.summary.ready) {
			throw new Error(`run ended ${JSON.stringify(run)}`);
		}
		const written = await s.db.client.execute({
			sql: 'SELECT entity, id, data FROM records WHERE seq > ? ORDER BY seq',
			args: [before]
		});
		const rows: RecordWrite[] = written.rows.map((r) => ({
			entity: String(r.entity) as RecordWrite['entity'],
			id: String(r.id),
			row: JSON.parse(String(r.data))
		}));
		log(`run: ${run.issued} invoices, ${rows.length} rows in ${seconds.toFixed(2)} s; raw insert…`);
		const perBatch = Math.ceil(rows.length / Math.ceil(run.issued / RUN_BATCH));
		const now = new Date().toISOString();
		t0 = performance.now();
		for (let i = 0; i < rows.length; i += perBatch) {
			const chunk = rows.slice(i, i + perBatch);
			await raw.db.exclusive(() =>
				raw.db.client.batch(recordStatements(chunk, 'bench', now), 'write')
			);
		}
		const rawSeconds = (performance.now() - t0) / 1000;
		log(`raw insert: ${rawSeconds.toFixed(2)} s`);
		return {
			'billing.customers': CUSTOMERS,
			'billing.run.invoices': run.issued,
			'billing.run.rows': rows.length,
			'billing.preview.seconds': previewSeconds,
			'billing.run.seconds': seconds,
			'billing.run.rawSeconds': rawSeconds,
			'billing.run.ratio': seconds / rawSeconds
		};
	} finally {
		await s.close();
		await raw.close();
	}
}
