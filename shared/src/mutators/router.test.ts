import { describe, expect, it } from 'vitest';
import { AppError } from '../protocol/errors';
import type { EntityName, EntityRow } from '../schemas/entities';
import type { Role } from '../schemas/user';
import {
	MUTATION_JOB_KIND,
	type CmiStatus,
	type IpPool,
	type PppoeAccount,
	type Router,
	type RouterJob,
	type Tariff
} from '../schemas/router';
import { getMutator } from './index';
import { ACCOUNT_GONE, DEFAULT_PROFILE, OFFLINE_PROFILE, agentPayload } from './router';
import type { MutatorContext, MutatorTx } from './types';

type Row = Record<string, unknown> & { id: string };

/**
 * A MutatorTx over plain maps, with the semantics both real ones share: reads see this run's
 * writes, findBy matches a field exactly, counters only on the server.
 */
class MemoryTx implements MutatorTx {
	ctx: MutatorContext;
	private counters = new Map<string, number>();

	constructor(
		readonly tables: Map<EntityName, Map<string, Row>>,
		server: boolean,
		role: Role = 'admin'
	) {
		this.ctx = {
			userId: 'u-1',
			userName: 'Ana',
			role,
			now: '2025-03-01T10:00:00.000Z',
			server
		};
	}

	private table(entity: EntityName): Map<string, Row> {
		let t = this.tables.get(entity);
		if (!t) this.tables.set(entity, (t = new Map()));
		return t;
	}

	async get<E extends EntityName>(entity: E, id: string): Promise<EntityRow<E> | undefined> {
		const row = this.table(entity).get(id);
		return row ? (structuredClone(row) as EntityRow<E>) : undefined;
	}

	async put<E extends EntityName>(entity: E, row: EntityRow<E>): Promise<void> {
		this.table(entity).set((row as Row).id, structuredClone(row) as Row);
	}

	async del(entity: EntityName, id: string): Promise<void> {
		this.table(entity).delete(id);
	}

	async findBy<E extends EntityName>(
		entity: E,
		field: string,
		value: string
	): Promise<EntityRow<E>[]> {
		return [...this.table(entity).values()]
			.filter((r) => r[field] === value)
			.map((r) => structuredClone(r) as EntityRow<E>);
	}

	async nextNumber(counter: string): Promise<number> {
		if (!this.ctx.server) throw new Error('counters are server-only');
		const n = (this.counters.get(counter) ?? 0) + 1;
		this.counters.set(counter, n);
		return n;
	}
}

/** A little world: a customer, two routers, a tariff; and a way to run mutations on it. */
function world() {
	const tables = new Map<EntityName, Map<string, Row>>();
	const server = new MemoryTx(tables, true);
	const router = (id: string, state: Router['state'] = 'up'): Router => ({
		id,
		agentId: 'agent-1',
		name: id,
		host: `${id}.lan`,
		port: 8729,
		tls: true,
		state
	});
	const seed = async () => {
		await server.put('customer', {
			id: 'cus-1',
			isCompany: false,
			name: 'María García',
			taxIdType: 'nif',
			taxId: '12345678Z',
			code: 'C00007'
		} as EntityRow<'customer'>);
		await server.put('router', router('r1'));
		await server.put('router', router('r2', 'down'));
	};
	const run = async (name: string, args: unknown, opts: { server?: boolean; role?: Role } = {}) => {
		const m = getMutator(name);
		const tx = new MemoryTx(tables, opts.server ?? true, opts.role ?? 'admin');
		if (!m.roles.includes(tx.ctx.role)) throw new AppError('forbidden', 'no');
		await m.apply(tx, m.args.parse(args));
	};
	const rejection = async (name: string, args: unknown, opts?: { server?: boolean }) => {
		try {
			await run(name, args, opts);
		} catch (e) {
			if (e instanceof AppError) return { code: e.code, field: e.field };
			throw e;
		}
		throw new Error(`${name} was applied`);
	};
	const rows = <E extends EntityName>(entity: E) =>
		[...(tables.get(entity)?.values() ?? [])] as unknown as EntityRow<E>[];
	const jobs = () => (rows('routerJob') as RouterJob[]).sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
	const clearJobs = () => tables.get('routerJob')?.clear();
	/** The payload an agent claiming `job` now receives (the server's claim). */
	const claim = (job: RouterJob) => agentPayload(new MemoryTx(tables, true), job);
	return { tables, seed, run, rejection, rows, jobs, clearJobs, claim };
}

