import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { customerArgs, pullAll, pushOne, type TestServer } from '../support/server';
import { companyProfile, invoiceDraft } from '../support/money';
import { twoServersForSuite } from '../support/two-servers';

// docs/money.md "Pagar con monedero": document.payWithWallet writes the wallet's spend and the
// document's payment in one atomic batch, on two server instances sharing one sqld. Two devices
// paying with the same money, or paying the same invoice, cannot both pass, and the refused one
// leaves its document unpaid and the wallet untouched.

const servers = twoServersForSuite();
const TOTAL = 4175; // invoiceDraft's total: 41,75 €

async function applied(s: TestServer, name: string, args: unknown) {
	const r = await pushOne(s.url, s.adminToken, name, args);
	expect(r.body.results[0], name).toEqual({ id: r.id, status: 'applied' });
}

async function customerWith(cents: number, invoices: number) {
	const { a } = servers;
	await applied(a, 'companyProfile.save', companyProfile());
	const c = customerArgs();
	await applied(a, 'customer.create', c);
	await applied(a, 'walletEntry.create', {
		id: randomUUID(),
		customerId: c.id,
		concept: 'Ingreso',
		date: '2026-12-03',
		amountCents: cents
	});
	const ids: string[] = [];
	for (let i = 0; i < invoices; i++) {
		const d = invoiceDraft(c.id);
		await applied(a, 'document.create', d);
		await applied(a, 'document.issue', { id: d.id });
		ids.push(d.id);
	}
	return { customerId: c.id as string, ids };
}

async function rows(entity: string, field: string, value: string) {
	const r = await servers.a.db.client.execute({
		sql: `SELECT data FROM records WHERE entity = ? AND deleted = 0 AND json_extract(data, '$.${field}') = ?`,
		args: [entity, value]
	});
	return r.rows.map((x) => JSON.parse(String(x.data)));
}
const doc = async (id: string) => (await rows('document', 'id', id))[0];
const spends = async (customerId: string) =>
	(await rows('walletEntry', 'customerId', customerId)).filter((e) => e.amountCents < 0);
const balance = async (customerId: string) =>
	(await rows('walletEntry', 'customerId', customerId)).reduce((s, e) => s + e.amountCents, 0);

/** Each payment pushed as its own device, alternating between the two servers, all at once. */
const payAtOnce = (payments: { documentId: string; amountCents: number }[]) =>
	Promise.all(
		payments.map(async (p, i) => {
			const r = await pushOne(
				i % 2 ? servers.b.url : servers.a.url,
				servers.a.adminToken,
				'document.payWithWallet',
				{ id: randomUUID(), date: '2026-12-03', ...p },
				{ clientId: `payer-${i}` }
			);
			return r.body.results[0];
		})
	);

describe('Pagar con monedero on two server instances', () => {
	it('pays in part then in full; the spend is linked and reaches the office', async () => {
		const { customerId, ids } = await customerWith(5000, 1);
		const [first] = await payAtOnce([{ documentId: ids[0], amountCents: 1000 }]);
		expect(first.status).toBe('applied');
		expect(await doc(ids[0])).toMatchObject({ state: 'cobrada-parcial', paidCents: 1000 });
		const [over] = await payAtOnce([{ documentId: ids[0], amountCents: TOTAL }]);
		expect(over).toMatchObject({
			status: 'rejected',
			error: { field: 'amountCents', message: expect.stringMatching(/quedan 31,75/) }
		});
		const [rest] = await payAtOnce([{ documentId: ids[0], amountCents: TOTAL - 1000 }]);
		expect(rest.status).toBe('applied');
		const paid = await doc(ids[0]);
		expect(paid.state).toBe('cobrada');
		expect(paid.paidCents).toBeUndefined();
		expect(await balance(customerId)).toBe(5000 - TOTAL);
		const pulled = (await pullAll(servers.b.url, servers.a.adminToken)).changes.filter(
			(c) => c.entity === 'walletEntry' && c.data?.documentId === ids[0]
		);
		expect(pulled.map((c) => c.data?.concept)).toEqual([
			`Pago factura ${paid.number}`,
			`Pago factura ${paid.number}`
		]);
	});

	it('two devices paying two invoices with the same money: one refused, nothing else changed', async () => {
		const { customerId, ids } = await customerWith(TOTAL, 2);
		const results = await payAtOnce(ids.map((documentId) => ({ documentId, amountCents: TOTAL })));
		expect(
			results.filter((r) => r.status === 'applied'),
			JSON.stringify(results)
		).toHaveLength(1);
		const refusedAt = results.findIndex((r) => r.status !== 'applied');
		expect(results[refusedAt]).toMatchObject({
			status: 'rejected',
			error: { code: 'insufficient-balance', field: 'amountCents' }
		});
		expect((await doc(ids[refusedAt])).state).toBe('emitida');
		expect((await doc(ids[1 - refusedAt])).state).toBe('cobrada');
		const spent = await spends(customerId);
		expect(spent.map((e) => e.documentId)).toEqual([ids[1 - refusedAt]]);
		expect(await balance(customerId)).toBe(0);
	});

	it('two devices paying the same invoice at once: paid once, the wallet charged once', async () => {
		const { customerId, ids } = await customerWith(3 * TOTAL, 1);
		const results = await payAtOnce([
			{ documentId: ids[0], amountCents: TOTAL },
			{ documentId: ids[0], amountCents: TOTAL },
			{ documentId: ids[0], amountCents: TOTAL }
		]);
		expect(
			results.filter((r) => r.status === 'applied'),
			JSON.stringify(results)
		).toHaveLength(1);
		for (const r of results.filter((x) => x.status !== 'applied')) {
			expect(r.error).toMatchObject({
				field: 'amountCents',
				message: 'El documento ya está cobrado'
			});
		}
		expect((await doc(ids[0])).state).toBe('cobrada');
		expect(await spends(customerId)).toHaveLength(1);
		expect(await balance(customerId)).toBe(2 * TOTAL);
	});
});
