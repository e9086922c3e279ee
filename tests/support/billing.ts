// Billing-run test support (docs/billing-run.md): customers with a contract and a tariff each,
// pushed as the office would type them, some of them with each of the run's exceptions.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { api, customerArgs, mutation, push, type Mutation, type TestServer } from './server';
import { companyProfile, fibraTariff } from './money';
import { CASH_TYPE, sepa } from './finance';

/** Monthly, in advance, from January 2026: due in every month's run from then on. */
export const RUN_MONTH = '2027-01';

const OLD_DEBIT_TYPE = 'paymentMethodType-domiciliacion-antigua';

export type Seeded = { ready: number; exceptions: number; customerIds: string[] };

async function pushAll(s: TestServer, mutations: Mutation<unknown>[]) {
	for (let i = 0; i < mutations.length; i += 100) {
		const r = await push(s.url, s.adminToken, mutations.slice(i, i + 100), `seed-${randomUUID()}`);
		expect(
			r.status,
			JSON.stringify(r.body.error ?? r.body.results.find((x) => x.status !== 'applied'))
		).toBe(200);
		for (const res of r.body.results) expect(res).toMatchObject({ status: 'applied' });
	}
}

/**
 * The company, one tariff (Fibra 30,00 € + 21 %) and `ready` customers each with a contract billed
 * monthly, half paid by SEPA debit with a signed mandate, half in cash; then one customer with
 * each exception (no payment method, SEPA without a mandate, 100 % discount, no tax id).
 */
export async function seedRun(s: TestServer, ready: number): Promise<Seeded> {
	const tariffId = randomUUID();
	const ms: Mutation<unknown>[] = [
		mutation('companyProfile.save', companyProfile()),
		mutation('tariff.create', fibraTariff(tariffId))
	];
	const oldDebit = {
		id: OLD_DEBIT_TYPE,
		list: 'paymentMethodType',
		name: 'Domiciliación (antigua)',
		order: 90,
		active: true,
		usesBank: false
	};
	ms.push(mutation('setting.create', oldDebit));
	const customerIds: string[] = [];
	const noTaxId: string[] = [];
	const add = (
		i: number,
		o: { method?: 'cash' | 'sepa' | 'none' | 'no-mandate'; discount?: number; noTaxId?: boolean }
	) => {
		const customer = customerArgs({ name: `Cliente ${String(i).padStart(4, '0')}` });
		if (o.noTaxId) noTaxId.push(customer.id as string);
		customerIds.push(customer.id as string);
		ms.push(mutation('customer.create', customer));
		let paymentMethodId: string | undefined;
		if (o.method !== 'none') {
			const method =
				o.method === 'sepa'
					? sepa(customer.id as string, { isDefault: true })
					: {
							id: randomUUID(),
							customerId: customer.id,
							typeId: o.method === 'no-mandate' ? OLD_DEBIT_TYPE : CASH_TYPE,
							isDefault: true
						};
			paymentMethodId = method.id as string;
			ms.push(mutation('paymentMethod.create', method));
		}
		const contractId = randomUUID();
		ms.push(
			mutation('contract.create', {
				id: contractId,
				customerId: customer.id,
				name: 'Casa',
				fromDate: '2026-01-01',
				billingFrequency: 'monthly',
				...(paymentMethodId ? { paymentMethodId } : {})
			}),
			mutation('tariffAssignment.create', {
				id: randomUUID(),
				customerId: customer.id,
				contractId,
				tariffId,
				startDate: '2026-01-01',
				quantity: 1,
				...(o.discount ? { discountPercent: o.discount } : {})
			})
		);
	};
	for (let i = 0; i < ready; i++) add(i, { method: i % 2 ? 'sepa' : 'cash' });
	add(ready, { method: 'none' });
	add(ready + 1, { method: 'no-mandate' });
	add(ready + 2, { method: 'cash', discount: 100 });
	add(ready + 3, { method: 'cash', noTaxId: true });
	// A type made a bank debit after its methods were entered: they debit without a mandate.
	ms.push(mutation('setting.update', { id: OLD_DEBIT_TYPE, patch: { usesBank: true } }));
	await pushAll(s, ms);
	// Today a customer cannot be saved without one; a customer brought over from an older system can.
	for (const id of noTaxId) {
		await s.db.client.execute({
			sql: `UPDATE records SET data = json_set(data, '$.taxId', '') WHERE entity = 'customer' AND id = ?`,
			args: [id]
		});
	}
	return { ready, exceptions: 4, customerIds };
}

/** The month's invoices as stored: numbers, chain positions, contracts. */
export async function runInvoices(s: TestServer, month = RUN_MONTH) {
	const r = await s.db.client.execute({
		sql: `SELECT data FROM records WHERE entity = 'document'
			AND json_extract(data, '$.billingRun.period') = ? ORDER BY json_extract(data, '$.number')`,
		args: [month]
	});
	return r.rows.map((x) => JSON.parse(String(x.data)));
}

/**
 * Numbers 1..n of the invoice series without a gap or a repeat, each contract invoiced once, and
 * the VeriFactu chain whole (the server's own check).
 */
export async function expectWholeRun(s: TestServer, n: number) {
	const docs = await runInvoices(s);
	const year = docs[0]?.issueDate.slice(0, 4);
	expect(docs.map((d) => d.number)).toEqual(
		Array.from({ length: n }, (_, i) => `F${year}-${String(i + 1).padStart(4, '0')}`)
	);
	expect(new Set(docs.map((d) => d.billingRun.contractId)).size).toBe(n);
	const check = await api(s.url, s.adminToken).get('/api/verifactu/check');
	expect(check.status).toBe(200);
	expect(check.body).toMatchObject({ ok: true });
	const positions = await s.db.client.execute(
		`SELECT count(*) AS n, max(json_extract(data, '$.position')) AS top FROM records WHERE entity = 'verifactuRecord'`
	);
	expect(Number(positions.rows[0].n)).toBe(n);
	expect(Number(positions.rows[0].top)).toBe(n);
	return docs;
}