const tariff = (over: Partial<Tariff> = {}): Tariff => ({
	id: 't-100',
	name: 'Fibra 100',
	priceCents: 3000,
	vatRate: 21,
	billingPeriod: 'monthly',
	downloadMbps: 100,
	uploadMbps: 20,
	active: true,
	...over
});

const account = (over: Record<string, unknown> = {}) => ({
	id: 'acc-1',
	customerId: 'cus-1',
	routerId: 'r1',
	username: 'maria.garcia',
	password: 'secreto-1',
	...over
});

const pool = (over: Partial<IpPool> = {}): IpPool => ({
	id: 'pool-1',
	routerId: 'r1',
	name: 'clientes',
	ranges: '10.0.0.2-10.0.0.254',
	isOffline: false,
	...over
});

describe('tariff mutators', () => {
	it('enqueue profile.ensure on every router on the server, with rate-limit upload/download', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff());
		const jobs = w.jobs();
		expect(jobs.map((j) => [j.routerId, j.kind, j.payload])).toEqual([
			['r1', 'profile.ensure', { name: 'enlace-fibra-100', rateLimit: '20M/100M' }],
			['r2', 'profile.ensure', { name: 'enlace-fibra-100', rateLimit: '20M/100M' }]
		]);
		expect(jobs[0]).toMatchObject({
			state: 'queued',
			attempts: 0,
			requestedBy: 'u-1',
			n: 1,
			createdAt: '2025-03-01T10:00:00.000Z'
		});
		expect(jobs[1].n).toBe(2);
	});

	it('write no job on a device, and none when only the price changes', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff(), { server: false });
		expect(w.rows('tariff')).toHaveLength(1);
		expect(w.jobs()).toEqual([]);
		await w.run('tariff.update', { id: 't-100', patch: { priceCents: 3500 } });
		expect(w.jobs()).toEqual([]);
		await w.run('tariff.update', { id: 't-100', patch: { uploadMbps: 30 } });
		expect(w.jobs().map((j) => j.payload.rateLimit)).toEqual(['30M/100M', '30M/100M']);
	});

	it('move the accounts of a renamed tariff to the new profile and kick them', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff());
		await w.run('pppoe.save', account({ tariffId: 't-100' }));
		w.clearJobs();
		await w.run('tariff.update', { id: 't-100', patch: { name: 'Fibra Plus' } });
		expect(w.rows('pppoeAccount')[0].profile).toBe('enlace-fibra-plus');
		const secret = w.jobs().find((j) => j.kind === 'secret.ensure');
		expect(secret?.payload).toMatchObject({ profile: 'enlace-fibra-plus', kick: true });
	});

	it('refuse to delete a tariff that accounts use; office may manage tariffs, technicians not', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff(), { role: 'office' });
		await w.run('pppoe.save', account({ tariffId: 't-100' }));
		expect(await w.rejection('tariff.delete', { id: 't-100' })).toEqual({
			code: 'in-use',
			field: undefined
		});
		await expect(
			w.run('tariff.create', tariff({ id: 't-2' }), { role: 'technician' })
		).rejects.toThrow(AppError);
	});
});

