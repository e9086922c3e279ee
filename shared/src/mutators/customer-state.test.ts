import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Setting } from '../schemas/setting';
import type { PppoeAccount, RouterJob } from '../schemas/router';
import type { Customer } from '../schemas/customer';
import { addDays, customerRemoveDueSecrets, statePlan } from './customer-state';
import { failure, memoryTx } from './memory-tx';

const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';
const ACCOUNT = 'a0000000-0000-4000-8000-000000000001';
const ROUTER = 'r0000000-0000-4000-8000-000000000001';
const TARIFF = 't0000000-0000-4000-8000-000000000001';

/** A customer in Alta with one PPPoE account on a router that has a suspension pool. */
async function world(opts: { offlinePool?: boolean; bajaDays?: number } = {}) {
	const w = memoryTx('office', '2026-11-27T10:00:00.000Z');
	for (const s of DEFAULT_SETTINGS.filter((d) => d.list === 'customerState'))
		await w.tx.put(
			'setting',
			s.id === 'customerState-baja' && opts.bajaDays !== undefined
				? { ...s, removeSecretAfterDays: opts.bajaDays }
				: s
		);
	const customer: Customer = {
		id: CUSTOMER,
		code: 'C00001',
		name: 'Ana Ruiz',
		isCompany: false,
		taxIdType: 'nif',
		taxId: '00000000T',
		stateId: 'customerState-alta',
		altaDate: '2026-01-10'
	};
	await w.tx.put('customer', customer);
	await w.tx.put('router', {
		id: ROUTER,
		agentId: 'agent-1',
		name: 'nodo',
		host: 'nodo.lan',
		port: 8729,
		tls: true,
		state: 'up'
	});
	await w.tx.put('ipPool', {
		id: 'p1',
		routerId: ROUTER,
		name: 'clientes',
		ranges: '10.0.0.2-10.0.0.254',
		isOffline: false
	});
	if (opts.offlinePool !== false)
		await w.tx.put('ipPool', {
			id: 'p2',
			routerId: ROUTER,
			name: 'corte',
			ranges: '10.9.0.2-10.9.0.254',
			isOffline: true
		});
	await w.tx.put('tariff', {
		id: TARIFF,
		name: 'Fibra 100',
		priceCents: 2990,
		vatRate: 21,
		billingPeriod: 'monthly',
		downloadMbps: 100,
		uploadMbps: 20,
		active: true
	});
	const account: PppoeAccount = {
		id: ACCOUNT,
		customerId: CUSTOMER,
		routerId: ROUTER,
		username: 'c00001',
		password: 'secreto123',
		tariffId: TARIFF,
		profile: 'enlace-fibra-100',
		staticIp: '10.0.0.50',
		offline: false
	};
	await w.tx.put('pppoeAccount', account);
	const at = (iso: string) => ((w.tx.ctx as { now: string }).now = iso);
	const setState = (stateId: string, decided: string, reason?: string) =>
		w.run('customer.setState', {
			id: CUSTOMER,
			stateId,
			at: decided,
			date: decided.slice(0, 10),
			...(reason ? { reason } : {})
		});
	const jobs = () => [...w.table('routerJob').values()] as RouterJob[];
	const customerRow = () => w.table('customer').get(CUSTOMER) as Customer;
	const accountRow = () => w.table('pppoeAccount').get(ACCOUNT) as PppoeAccount | undefined;
	/** What the router ends with for the secret: the last job about it (jobs are end states). */
	const secretEnd = () => {
		const last = jobs()
			.filter((j) => j.kind === 'secret.ensure' || j.kind === 'secret.remove')
			.at(-1);
		// No job: the router keeps the secret as it was saved before (online, the tariff's).
		return last
			? { kind: last.kind, profile: last.payload.profile, ip: last.payload.remoteAddress }
			: { kind: 'secret.ensure', profile: 'enlace-fibra-100', ip: '10.0.0.50' };
	};
	return { ...w, at, setState, jobs, customerRow, accountRow, secretEnd };
}

/** The server's daily sweep runs the mutator as the system, outside any user's role. */
const sweep = (
	w: { tx: Parameters<typeof customerRemoveDueSecrets.apply>[0] },
	args: { id: string; today: string }
) => customerRemoveDueSecrets.apply(w.tx, args);

