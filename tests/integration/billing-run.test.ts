// docs/billing-run.md: the month's billing run previews every contract's invoice with its
// exceptions, issues the rest through document.issue in batches, and never invoices a contract
// twice for a month — run again, stopped half way and taken up, or run by two servers at once on
// one sqld: numbers 1..N without a gap or a repeat, and the VeriFactu chain whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import {
	api,
	mutation,
	officeAndTechnician,
	push,
	pullAll,
	startTestServer,
	startTwoServersOnSqld,
	type TestServer,
	type TwoServers
} from '../support/server';
import { RUN_MONTH, expectWholeRun, runInvoices, seedRun } from '../support/billing';
import { prepareRun } from '../../sync-server/src/billing/run';
import { SeqNotifier } from '../../sync-server/src/sync/notifier';

const OFFICE = { id: 'office-test', name: 'Oficina', role: 'office' as const };

async function waitDone(s: TestServer, month = RUN_MONTH) {
	await s.billingRuns.job(month);
	const r = await api(s.url, s.adminToken).get(`/api/billing/runs/${month}`);
	expect(r.status).toBe(200);
	return r.body.run;
}

describe('the billing run on one server', () => {
	let s: TestServer;
	beforeAll(async () => {
		s = await startTestServer();
		await seedRun(s, 12);
	});
	afterAll(async () => {
		await s?.close();
	});

	it('previews every invoice with totals and exceptions; only the office and admins may', async () => {
		const { officeToken, techToken } = await officeAndTechnician(s);
		const tech = await api(s.url, techToken).get(`/api/billing/preview?period=${RUN_MONTH}`);
		expect(tech.status).toBe(403);
		const bad = await api(s.url, officeToken).get('/api/billing/preview?period=2027-13');
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatchObject({ field: 'period' });

		const p = await api(s.url, officeToken).get(`/api/billing/preview?period=${RUN_MONTH}&size=5`);
		expect(p.status).toBe(200);
		expect(p.body.summary).toMatchObject({
			invoices: 16,
			ready: 12,
			// 30,00 + 21 % = 36,30 each
			readyCents: 12 * 3630,
			exceptions: 4,
			issued: 0,
			byException: { 'no-payment-method': 1, 'no-mandate': 1, 'zero-amount': 1, 'no-tax-id': 1 }
		});
		expect(p.body).toMatchObject({ count: 16, pages: 4, run: null });
		expect(p.body.items).toHaveLength(5);
		expect(p.body.items[0]).toMatchObject({
			customerName: 'Cliente 0000',
			periodStart: '2027-01-01',
			periodEnd: '2027-01-31',
			lines: [{ description: 'Fibra 300 (01/01/2027–31/01/2027)', unitCents: 3000, vatRate: 21 }],
			totals: { totalCents: 3630 },
			exceptions: []
		});
		const ex = await api(s.url, officeToken).get(
			`/api/billing/preview?period=${RUN_MONTH}&filter=exceptions`
		);
		expect(
			ex.body.items.map((i: { exceptions: { message: string }[] }) => i.exceptions[0].message)
		).toEqual([
			'Sin forma de pago',
			'Recibo domiciliado sin mandato válido',
			'Importe cero',
			'Cliente sin NIF'
		]);
	});

	it('issues every invoice without exceptions once; running it again issues nothing more', async () => {
		const start = await api(s.url, s.adminToken).post('/api/billing/runs', { period: RUN_MONTH });
		expect(start.status).toBe(202);
		expect(start.body.run).toMatchObject({ period: RUN_MONTH, total: 12, held: 4 });
		const run = await waitDone(s);
		expect(run).toMatchObject({
			state: 'done',
			total: 12,
			issued: 12,
			held: 4,
			totalCents: 12 * 3630
		});
		const docs = await expectWholeRun(s, 12);
		expect(docs[0]).toMatchObject({
			kind: 'factura',
			state: 'emitida',
			totals: { baseCents: 3000, vatCents: 630, totalCents: 3630 },
			recipient: { name: 'Cliente 0000' }
		});

		const again = await api(s.url, s.adminToken).post('/api/billing/runs', { period: RUN_MONTH });
		expect(again.status).toBe(202);
		expect(await waitDone(s)).toMatchObject({ state: 'done', issued: 12 });
		await expectWholeRun(s, 12);
		const p = await api(s.url, s.adminToken).get(
			`/api/billing/preview?period=${RUN_MONTH}&filter=issued`
		);
		expect(p.body.summary.issued).toBe(12);
		expect(p.body.items[0].number).toMatch(/^F\d{4}-0001$/);
	});

	it('the invoices reach the office’s devices as synced rows', async () => {
		const { changes } = await pullAll(s.url, s.adminToken);
		const docs = changes.filter((c) => c.entity === 'document' && c.data?.billingRun);
		expect(docs.length).toBe(12);
	});
});