describe('ipPool mutators', () => {
	it('need an existing router and a name unique on that router', async () => {
		const w = world();
		await w.seed();
		expect(await w.rejection('ipPool.create', pool({ routerId: 'nope' }))).toEqual({
			code: 'not-found',
			field: 'routerId'
		});
		await w.run('ipPool.create', pool());
		expect(await w.rejection('ipPool.create', pool({ id: 'pool-2' }))).toEqual({
			code: 'already-exists',
			field: 'name'
		});
		// The same name on another router is another pool.
		await w.run('ipPool.create', pool({ id: 'pool-3', routerId: 'r2' }));
		expect(w.jobs().map((j) => [j.routerId, j.kind, j.payload])).toEqual([
			['r1', 'pool.ensure', { name: 'clientes', ranges: '10.0.0.2-10.0.0.254' }],
			['r2', 'pool.ensure', { name: 'clientes', ranges: '10.0.0.2-10.0.0.254' }]
		]);
	});

	it('keep one offline pool per router and point the offline profile at it', async () => {
		const w = world();
		await w.seed();
		await w.run('ipPool.create', pool({ id: 'off-a', name: 'corte-a', isOffline: true }));
		await w.run(
			'ipPool.create',
			pool({ id: 'off-b', routerId: 'r2', name: 'corte-r2', isOffline: true })
		);
		expect((await w.tables.get('router')?.get('r1'))?.offlineProfile).toBe(OFFLINE_PROFILE);
		w.clearJobs();

		await w.run(
			'ipPool.create',
			pool({ id: 'off-c', name: 'corte-c', ranges: '10.9.0.0/24', isOffline: true })
		);
		const pools = new Map(w.rows('ipPool').map((p) => [p.id, p.isOffline]));
		// Only r1's previous offline pool is un-marked; r2's stays.
		expect(Object.fromEntries(pools)).toEqual({ 'off-a': false, 'off-b': true, 'off-c': true });
		expect(w.jobs().map((j) => [j.routerId, j.kind, j.payload])).toEqual([
			['r1', 'pool.ensure', { name: 'corte-c', ranges: '10.9.0.0/24' }],
			['r1', 'profile.ensure', { name: OFFLINE_PROFILE, remoteAddress: 'corte-c' }]
		]);

		// Deleting the offline pool leaves the router without an offline profile.
		w.clearJobs();
		await w.run('ipPool.delete', { id: 'off-c' });
		expect(w.tables.get('router')?.get('r1')?.offlineProfile).toBeUndefined();
		expect(w.tables.get('router')?.get('r2')?.offlineProfile).toBe(OFFLINE_PROFILE);
		expect(w.jobs().map((j) => [j.routerId, j.kind, j.payload])).toEqual([
			['r1', 'pool.remove', { name: 'corte-c' }]
		]);
	});

	it('are admin only', () => {
		for (const verb of ['create', 'update', 'delete']) {
			expect(getMutator(`ipPool.${verb}`).roles).toEqual(['admin']);
		}
	});
});