describe('customer.setState', () => {
	it('cortado suspends the account (offline profile and pool), activo brings it back', async () => {
		const w = await world();
		await w.setState('customerState-cortado', '2026-11-27T09:00:00.000Z', 'Impago');
		expect(w.customerRow()).toMatchObject({
			stateId: 'customerState-cortado',
			stateChangedAt: '2026-11-27T09:00:00.000Z'
		});
		expect(w.accountRow()).toMatchObject({ offline: true, profile: 'enlace-sin-conexion' });
		expect(w.jobs().map((j) => [j.kind, j.action])).toEqual([
			['profile.ensure', 'Perfil PPP'],
			['secret.ensure', 'Cortado: Suspender servicio']
		]);
		expect(w.jobs()[0].payload).toEqual({ name: 'enlace-sin-conexion', remoteAddress: 'corte' });
		expect(w.secretEnd()).toEqual({
			kind: 'secret.ensure',
			profile: 'enlace-sin-conexion',
			ip: undefined
		});

		await w.setState('customerState-alta', '2026-11-27T09:30:00.000Z');
		expect(w.accountRow()).toMatchObject({ offline: false, profile: 'enlace-fibra-100' });
		expect(w.secretEnd()).toEqual({
			kind: 'secret.ensure',
			profile: 'enlace-fibra-100',
			ip: '10.0.0.50'
		});
		expect(w.jobs().at(-1)?.action).toBe('Alta: Reactivar servicio');
	});

	it('baja at once: fecha de baja set, the account and its secret removed', async () => {
		const w = await world();
		await w.setState('customerState-baja', '2026-11-27T09:00:00.000Z');
		expect(w.customerRow()).toMatchObject({
			stateId: 'customerState-baja',
			bajaDate: '2026-11-27'
		});
		expect(w.customerRow().secretRemovalOn).toBeUndefined();
		expect(w.accountRow()).toBeUndefined();
		expect(w.jobs().map((j) => [j.kind, j.payload, j.action])).toEqual([
			['secret.remove', { name: 'c00001' }, 'Baja: Eliminar secret']
		]);
		// Back to Alta: the fecha de baja goes; the removed secret stays removed (no account).
		await w.setState('customerState-alta', '2026-11-28T09:00:00.000Z');
		expect(w.customerRow().bajaDate).toBeUndefined();
		expect(w.jobs()).toHaveLength(1);
	});

	it('baja after N days: suspended now, removed by the sweep on the day, not before', async () => {
		const w = await world({ bajaDays: 15 });
		await w.setState('customerState-baja', '2026-11-27T09:00:00.000Z');
		expect(w.customerRow()).toMatchObject({
			bajaDate: '2026-11-27',
			secretRemovalOn: '2026-12-12'
		});
		expect(w.accountRow()).toMatchObject({ offline: true });
		await sweep(w, { id: CUSTOMER, today: '2026-12-11' });
		expect(w.accountRow()).toBeDefined();
		await sweep(w, { id: CUSTOMER, today: '2026-12-12' });
		expect(w.accountRow()).toBeUndefined();
		expect(w.customerRow().secretRemovalOn).toBeUndefined();
		expect(w.secretEnd()).toMatchObject({ kind: 'secret.remove' });
	});

	it('baja ends the running tariff assignments that day and removes those not yet started', async () => {
		const w = await world({ bajaDays: 15 });
		await w.tx.put('contract', {
			id: 'k1',
			customerId: CUSTOMER,
			name: 'Hogar',
			fromDate: '2026-01-10',
			billingFrequency: 'monthly',
			notes: ''
		});
		const assignment = (id: string, startDate: string, extra = {}) => ({
			id,
			customerId: CUSTOMER,
			contractId: 'k1',
			tariffId: TARIFF,
			startDate,
			quantity: 1,
			notes: '',
			...extra
		});
		await w.tx.put('tariffAssignment', assignment('t1', '2026-01-10', { pppoeAccountId: ACCOUNT }));
		await w.tx.put('tariffAssignment', assignment('t2', '2025-01-01', { endDate: '2025-12-31' }));
		await w.tx.put('tariffAssignment', assignment('t3', '2026-12-15'));
		await w.setState('customerState-baja', '2026-11-27T09:00:00.000Z');
		const rows = w.table('tariffAssignment');
		expect(rows.get('t1')).toMatchObject({ endDate: '2026-11-27' });
		// One that had already ended keeps its own date; one that never started is gone.
		expect(rows.get('t2')).toMatchObject({ endDate: '2025-12-31' });
		expect(rows.has('t3')).toBe(false);
		// The linked account is suspended meanwhile, its tariff still the assignment's that day.
		expect(w.accountRow()).toMatchObject({ offline: true, tariffId: TARIFF });
	});

	it('a customer back in service before the day keeps the secret', async () => {
		const w = await world({ bajaDays: 15 });
		await w.setState('customerState-baja', '2026-11-27T09:00:00.000Z');
		await w.setState('customerState-alta', '2026-11-29T09:00:00.000Z');
		expect(w.customerRow().secretRemovalOn).toBeUndefined();
		await sweep(w, { id: CUSTOMER, today: '2026-12-20' });
		expect(w.accountRow()).toMatchObject({ offline: false });
	});

	it('the same state again queues nothing, and is remembered as the latest decision', async () => {
		const w = await world();
		await w.setState('customerState-cortado', '2026-11-27T09:00:00.000Z');
		const before = w.jobs().length;
		await w.setState('customerState-cortado', '2026-11-27T09:05:00.000Z');
		expect(w.jobs()).toHaveLength(before);
		expect(w.customerRow().stateChangedAt).toBe('2026-11-27T09:05:00.000Z');
	});

	it('two devices offline: one state and the jobs of that state, whichever syncs first', async () => {
		// Device A cut the customer at 09:00, device B (later) set them back to Alta at 09:10.
		const a = ['customerState-cortado', '2026-11-27T09:00:00.000Z'] as const;
		const b = ['customerState-alta', '2026-11-27T09:10:00.000Z'] as const;
		const ends = [];
		for (const order of [
			[a, b],
			[b, a]
		]) {
			const w = await world();
			for (const [state, at] of order) await w.setState(state, at);
			ends.push({
				state: w.customerRow().stateId,
				account: { offline: w.accountRow()?.offline, profile: w.accountRow()?.profile },
				secret: w.secretEnd()
			});
		}
		expect(ends[0]).toEqual(ends[1]);
		expect(ends[0]).toEqual({
			state: 'customerState-alta',
			account: { offline: false, profile: 'enlace-fibra-100' },
			secret: { kind: 'secret.ensure', profile: 'enlace-fibra-100', ip: '10.0.0.50' }
		});
	});

	it('the same change on two devices queues its jobs once', async () => {
		const w = await world();
		await w.setState('customerState-cortado', '2026-11-27T09:00:00.000Z');
		await w.setState('customerState-cortado', '2026-11-27T08:59:00.000Z');
		expect(w.jobs().filter((j) => j.kind === 'secret.ensure')).toHaveLength(1);
	});

	it('a device clock ahead of the server does not win later decisions', async () => {
		const w = await world();
		w.at('2026-11-27T10:00:00.000Z');
		await w.setState('customerState-cortado', '2027-01-01T00:00:00.000Z');
		expect(w.customerRow().stateChangedAt).toBe('2026-11-27T10:00:00.000Z');
		w.at('2026-11-27T10:05:00.000Z');
		await w.setState('customerState-alta', '2026-11-27T10:05:00.000Z');
		expect(w.customerRow().stateId).toBe('customerState-alta');
	});

	it('cortado on a router without suspension pool changes the state, and says so in the plan', async () => {
		const w = await world({ offlinePool: false });
		await w.setState('customerState-cortado', '2026-11-27T09:00:00.000Z');
		expect(w.customerRow().stateId).toBe('customerState-cortado');
		expect(w.accountRow()).toMatchObject({ offline: false });
		expect(w.jobs()).toEqual([]);
	});

	it('customer.update of the state runs the same rules', async () => {
		const w = await world();
		await w.run('customer.update', {
			id: CUSTOMER,
			patch: { stateId: 'customerState-cortado', phone: '600123123' },
			reason: 'Impago'
		});
		expect(w.customerRow()).toMatchObject({ stateId: 'customerState-cortado', phone: '600123123' });
		expect(w.accountRow()).toMatchObject({ offline: true });
	});

	it('refuses a state that is not a customer state', async () => {
		const w = await world();
		expect(
			await failure(
				w.run('customer.setState', {
					id: CUSTOMER,
					stateId: 'customerType-empresa',
					at: '2026-11-27T09:00:00.000Z',
					date: '2026-11-27'
				})
			)
		).toMatchObject({ code: 'not-found', field: 'stateId' });
	});
});