describe('renewals in the run', () => {
	it('a package due in the month is charged on the customer’s invoice and moves on once', async () => {
		const s = await startTestServer();
		try {
			const { customerIds } = await seedRun(s, 2);
			const packageId = randomUUID();
			const assignmentId = randomUUID();
			const r = await push(s.url, s.adminToken, [
				mutation('renewalPackage.create', {
					id: packageId,
					name: 'Dominio y hosting',
					items: ['Dominio .es'],
					priceCents: 12000,
					vatRate: 21,
					period: 'yearly',
					active: true
				}),
				mutation('renewalAssignment.create', {
					id: assignmentId,
					customerId: customerIds[0],
					packageId,
					startDate: '2026-01-20',
					priceCents: 10000,
					quantity: 1,
					nextRenewal: `${RUN_MONTH}-20`
				})
			]);
			expect(r.body.results.map((x: { status: string }) => x.status)).toEqual([
				'applied',
				'applied'
			]);
			await api(s.url, s.adminToken).post('/api/billing/runs', { period: RUN_MONTH });
			expect(await waitDone(s)).toMatchObject({ state: 'done', issued: 2 });
			const invoice = (await runInvoices(s)).find((d) => d.customerId === customerIds[0]);
			expect(
				invoice.lines.map((l: { renewal?: { assignmentId: string } }) => l.renewal?.assignmentId)
			).toEqual([undefined, assignmentId]);
			// 30,00 of fibre + 100,00 of the package, + 21 %.
			expect(invoice.totals).toMatchObject({ baseCents: 13000, totalCents: 15730 });
			const stored = async () =>
				JSON.parse(
					String(
						(
							await s.db.client.execute({
								sql: `SELECT data FROM records WHERE id = ?`,
								args: [assignmentId]
							})
						).rows[0].data
					)
				);
			expect(await stored()).toMatchObject({
				nextRenewal: '2028-01-20',
				lastInvoiced: { documentId: invoice.id }
			});
			await api(s.url, s.adminToken).post('/api/billing/runs', { period: RUN_MONTH });
			expect(await waitDone(s)).toMatchObject({ state: 'done', issued: 2 });
			await expectWholeRun(s, 2);
			expect((await stored()).nextRenewal).toBe('2028-01-20');
		} finally {
			await s.close();
		}
	});
});

describe('a run stopped half way', () => {
	it('is taken up by the next start of the server: no gap, no duplicate, the chain whole', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-run-'));
		const databaseUrl = `file:${path.join(dir, 'enlace.db')}`;
		try {
			const first = await startTestServer({ databaseUrl });
			await seedRun(first, 10);
			// Three invoices a batch; stopped after the second batch, like a kill between two commits
			// (a kill inside one loses its whole transaction, numbers included).
			const stop = new AbortController();
			let batches = 0;
			const notifier = new SeqNotifier();
			notifier.subscribe(() => {
				if (++batches === 2) stop.abort();
			});
			const rest = await prepareRun(first.db, notifier, RUN_MONTH, OFFICE, {
				batchSize: 3,
				signal: stop.signal
			});
			expect(await rest()).toMatchObject({ state: 'running', total: 10, issued: 6 });
			expect((await runInvoices(first)).length).toBe(6);
			await first.close();

			const second = await startTestServer({ databaseUrl });
			try {
				expect(await waitDone(second)).toMatchObject({ state: 'done', issued: 10, total: 10 });
				await expectWholeRun(second, 10);
			} finally {
				await second.close();
			}
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('two servers on one sqld', () => {
	let two: TwoServers;
	beforeAll(async () => {
		two = await startTwoServersOnSqld();
	});
	afterAll(async () => {
		await two?.close();
	});

	it('running the same month at once never invoices a contract twice nor forks the chain', async () => {
		const { a, b } = two;
		await seedRun(a, 30);
		const user = OFFICE;
		// Small batches so the two interleave.
		const [ra, rb] = await Promise.all(
			[a, b].map(async (s) =>
				(await prepareRun(s.db, new SeqNotifier(), RUN_MONTH, user, { batchSize: 4 }))()
			)
		);
		expect([ra.state, rb.state]).toEqual(['done', 'done']);
		await expectWholeRun(a, 30);
		expect((await runInvoices(b)).length).toBe(30);
	});
});
