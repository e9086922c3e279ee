import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { customerArgs, officeAndTechnician, pullAll, pushOne } from '../support/server';
import { twoServersForSuite } from '../support/two-servers';

// The Monedero's one rule, held by the server: the balance never goes below zero, also when
// devices spend the same money offline and their pushes reach two server instances at once.

const servers = twoServersForSuite();

const entry = (customerId: string, amountCents: number, concept = 'Pago factura') => ({
	id: randomUUID(),
	customerId,
	concept,
	date: '2026-12-03',
	amountCents
});

async function newCustomerWith(cents: number): Promise<string> {
	const c = customerArgs();
	const made = await pushOne(servers.a.url, servers.a.adminToken, 'customer.create', c);
	expect(made.body.results[0].status).toBe('applied');
	const dep = await pushOne(
		servers.a.url,
		servers.a.adminToken,
		'walletEntry.create',
		entry(c.id, cents, 'Ingreso')
	);
	expect(dep.body.results[0]).toEqual({ id: dep.id, status: 'applied' });
	return c.id;
}

async function balanceOf(customerId: string): Promise<number> {
	const r = await servers.a.db.client.execute({
		sql: `SELECT coalesce(sum(data ->> '$.amountCents'), 0) AS s FROM records
			WHERE entity = 'walletEntry' AND deleted = 0 AND customer_id = ?`,
		args: [customerId]
	});
	return Number(r.rows[0].s);
}

/** Each spend pushed as its own device, alternating between the two servers, all at once. */
function spendAtOnce(customerId: string, amounts: number[]) {
	return Promise.all(
		amounts.map((cents, i) =>
			pushOne(
				i % 2 ? servers.b.url : servers.a.url,
				servers.a.adminToken,
				'walletEntry.create',
				entry(customerId, -cents),
				{
					clientId: `device-${i}`
				}
			)
		)
	);
}

describe('Monedero on two server instances', () => {
	it('two devices spending the same 25,00 €: one applied, the other refused with the reason', async () => {
		const id = await newCustomerWith(2500);
		for (let round = 0; round < 3; round++) {
			const answers = await spendAtOnce(id, [2500, 2500]);
			const results = answers.map((r) => r.body.results[0]);
			if (round > 0) {
				// The money is gone: both refused.
				expect(results.every((r) => r.status === 'rejected')).toBe(true);
				continue;
			}
			expect(
				results.filter((r) => r.status === 'applied'),
				JSON.stringify(results)
			).toHaveLength(1);
			const refused = results.find((r) => r.status !== 'applied')!;
			expect(refused.error).toMatchObject({ code: 'insufficient-balance', field: 'amountCents' });
			expect(refused.error!.message).toBe(
				'Saldo insuficiente en el monedero: hay 0,00\u00a0€ y el movimiento resta 25,00\u00a0€. El saldo no puede quedar por debajo de 0,00\u00a0€'
			);
		}
		expect(await balanceOf(id)).toBe(0);
	});

	it('ten spends of 10,00 € against 25,00 €: exactly two applied', async () => {
		const id = await newCustomerWith(2500);
		const answers = await spendAtOnce(id, Array(10).fill(1000));
		const results = answers.map((r) => r.body.results[0]);
		expect(results.filter((r) => r.status === 'applied')).toHaveLength(2);
		for (const r of results.filter((x) => x.status !== 'applied')) {
			expect(r.error?.code).toBe('insufficient-balance');
		}
		expect(await balanceOf(id)).toBe(500);
	});

	it('a deposit racing the spends is never lost and lets the balance hold', async () => {
		const id = await newCustomerWith(1000);
		const [deposit, ...spends] = await Promise.all([
			pushOne(
				servers.b.url,
				servers.a.adminToken,
				'walletEntry.create',
				entry(id, 1000, 'Ingreso')
			),
			...Array.from({ length: 6 }, (_, i) =>
				pushOne(
					i % 2 ? servers.b.url : servers.a.url,
					servers.a.adminToken,
					'walletEntry.create',
					entry(id, -700)
				)
			)
		]);
		expect(deposit.body.results[0].status).toBe('applied');
		const spent = spends.filter((r) => r.body.results[0].status === 'applied').length;
		expect(spent).toBeGreaterThanOrEqual(1);
		expect(spent).toBeLessThanOrEqual(2);
		expect(await balanceOf(id)).toBe(2000 - spent * 700);
		expect(await balanceOf(id)).toBeGreaterThanOrEqual(0);
	});

	it('is finance data: a technician neither records movements nor receives them', async () => {
		const id = await newCustomerWith(500);
		const { officeToken, techToken } = await officeAndTechnician(servers.a);
		const tech = await pushOne(servers.a.url, techToken, 'walletEntry.create', entry(id, 500));
		expect(tech.body.results[0]).toMatchObject({
			status: 'rejected',
			error: { code: 'forbidden' }
		});
		const office = await pushOne(servers.b.url, officeToken, 'walletEntry.create', entry(id, -200));
		expect(office.body.results[0].status).toBe('applied');
		const techRows = (await pullAll(servers.a.url, techToken)).changes.filter(
			(c) => c.entity === 'walletEntry'
		);
		expect(techRows).toEqual([]);
		const officeRows = (await pullAll(servers.b.url, officeToken)).changes.filter(
			(c) => c.entity === 'walletEntry' && c.data?.customerId === id
		);
		expect(officeRows).toHaveLength(2);
		expect(officeRows.find((c) => c.data?.amountCents === -200)?.data).toMatchObject({
			userName: 'Usuario office'
		});
	});
});