describe('pppoe.save', () => {
	it('creates the account with the tariff profile and a secret.ensure job with the desired state', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff());
		w.clearJobs();
		await w.run('pppoe.save', account({ tariffId: 't-100', staticIp: '10.0.0.9' }));
		const [row] = w.rows('pppoeAccount') as PppoeAccount[];
		expect(row).toEqual({
			id: 'acc-1',
			customerId: 'cus-1',
			routerId: 'r1',
			username: 'maria.garcia',
			password: 'secreto-1',
			tariffId: 't-100',
			profile: 'enlace-fibra-100',
			staticIp: '10.0.0.9',
			offline: false,
			createdAt: '2025-03-01T10:00:00.000Z',
			updatedAt: '2025-03-01T10:00:00.000Z'
		});
		const jobs = w.jobs();
		expect(jobs.map((j) => j.kind)).toEqual(['profile.ensure', 'secret.ensure']);
		expect(jobs[1]).toMatchObject({
			routerId: 'r1',
			customerId: 'cus-1',
			accountId: 'acc-1',
			action: 'Guardar Secret',
			payload: {
				name: 'maria.garcia',
				profile: 'enlace-fibra-100',
				remoteAddress: '10.0.0.9',
				comment: 'C00007 María García'
			}
		});
		// A new secret has no session to kick.
		expect(jobs[1].payload).not.toHaveProperty('kick');
		// The synced row never holds the password: the agent gets it when it claims the job.
		expect(jobs[1].payload).not.toHaveProperty('password');
		expect(await w.claim(jobs[1])).toEqual({ ...jobs[1].payload, password: 'secreto-1' });
	});

	it('hands the agent the password the account has when the job is claimed', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account({ password: 'primero-1' }));
		const [first] = w.jobs();
		await w.run('pppoe.save', account({ password: 'segundo-2' }));
		// The older job, claimed after the change, writes the newer password: the end state.
		expect(await w.claim(first)).toMatchObject({ name: 'maria.garcia', password: 'segundo-2' });
		expect(JSON.stringify(w.jobs())).not.toContain('primero-1');
		expect(JSON.stringify(w.jobs())).not.toContain('segundo-2');
		// Deleted before the claim: nothing to write (the server settles it failed, ACCOUNT_GONE).
		await w.run('pppoe.delete', { id: 'acc-1' });
		expect(await w.claim(first)).toBeUndefined();
		expect(ACCOUNT_GONE).toMatch(/ya no existe/);
		// Other kinds go as they are.
		const remove = w.jobs().at(-1)!;
		expect(await w.claim(remove)).toEqual({ name: 'maria.garcia' });
	});

	it('writes the same row on a device, without jobs; default profile without a tariff', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account(), { server: false });
		expect(w.rows('pppoeAccount')[0]).toMatchObject({ profile: DEFAULT_PROFILE, offline: false });
		expect(w.jobs()).toEqual([]);
	});

	it('kicks when the password, profile or static IP of an existing account changes', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account({ staticIp: '10.0.0.9' }));
		w.clearJobs();
		await w.run('pppoe.save', account({ staticIp: '10.0.0.9' }));
		expect(w.jobs()[0].payload).not.toHaveProperty('kick');
		w.clearJobs();
		await w.run('pppoe.save', account({ password: 'otro-secreto' }));
		expect(w.jobs()[0].payload).toMatchObject({ kick: true });
		expect(await w.claim(w.jobs()[0])).toMatchObject({ password: 'otro-secreto', kick: true });
		// Absent staticIp keeps it; null clears it (and that is a change worth a kick).
		expect(w.rows('pppoeAccount')[0].staticIp).toBe('10.0.0.9');
		w.clearJobs();
		await w.run('pppoe.save', account({ password: 'otro-secreto', staticIp: null }));
		expect(w.rows('pppoeAccount')[0]).not.toHaveProperty('staticIp');
		expect(w.jobs()[0].payload).not.toHaveProperty('remoteAddress');
		expect(w.jobs()[0].payload.kick).toBe(true);
	});

	it('keeps usernames unique per router, and removes the old secret on a rename', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account());
		expect(await w.rejection('pppoe.save', account({ id: 'acc-2' }))).toEqual({
			code: 'already-exists',
			field: 'username'
		});
		// The same username on another router is fine.
		await w.run('pppoe.save', account({ id: 'acc-2', routerId: 'r2' }));
		w.clearJobs();
		await w.run('pppoe.save', account({ username: 'maria.g' }));
		expect(w.jobs().map((j) => [j.kind, j.payload.name])).toEqual([
			['secret.remove', 'maria.garcia'],
			['secret.ensure', 'maria.g']
		]);
	});

	it('answers not-found with the field for a missing customer, router or tariff', async () => {
		const w = world();
		await w.seed();
		for (const [over, field] of [
			[{ customerId: 'nope' }, 'customerId'],
			[{ routerId: 'nope' }, 'routerId'],
			[{ tariffId: 'nope' }, 'tariffId']
		] as const) {
			expect(await w.rejection('pppoe.save', account(over))).toEqual({ code: 'not-found', field });
		}
		expect(w.rows('pppoeAccount')).toEqual([]);
		expect(() => getMutator('pppoe.save').args.parse(account({ password: '123' }))).toThrow();
		expect(() =>
			getMutator('pppoe.save').args.parse(account({ staticIp: '10.0.0.300' }))
		).toThrow();
	});
});