describe('statePlan', () => {
	const base = {
		customer: { stateId: 'customerState-alta', altaDate: '2026-01-10' },
		accounts: [{ id: 'a', username: 'u1', routerId: 'r', offline: false }],
		routersWithOfflinePool: new Set(['r']),
		date: '2026-11-27'
	};
	const state = (id: string, extra: Partial<Setting> = {}) => ({ id, ...extra });

	it('states stored before states had a service keep their default meaning', () => {
		expect(statePlan({ ...base, target: state('customerState-bloqueado') })).toEqual([
			{ kind: 'suspend', accountId: 'a', username: 'u1' }
		]);
		expect(statePlan({ ...base, target: state('otro') })).toEqual([]);
		expect(statePlan({ ...base, target: state('otro', { service: 'baja' }) })[0]).toEqual({
			kind: 'bajaDate',
			date: '2026-11-27'
		});
	});

	it('a baja never comes before the alta', () => {
		const plan = statePlan({
			...base,
			customer: { ...base.customer, altaDate: '2026-12-01' },
			target: state('customerState-baja')
		});
		expect(plan[0]).toEqual({ kind: 'bajaDate', date: '2026-12-01' });
	});

	it('a baja lists the tariffs it ends, after the account steps', () => {
		const plan = statePlan({
			...base,
			target: { id: 'b', service: 'baja', removeSecretAfterDays: 0 },
			assignments: [
				{ id: 'x', name: 'Fijo', startDate: '2027-01-01' },
				{ id: 'y', name: 'Fibra', startDate: '2026-01-01', endDate: '2026-12-31' },
				{ id: 'z', name: 'TV', startDate: '2025-01-01', endDate: '2025-06-30' }
			]
		});
		expect(plan.map((s) => s.kind)).toEqual([
			'bajaDate',
			'removeSecret',
			'endTariff',
			'dropTariff'
		]);
		expect(plan[2]).toMatchObject({ assignmentId: 'y', date: base.date });
	});

	it('adds days across months and years', () => {
		expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
	});
});
