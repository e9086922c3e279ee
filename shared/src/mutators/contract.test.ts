import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/user';
import { linkedTariffOn } from './contract';
import { failure, memoryTx } from './memory-tx';

const TARIFF = {
	vatRate: 21,
	billingPeriod: 'monthly',
	uploadMbps: 20,
	active: true
};

function setup(role: Role = 'office', server = true, now = '2026-03-10T10:00:00.000Z') {
	const m = memoryTx(role, now);
	(m.tx as { ctx: object }).ctx = { ...m.tx.ctx, server };
	const t = m.table;
	t('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
	t('customer').set('c2', { id: 'c2', code: 'C00002', name: 'Talleres Ávila' });
	t('address').set('d1', { id: 'd1', customerId: 'c1', street: 'C/ Mayor 1' });
	t('address').set('d2', { id: 'd2', customerId: 'c2', street: 'C/ Menor 2' });
	t('paymentMethod').set('p1', {
		id: 'p1',
		customerId: 'c1',
		typeId: 'paymentMethodType-sepa',
		isDefault: true
	});
	t('paymentMethod').set('p2', {
		id: 'p2',
		customerId: 'c2',
		typeId: 'paymentMethodType-efectivo',
		isDefault: true
	});
	t('tariff').set('t1', {
		id: 't1',
		name: 'Fibra 300',
		priceCents: 3000,
		downloadMbps: 300,
		...TARIFF
	});
	t('tariff').set('t2', {
		id: 't2',
		name: 'Fibra 600',
		priceCents: 4000,
		downloadMbps: 600,
		...TARIFF
	});
	t('tariff').set('t3', {
		id: 't3',
		name: 'Antigua',
		priceCents: 1000,
		downloadMbps: 10,
		...TARIFF,
		active: false
	});
	t('router').set('r1', { id: 'r1', name: 'R1', state: 'online' });
	t('pppoeAccount').set('acc1', {
		id: 'acc1',
		customerId: 'c1',
		routerId: 'r1',
		username: 'lucia',
		password: 'secreto1',
		tariffId: 't1',
		profile: 'enlace-fibra-300',
		offline: false
	});
	return m;
}

const CONTRACT = {
	id: 'k1',
	customerId: 'c1',
	name: 'Casa',
	fromDate: '2026-01-01',
	billingFrequency: 'monthly'
};
const ASSIGN = {
	id: 'a1',
	customerId: 'c1',
	contractId: 'k1',
	tariffId: 't1',
	startDate: '2026-01-01',
	quantity: 1
};

/** The tariff after ASSIGN's on the same account, from 10 March. */
const NEXT_TARIFF = {
	...ASSIGN,
	id: 'a2',
	tariffId: 't2',
	startDate: '2026-03-10',
	pppoeAccountId: 'acc1'
};

describe('contract mutators', () => {
	it('stores a contract with the payment type of its method', async () => {
		const { run, table } = setup();
		await run('contract.create', { ...CONTRACT, addressId: 'd1', paymentMethodId: 'p1' });
		expect(table('contract').get('k1')).toMatchObject({
			paymentMethodId: 'p1',
			paymentTypeId: 'paymentMethodType-sepa',
			createdAt: '2026-03-10T10:00:00.000Z'
		});
	});

	it('never trusts a payment type sent by a device', async () => {
		const { run, table } = setup();
		await run('contract.create', { ...CONTRACT, paymentTypeId: 'paymentMethodType-efectivo' });
		expect(table('contract').get('k1')).not.toHaveProperty('paymentTypeId');
	});

	it('refuses dates out of order', async () => {
		const { run } = setup();
		expect(
			await failure(run('contract.create', { ...CONTRACT, toDate: '2025-12-31' }))
		).toMatchObject({ code: 'invalid-field', field: 'toDate' });
	});

	it("refuses another customer's address or payment method", async () => {
		const { run } = setup();
		expect(await failure(run('contract.create', { ...CONTRACT, addressId: 'd2' }))).toMatchObject({
			code: 'invalid-field',
			field: 'addressId'
		});
		expect(
			await failure(run('contract.create', { ...CONTRACT, paymentMethodId: 'p2' }))
		).toMatchObject({ code: 'invalid-field', field: 'paymentMethodId' });
		expect(
			await failure(run('contract.create', { ...CONTRACT, paymentMethodId: 'nope' }))
		).toMatchObject({ code: 'invalid-field', field: 'paymentMethodId' });
	});

	it('lets a technician edit a contract but not choose its payment method', async () => {
		const office = setup();
		await office.run('contract.create', { ...CONTRACT, paymentMethodId: 'p1' });
		// The technician's phone: no payment methods there, the contract keeps its type.
		const tech = setup('technician', false);
		tech.table('paymentMethod').clear();
		tech.table('contract').set('k1', office.table('contract').get('k1')!);
		await tech.run('contract.update', { id: 'k1', patch: { notes: 'Timbre roto' } });
		expect(tech.table('contract').get('k1')).toMatchObject({
			notes: 'Timbre roto',
			paymentMethodId: 'p1',
			paymentTypeId: 'paymentMethodType-sepa'
		});
		expect(
			await failure(tech.run('contract.update', { id: 'k1', patch: { paymentMethodId: null } }))
		).toMatchObject({ code: 'forbidden', field: 'paymentMethodId' });
	});

	it('refuses to delete a contract that still has tariffs', async () => {
		const { run, table } = setup();
		await run('contract.create', CONTRACT);
		await run('tariffAssignment.create', ASSIGN);
		expect(await failure(run('contract.delete', { id: 'k1' }))).toMatchObject({ code: 'in-use' });
		await run('tariffAssignment.delete', { id: 'a1' });
		await run('contract.delete', { id: 'k1' });
		expect(table('contract').has('k1')).toBe(false);
	});
});

describe('tariffAssignment mutators', () => {
	async function withContract(role: Role = 'office', now?: string) {
		const m = setup(role, true, now);
		await m.run('contract.create', CONTRACT);
		return m;
	}

	it('assigns a tariff to a contract', async () => {
		const { run, table } = await withContract('technician');
		await run('tariffAssignment.create', { ...ASSIGN, discountPercent: 12.5 });
		expect(table('tariffAssignment').get('a1')).toMatchObject({ tariffId: 't1', quantity: 1 });
	});

	it('refuses an end before the start, a missing tariff, an inactive one', async () => {
		const { run } = await withContract();
		expect(
			await failure(run('tariffAssignment.create', { ...ASSIGN, endDate: '2025-12-01' }))
		).toMatchObject({ code: 'invalid-field', field: 'endDate' });
		expect(
			await failure(run('tariffAssignment.create', { ...ASSIGN, tariffId: 'zz' }))
		).toMatchObject({ code: 'not-found', field: 'tariffId' });
		expect(
			await failure(run('tariffAssignment.create', { ...ASSIGN, tariffId: 't3' }))
		).toMatchObject({ code: 'invalid-field', field: 'tariffId' });
	});

	it("refuses another customer's contract", async () => {
		const { run } = await withContract();
		await run('contract.create', { ...CONTRACT, id: 'k2', customerId: 'c2' });
		expect(
			await failure(run('tariffAssignment.create', { ...ASSIGN, contractId: 'k2' }))
		).toMatchObject({ code: 'invalid-field', field: 'contractId' });
	});

	it('refuses the same tariff twice on overlapping days; quantity says how many', async () => {
		const { run } = await withContract();
		await run('tariffAssignment.create', { ...ASSIGN, endDate: '2026-02-28' });
		expect(
			await failure(
				run('tariffAssignment.create', { ...ASSIGN, id: 'a2', startDate: '2026-02-01' })
			)
		).toMatchObject({ code: 'already-exists', field: 'startDate' });
		// After the baja, the same tariff again is fine.
		await run('tariffAssignment.create', { ...ASSIGN, id: 'a2', startDate: '2026-03-01' });
		// An ended assignment cannot be edited back into overlapping it.
		expect(
			await failure(run('tariffAssignment.update', { id: 'a1', patch: { endDate: null } }))
		).toMatchObject({ code: 'already-exists' });
		await run('tariffAssignment.update', { id: 'a2', patch: { quantity: 2 } });
	});

	it('links a PPPoE account: changing the tariff changes the profile and queues the jobs', async () => {
		const { run, table } = await withContract();
		await run('tariffAssignment.create', { ...ASSIGN, pppoeAccountId: 'acc1' });
		expect(table('routerJob').size).toBe(0); // same tariff: nothing to do
		await run('tariffAssignment.update', { id: 'a1', patch: { tariffId: 't2' } });
		expect(table('pppoeAccount').get('acc1')).toMatchObject({
			tariffId: 't2',
			profile: 'enlace-fibra-600'
		});
		const jobs = [...table('routerJob').values()].map((j) => [j.kind, j.payload]);
		expect(jobs).toEqual([
			['profile.ensure', { name: 'enlace-fibra-600', rateLimit: '20M/600M' }],
			[
				'secret.ensure',
				expect.objectContaining({ name: 'lucia', profile: 'enlace-fibra-600', kick: true })
			]
		]);
	});

	it('ending the linked tariff today moves the account to the next one, or to none', async () => {
		const { run, table } = await withContract();
		await run('tariffAssignment.create', { ...ASSIGN, pppoeAccountId: 'acc1' });
		await run('tariffAssignment.update', { id: 'a1', patch: { endDate: '2026-03-09' } });
		expect(table('pppoeAccount').get('acc1')).toMatchObject({ profile: 'default' });
		expect(table('pppoeAccount').get('acc1')).not.toHaveProperty('tariffId');
		await run('tariffAssignment.create', NEXT_TARIFF);
		expect(table('pppoeAccount').get('acc1')).toMatchObject({ tariffId: 't2' });
		// A linked account's own tariff field now follows the assignment, whatever the form sent.
		await run('pppoe.save', {
			id: 'acc1',
			customerId: 'c1',
			routerId: 'r1',
			username: 'lucia',
			password: 'secreto1',
			tariffId: 't1'
		});
		expect(table('pppoeAccount').get('acc1')).toMatchObject({ tariffId: 't2' });
	});

	it("a tariff starting today is the account's from midnight in Spain, not in UTC", async () => {
		// 00:30 on 10 March in Madrid (UTC+1), still 9 March in UTC.
		const { run, table } = await withContract('office', '2026-03-09T23:30:00.000Z');
		await run('tariffAssignment.create', {
			...ASSIGN,
			endDate: '2026-03-09',
			pppoeAccountId: 'acc1'
		});
		await run('tariffAssignment.create', NEXT_TARIFF);
		expect(table('pppoeAccount').get('acc1')).toMatchObject({ tariffId: 't2' });
	});

	it('one account takes its profile from one assignment at a time', async () => {
		const { run } = await withContract();
		await run('tariffAssignment.create', { ...ASSIGN, pppoeAccountId: 'acc1' });
		expect(
			await failure(
				run('tariffAssignment.create', {
					...ASSIGN,
					id: 'a2',
					tariffId: 't2',
					pppoeAccountId: 'acc1'
				})
			)
		).toMatchObject({ code: 'already-exists', field: 'pppoeAccountId' });
	});

	it('a suspended account keeps its suspension profile and takes the tariff when reactivated', async () => {
		const { run, table } = await withContract();
		table('pppoeAccount').set('acc1', {
			...table('pppoeAccount').get('acc1')!,
			offline: true,
			profile: 'enlace-sin-conexion'
		});
		await run('tariffAssignment.create', { ...ASSIGN, tariffId: 't2', pppoeAccountId: 'acc1' });
		expect(table('pppoeAccount').get('acc1')).toMatchObject({
			tariffId: 't2',
			profile: 'enlace-sin-conexion'
		});
		expect(table('routerJob').size).toBe(0);
	});

	it('a tariff with assignments cannot be deleted', async () => {
		const m = await withContract('admin');
		await m.run('tariffAssignment.create', { ...ASSIGN, tariffId: 't2' });
		expect(await failure(m.run('tariff.delete', { id: 't2' }))).toMatchObject({ code: 'in-use' });
	});
});

describe('linkedTariffOn: the tariff a linked account has on a day', () => {
	const a = (id: string, tariffId: string, startDate: string, endDate?: string) => ({
		id,
		tariffId,
		startDate,
		...(endDate ? { endDate } : {})
	});
	const upgrade = [
		a('x', 'fibra-600', '2026-04-01'),
		a('y', 'fibra-100', '2026-01-01', '2026-03-31')
	];

	it('is the assignment running that day, whatever their order', () => {
		expect(linkedTariffOn(upgrade, '2026-03-31')).toBe('fibra-100');
		expect(linkedTariffOn(upgrade, '2026-04-01')).toBe('fibra-600');
		expect(linkedTariffOn([...upgrade].reverse(), '2026-04-01')).toBe('fibra-600');
	});

	it('is the next to start before the first, none once all have ended, and undefined unlinked', () => {
		expect(linkedTariffOn(upgrade, '2025-12-01')).toBe('fibra-100');
		expect(linkedTariffOn([a('y', 'fibra-100', '2026-01-01', '2026-03-31')], '2026-04-01')).toBe(
			null
		);
		expect(linkedTariffOn([], '2026-04-01')).toBeUndefined();
	});
});