describe('pppoe.setOffline and the live actions', () => {
	it('refuses offline mode on a router without an offline pool', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account());
		w.clearJobs();
		expect(await w.rejection('pppoe.setOffline', { id: 'acc-1', offline: true })).toEqual({
			code: 'no-offline-pool',
			field: 'offline'
		});
		expect(w.rows('pppoeAccount')[0].offline).toBe(false);
		expect(w.jobs()).toEqual([]);
	});

	it('switches to the offline profile without a static address, keeps it on save, and back', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff());
		await w.run('ipPool.create', pool({ id: 'off', name: 'corte', isOffline: true }));
		await w.run('pppoe.save', account({ tariffId: 't-100', staticIp: '10.0.0.9' }));
		w.clearJobs();

		await w.run('pppoe.setOffline', { id: 'acc-1', offline: true });
		expect(w.rows('pppoeAccount')[0]).toMatchObject({ offline: true, profile: OFFLINE_PROFILE });
		let secret = w.jobs().find((j) => j.kind === 'secret.ensure');
		expect(secret?.payload).toEqual({
			name: 'maria.garcia',
			profile: OFFLINE_PROFILE,
			comment: 'C00007 María García',
			kick: true
		});
		expect(secret?.action).toBe('Suspender servicio');

		// A save while offline keeps the offline profile (and the static IP stays stored).
		w.clearJobs();
		await w.run('pppoe.save', account({ password: 'nuevo-secreto' }));
		expect(w.rows('pppoeAccount')[0]).toMatchObject({
			offline: true,
			profile: OFFLINE_PROFILE,
			staticIp: '10.0.0.9'
		});
		expect(w.jobs().map((j) => j.kind)).toEqual(['secret.ensure']);
		expect(w.jobs()[0].payload).not.toHaveProperty('remoteAddress');

		w.clearJobs();
		await w.run('pppoe.setOffline', { id: 'acc-1', offline: false });
		expect(w.rows('pppoeAccount')[0]).toMatchObject({
			offline: false,
			profile: 'enlace-fibra-100'
		});
		secret = w.jobs().find((j) => j.kind === 'secret.ensure');
		expect(secret?.payload).toMatchObject({
			profile: 'enlace-fibra-100',
			remoteAddress: '10.0.0.9',
			kick: true
		});
	});

	it('pings the live session address, else the static IP, else refuses not-online', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account());
		w.clearJobs();
		expect(await w.rejection('pppoe.ping', { id: 'acc-1' })).toEqual({
			code: 'not-online',
			field: 'address'
		});
		const cmi: CmiStatus = {
			id: 'r1:maria.garcia',
			routerId: 'r1',
			username: 'maria.garcia',
			accountId: 'acc-1',
			online: true,
			address: '100.64.0.7'
		};
		await w.run('pppoe.save', account({ staticIp: '10.0.0.9' }));
		w.clearJobs();
		await w.run('pppoe.ping', { id: 'acc-1' });
		expect(w.jobs()[0].payload).toEqual({ address: '10.0.0.9', count: 4 });
		w.tables.get('cmiStatus')?.set(cmi.id, cmi);
		await w.run('pppoe.ping', { id: 'acc-1', count: 2 });
		// An address may be named, but only one of the account's own.
		await w.run('pppoe.ping', { id: 'acc-1', address: '10.0.0.9' });
		await w.run('pppoe.ping', { id: 'acc-1', address: '100.64.0.7' });
		expect(w.jobs().map((j) => [j.kind, j.payload])).toEqual([
			['ping', { address: '10.0.0.9', count: 4 }],
			['ping', { address: '100.64.0.7', count: 2 }],
			['ping', { address: '10.0.0.9', count: 4 }],
			['ping', { address: '100.64.0.7', count: 4 }]
		]);
	});

	it("refuses to ping any address but the account's own, from the router's place in the network", async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account({ staticIp: '10.0.0.9' }));
		// The same user seen online on another router is not this account's session.
		const elsewhere: CmiStatus = {
			id: 'r2:maria.garcia',
			routerId: 'r2',
			username: 'maria.garcia',
			online: true,
			address: '100.64.9.9'
		};
		w.tables.get('cmiStatus')?.set(elsewhere.id, elsewhere);
		w.clearJobs();
		for (const address of ['8.8.8.8', '10.0.0.1', '100.64.9.9']) {
			expect(await w.rejection('pppoe.ping', { id: 'acc-1', address })).toEqual({
				code: 'forbidden',
				field: 'address'
			});
		}
		expect(w.jobs()).toEqual([]);
	});

	it('kicks and deletes with session.kick and secret.remove; deleting twice is fine', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account());
		w.clearJobs();
		await w.run('pppoe.kick', { id: 'acc-1' }, { role: 'technician' });
		await w.run('pppoe.delete', { id: 'acc-1' });
		await w.run('pppoe.delete', { id: 'acc-1' });
		expect(w.rows('pppoeAccount')).toEqual([]);
		expect(w.jobs().map((j) => [j.kind, j.payload, j.customerId])).toEqual([
			['session.kick', { name: 'maria.garcia' }, 'cus-1'],
			['secret.remove', { name: 'maria.garcia' }, 'cus-1']
		]);
		expect(await w.rejection('pppoe.kick', { id: 'acc-1' })).toEqual({
			code: 'not-found',
			field: undefined
		});
	});
});

describe('router.check and router.reapply', () => {
	it('check carries the desired accounts of that router only', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account({ staticIp: '10.0.0.9' }));
		await w.run('pppoe.save', account({ id: 'acc-2', username: 'ana', password: 'ana-secreto' }));
		await w.run('pppoe.save', account({ id: 'acc-3', routerId: 'r2', username: 'otro' }));
		w.clearJobs();
		await w.run('router.check', { routerId: 'r1' });
		// The synced row holds nothing of the router's accounts; the claim builds them.
		expect(w.jobs().map((j) => [j.routerId, j.kind, j.payload])).toEqual([
			['r1', 'router.check', {}]
		]);
		expect(await w.claim(w.jobs()[0])).toEqual({
			accounts: [
				{ name: 'ana', password: 'ana-secreto', profile: 'default' },
				{
					name: 'maria.garcia',
					password: 'secreto-1',
					profile: 'default',
					remoteAddress: '10.0.0.9'
				}
			],
			pools: [],
			profiles: []
		});
		expect(await w.rejection('router.check', { routerId: 'nope' })).toEqual({
			code: 'not-found',
			field: 'routerId'
		});
	});

	it('reapply writes one secret.ensure per account, all or the ones given', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff());
		await w.run('pppoe.save', account({ tariffId: 't-100' }));
		await w.run('pppoe.save', account({ id: 'acc-2', username: 'ana', tariffId: 't-100' }));
		await w.run('pppoe.save', account({ id: 'acc-3', routerId: 'r2', username: 'otro' }));
		w.clearJobs();
		await w.run('router.reapply', { routerId: 'r1' });
		expect(w.jobs().map((j) => [j.kind, j.payload.name])).toEqual([
			['profile.ensure', 'enlace-fibra-100'],
			['secret.ensure', 'ana'],
			['secret.ensure', 'maria.garcia']
		]);
		w.clearJobs();
		await w.run('router.reapply', { routerId: 'r1', accountIds: ['acc-2'] });
		expect(w.jobs().map((j) => [j.kind, j.payload.name])).toEqual([
			['profile.ensure', 'enlace-fibra-100'],
			['secret.ensure', 'ana']
		]);
		// An account of another router is not this router's to reapply.
		expect(await w.rejection('router.reapply', { routerId: 'r1', accountIds: ['acc-3'] })).toEqual({
			code: 'not-found',
			field: 'accountIds'
		});
		expect(getMutator('router.reapply').roles).toEqual(['admin', 'office']);
	});
});

describe('router.check and router.reapply: pools and profiles', () => {
	/** r1 with a pool, a suspension pool, a tariff, an account on it and one suspended. */
	async function managed() {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff());
		await w.run('ipPool.create', pool());
		await w.run(
			'ipPool.create',
			pool({ id: 'pool-2', name: 'suspendidos', ranges: '10.99.0.0/24', isOffline: true })
		);
		await w.run('pppoe.save', account({ tariffId: 't-100' }));
		await w.run('pppoe.save', account({ id: 'acc-2', username: 'ana', tariffId: 't-100' }));
		await w.run('pppoe.setOffline', { id: 'acc-2', offline: true });
		w.clearJobs();
		return w;
	}

	it('check carries every pool and profile Enlace manages on the router', async () => {
		const w = await managed();
		await w.run('router.check', { routerId: 'r1' });
		const [job] = w.jobs();
		expect(job.kind).toBe('router.check');
		const check = { payload: (await w.claim(job)) as Record<string, unknown> };
		expect(check.payload.pools).toEqual([
			{ name: 'clientes', ranges: '10.0.0.2-10.0.0.254' },
			{ name: 'suspendidos', ranges: '10.99.0.0/24' }
		]);
		expect(check.payload.profiles).toEqual([
			{ name: 'enlace-fibra-100', rateLimit: '20M/100M' },
			{ name: OFFLINE_PROFILE, remoteAddress: 'suspendidos' }
		]);
		await w.run('router.check', { routerId: 'r2' });
		expect(await w.claim(w.jobs()[1])).toEqual({ accounts: [], pools: [], profiles: [] });
	});

	it('reapply writes the pools, then the profiles, then the secrets', async () => {
		const w = await managed();
		await w.run('router.reapply', { routerId: 'r1' });
		expect(w.jobs().map((j) => [j.kind, j.payload.name])).toEqual([
			['pool.ensure', 'clientes'],
			['pool.ensure', 'suspendidos'],
			['profile.ensure', 'enlace-fibra-100'],
			['profile.ensure', OFFLINE_PROFILE],
			['secret.ensure', 'ana'],
			['secret.ensure', 'maria.garcia']
		]);
		expect(w.jobs()[3].payload).toEqual({ name: OFFLINE_PROFILE, remoteAddress: 'suspendidos' });
	});
});

describe('pppoe.save: the static IP and the router’s IP pools', () => {
	it('accepts an address inside one of the router’s pools, the offline pool aside', async () => {
		const w = world();
		await w.seed();
		await w.run('ipPool.create', pool());
		await w.run('ipPool.create', pool({ id: 'p2', name: 'empresas', ranges: '10.1.0.0/24' }));
		await w.run(
			'ipPool.create',
			pool({ id: 'off', name: 'corte', ranges: '10.9.0.0/24', isOffline: true })
		);
		await w.run('pppoe.save', account({ staticIp: '10.1.0.77' }));
		expect(w.rows('pppoeAccount')[0].staticIp).toBe('10.1.0.77');

		for (const ip of ['10.2.0.5', '10.9.0.5', '10.0.0.1']) {
			expect(await w.rejection('pppoe.save', account({ staticIp: ip }))).toEqual({
				code: 'invalid-field',
				field: 'staticIp'
			});
		}
		// The device refuses it as the server does, with a message that names the pools.
		await expect(
			w.run('pppoe.save', account({ staticIp: '10.2.0.5' }), { server: false })
		).rejects.toThrow(
			'La IP fija no está en ningún pool de IP de este router (clientes, empresas)'
		);
		expect(w.rows('pppoeAccount')[0].staticIp).toBe('10.1.0.77');
	});

	it('accepts any address on a router without pools (its pool list may not be entered yet)', async () => {
		const w = world();
		await w.seed();
		await w.run(
			'ipPool.create',
			pool({ id: 'off', name: 'corte', ranges: '10.9.0.0/24', isOffline: true })
		);
		await w.run('pppoe.save', account({ staticIp: '192.168.5.5' }));
		expect(w.rows('pppoeAccount')[0].staticIp).toBe('192.168.5.5');
	});

	it('checks the address when it or the router changes, not on every save', async () => {
		const w = world();
		await w.seed();
		await w.run('pppoe.save', account({ staticIp: '192.168.5.5' }));
		await w.run('ipPool.create', pool());
		await w.run('ipPool.create', pool({ id: 'pool-r2', routerId: 'r2' }));
		// The pool came later: the password can still be changed.
		await w.run('pppoe.save', account({ password: 'otro-secreto' }));
		expect(w.rows('pppoeAccount')[0]).toMatchObject({
			password: 'otro-secreto',
			staticIp: '192.168.5.5'
		});
		expect(await w.rejection('pppoe.save', account({ routerId: 'r2' }))).toEqual({
			code: 'invalid-field',
			field: 'staticIp'
		});
		await w.run('pppoe.save', account({ routerId: 'r2', staticIp: '10.0.0.20' }));
		expect(w.rows('pppoeAccount')[0]).toMatchObject({ routerId: 'r2', staticIp: '10.0.0.20' });
	});
});

describe('MUTATION_JOB_KIND', () => {
	it('names the job each router mutation queues last on the server', async () => {
		const w = world();
		await w.seed();
		await w.run('tariff.create', tariff());
		await w.run('ipPool.create', pool({ id: 'off', name: 'corte', isOffline: true }));
		const runs: [string, unknown][] = [
			['pppoe.save', account({ tariffId: 't-100', staticIp: '10.0.0.9' })],
			['pppoe.setOffline', { id: 'acc-1', offline: true }],
			['pppoe.kick', { id: 'acc-1' }],
			['pppoe.ping', { id: 'acc-1', address: '10.0.0.9' }],
			['router.check', { routerId: 'r1' }],
			['pppoe.delete', { id: 'acc-1' }]
		];
		expect(runs.map(([name]) => name).sort()).toEqual(Object.keys(MUTATION_JOB_KIND).sort());
		for (const [name, args] of runs) {
			w.clearJobs();
			await w.run(name, args);
			expect([name, w.jobs().at(-1)?.kind]).toEqual([name, MUTATION_JOB_KIND[name]]);
		}
	});
});
