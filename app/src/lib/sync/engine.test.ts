import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	AppError,
	CustomerCreateArgs,
	ENTITY_NAMES,
	MAX_PINNED_CUSTOMERS,
	MUTATORS,
	PROVISIONAL_CODE_PREFIX,
	provisionalCode,
	type Change,
	type EntityName,
	type Mutator,
	type OlderPage,
	type PullResponse,
	type PushRequest,
	type WireError
} from '@enlace/shared';
import { EnlaceDb } from '../db/db';
import { shadowKey } from './dexie-tx';
import {
	PushFailed,
	SyncEngine,
	type ChangeNotice,
	type DeviceUser,
	type PushReply,
	type Transport
} from './engine';

/**
 * A scripted server: records what the engine sends and answers with what each test queued. It
 * knows nothing of mutators; the tests say what "the server" did.
 */
class ScriptedTransport implements Transport {
	readonly pushes: PushRequest[] = [];
	readonly pulls: { since: number; limit: number; access?: string; pinned?: string[] }[] = [];
	readonly olders: { entity: EntityName; customerId: string; before?: string }[] = [];
	private readonly olderScript: OlderPage[] = [];
	private readonly pushScript: ((req: PushRequest) => PushReply | Promise<PushReply>)[] = [];
	private readonly pullScript: PullResponse[] = [];

	onPush(...replies: ((req: PushRequest) => PushReply | Promise<PushReply>)[]): this {
		this.pushScript.push(...replies);
		return this;
	}

	onPull(...pages: PullResponse[]): this {
		this.pullScript.push(...pages);
		return this;
	}

	async push(req: PushRequest): Promise<PushReply> {
		this.pushes.push(structuredClone(req));
		const reply = this.pushScript.shift();
		if (!reply) throw new Error('push no esperado');
		return reply(req);
	}

	onOlder(...pages: OlderPage[]): this {
		this.olderScript.push(...pages);
		return this;
	}

	async older(entity: EntityName, customerId: string, before?: string): Promise<OlderPage> {
		this.olders.push(
			before === undefined ? { entity, customerId } : { entity, customerId, before }
		);
		const page = this.olderScript.shift();
		if (!page) throw new TypeError('Failed to fetch');
		return structuredClone(page);
	}

	async pull(
		since: number,
		limit: number,
		access?: string,
		pinned: string[] = []
	): Promise<PullResponse> {
		this.pulls.push({
			since,
			limit,
			...(access === undefined ? {} : { access }),
			...(pinned.length ? { pinned } : {})
		});
		const page = this.pullScript.shift();
		if (!page) throw new Error(`pull no esperado (since=${since})`);
		return structuredClone(page);
	}
}

/** Every mutation applied, or some rejected by id. */
const answer =
	(rejected: Record<string, WireError> = {}) =>
	(req: PushRequest): PushReply => ({
		status: 200,
		body: {
			seq: 0,
			results: req.mutations.map((m) =>
				rejected[m.id]
					? { id: m.id, status: 'rejected', error: rejected[m.id] }
					: { id: m.id, status: 'applied' }
			)
		}
	});

const SERVER = 'server-1';
const page = (seq: number, changes: Change[], more = false, serverId = SERVER): PullResponse => ({
	changes,
	seq,
	more,
	serverId
});
const put = (seq: number, entity: Change['entity'], data: Record<string, unknown>): Change => ({
	seq,
	entity,
	id: String(data.id),
	op: 'put',
	data
});
const del = (seq: number, entity: Change['entity'], id: string): Change => ({
	seq,
	entity,
	id,
	op: 'delete'
});

const USER: DeviceUser = { userId: 'u-ana', userName: 'Ana', role: 'office' };
const T0 = '2026-01-10T09:00:00.000Z';

/** A customer as the server stores it. */
const serverCustomer = (id: string, over: Record<string, unknown> = {}) => ({
	id,
	code: 'C00001',
	isCompany: false,
	name: 'Ana Pérez',
	taxIdType: 'nif',
	taxId: '12345678Z',
	phone: '600000000',
	altaDate: '2026-01-10',
	createdAt: T0,
	updatedAt: T0,
	...over
});
const serverContact = (id: string, customerId: string, over: Record<string, unknown> = {}) => ({
	id,
	customerId,
	name: 'Luis',
	createdAt: T0,
	updatedAt: T0,
	...over
});
const newCustomer = (id: string, over: Record<string, unknown> = {}) => ({
	id,
	isCompany: false,
	name: 'Bar Manolo',
	taxIdType: 'nif',
	taxId: '12345678z',
	...over
});

let db: EnlaceDb;
let transport: ScriptedTransport;
let engine: SyncEngine;
let n = 0;

beforeEach(async () => {
	db = new EnlaceDb(`engine-test-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange });
	await db.open();
	transport = new ScriptedTransport();
	engine = new SyncEngine(db, transport, 'client-a', () => USER, 50);
});

afterEach(() => {
	db.close();
	vi.restoreAllMocks();
});

/** Start from a device that has pulled X (a customer) and P (its contact) at seq 2. */
async function seeded() {
	const X = 'cust-x';
	const P = 'contact-p';
	transport.onPull(
		page(2, [put(1, 'customer', serverCustomer(X)), put(2, 'contactPerson', serverContact(P, X))])
	);
	await engine.pull();
	return { X, P };
}

describe('mutate', () => {
	it('writes the row, its shadow and the outbox row together', async () => {
		const id = await engine.mutate('customer.create', newCustomer('c-1'));
		const row = await db.table_('customer').get('c-1');
		expect(row).toMatchObject({
			id: 'c-1',
			name: 'Bar Manolo',
			taxId: '12345678Z',
			code: provisionalCode('c-1')
		});
		expect(await engine.pending()).toEqual([
			expect.objectContaining({ id, name: 'customer.create', ctx: USER, args: newCustomer('c-1') })
		]);
		// The server had no such row: a rollback must remove it.
		expect(await db.shadow.get(shadowKey('customer', 'c-1'))).toMatchObject({ row: null });
	});

	it('writes nothing when the mutator fails half-way', async () => {
		const failing: Mutator = {
			name: 'test.writeThenFail',
			args: CustomerCreateArgs as Mutator['args'],
			roles: ['office'],
			async apply(tx) {
				await tx.put('customer', serverCustomer('half') as never);
				throw new AppError('conflict', 'falla después de escribir');
			}
		};
		(MUTATORS as Map<string, Mutator>).set(failing.name, failing);
		try {
			await expect(engine.mutate(failing.name, newCustomer('half'))).rejects.toMatchObject({
				code: 'conflict'
			});
		} finally {
			(MUTATORS as Map<string, Mutator>).delete(failing.name);
		}
		expect(await db.table_('customer').count()).toBe(0);
		expect(await db.shadow.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});

	it('writes no row when the outbox row cannot be written', async () => {
		const first = await engine.mutate('customer.create', newCustomer('c-1'));
		// Same mutation id again: the outbox's unique index refuses it after the mutator wrote its row.
		vi.spyOn(crypto, 'randomUUID').mockReturnValue(first as ReturnType<typeof crypto.randomUUID>);
		await expect(engine.mutate('customer.create', newCustomer('c-2'))).rejects.toThrow();
		expect(await db.table_('customer').get('c-2')).toBeUndefined();
		expect(await db.shadow.get(shadowKey('customer', 'c-2'))).toBeUndefined();
		expect((await engine.pending()).map((p) => p.id)).toEqual([first]);
	});

	it('refuses invalid arguments with an AppError naming the field, before writing', async () => {
		const bad = engine.mutate('customer.create', newCustomer('c-1', { taxId: '12345678A' }));
		await expect(bad).rejects.toBeInstanceOf(AppError);
		await expect(bad).rejects.toMatchObject({ code: 'invalid-tax-id', field: 'taxId' });
		await expect(
			engine.mutate('customer.create', newCustomer('c-1', { name: '  ' }))
		).rejects.toMatchObject({
			code: 'invalid-field',
			field: 'name'
		});
		await expect(
			engine.mutate('customer.create', newCustomer('c-1', { color: 'red' }))
		).rejects.toMatchObject({
			code: 'invalid-args'
		});
		await expect(engine.mutate('customer.burn', {})).rejects.toMatchObject({
			code: 'unknown-mutation'
		});
		expect(await db.table_('customer').count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.shadow.count()).toBe(0);
	});

	it('refuses a rule broken inside the mutator (missing parent) and writes nothing', async () => {
		const address = {
			id: 'a-1',
			customerId: 'nobody',
			label: 'fiscal',
			street: 'C/ Mayor 1',
			country: 'ES'
		};
		await expect(engine.mutate('address.create', address)).rejects.toMatchObject({
			code: 'not-found',
			field: 'customerId'
		});
		expect(await db.table_('address').count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});

	it('needs a signed-in user with a role that may run the mutation', async () => {
		const signedOut = new SyncEngine(db, transport, 'client-a', () => undefined);
		await expect(signedOut.mutate('customer.create', newCustomer('c-1'))).rejects.toMatchObject({
			code: 'unauthorized'
		});
		const tech = new SyncEngine(db, transport, 'client-a', () => ({ ...USER, role: 'technician' }));
		const setting = { id: 's-1', list: 'sector', name: 'Pesca', order: 1, active: true };
		await expect(tech.mutate('setting.create', setting)).rejects.toMatchObject({
			code: 'forbidden'
		});
		expect(await db.outbox.count()).toBe(0);
		expect(await db.table_('setting').count()).toBe(0);
	});

	it('gives a customer created offline a provisional PROV- code of its own', async () => {
		await engine.mutate('customer.create', newCustomer('0a1b2c3d-0000-4000-8000-000000000001'));
		await engine.mutate('customer.create', newCustomer('9f8e7d6c-0000-4000-8000-000000000002'));
		const codes = (await db.table_('customer').toArray()).map((c) => c.code).sort();
		expect(codes).toEqual(['PROV-0A1B2C', 'PROV-9F8E7D']);
		expect(codes.every((c) => c.startsWith(PROVISIONAL_CODE_PREFIX))).toBe(true);
		// Nothing went to the network.
		expect(transport.pushes).toEqual([]);
	});
});

describe('push', () => {
	it('sends the outbox in order and removes what was applied', async () => {
		const ids = [
			await engine.mutate('customer.create', newCustomer('c-1')),
			await engine.mutate('address.create', {
				id: 'a-1',
				customerId: 'c-1',
				label: 'servicio',
				street: 'C/ Mayor 1',
				postalCode: '28001'
			}),
			await engine.mutate('contactPerson.create', { id: 'p-1', customerId: 'c-1', name: 'Luis' }),
			await engine.mutate('customer.update', { id: 'c-1', patch: { phone: '611111111' } })
		];
		transport.onPush(answer());
		expect(await engine.push()).toEqual({ applied: 4, rejected: 0 });
		expect(transport.pushes).toHaveLength(1);
		expect(transport.pushes[0].clientId).toBe('client-a');
		expect(transport.pushes[0].mutations.map((m) => [m.id, m.name])).toEqual([
			[ids[0], 'customer.create'],
			[ids[1], 'address.create'],
			[ids[2], 'contactPerson.create'],
			[ids[3], 'customer.update']
		]);
		expect(transport.pushes[0].mutations[3].args).toEqual({
			id: 'c-1',
			patch: { phone: '611111111' }
		});
		expect(await db.outbox.count()).toBe(0);
		expect(await db.rejected.count()).toBe(0);
		// The optimistic rows stay until the server's versions arrive.
		expect(await db.table_('customer').get('c-1')).toMatchObject({ phone: '611111111' });
		expect(await db.table_('address').count()).toBe(1);
		// Nothing left: a second push sends nothing.
		expect(await engine.push()).toEqual({ applied: 0, rejected: 0 });
		expect(transport.pushes).toHaveLength(1);
	});

	it('sends a long outbox in batches, in order', async () => {
		await engine.mutate('customer.create', newCustomer('c-1'));
		for (let i = 0; i < 100; i++) {
			await engine.mutate('customer.update', { id: 'c-1', patch: { comments: `nota ${i}` } });
		}
		const order = (await engine.pending()).map((p) => p.id);
		transport.onPush(answer(), answer());
		expect(await engine.push()).toEqual({ applied: 101, rejected: 0 });
		expect(transport.pushes.map((p) => p.mutations.length)).toEqual([100, 1]);
		expect(transport.pushes.flatMap((p) => p.mutations.map((m) => m.id))).toEqual(order);
		expect(await db.outbox.count()).toBe(0);
	});

	it('splits a batch the server finds too large (413) instead of sending it again for ever', async () => {
		await engine.mutate('customer.create', newCustomer('c-1'));
		for (let i = 0; i < 3; i++) {
			await engine.mutate('customer.update', { id: 'c-1', patch: { comments: `nota ${i}` } });
		}
		const order = (await engine.pending()).map((p) => p.id);
		const tooLarge = { code: 'payload-too-large', message: 'Demasiados datos en un solo envío' };
		transport.onPush(() => ({ status: 413, body: { error: tooLarge } }), answer(), answer());
		expect(await engine.push()).toEqual({ applied: 4, rejected: 0 });
		expect(transport.pushes.map((p) => p.mutations.length)).toEqual([4, 2, 2]);
		expect(transport.pushes.slice(1).flatMap((p) => p.mutations.map((m) => m.id))).toEqual(order);
		expect(await db.outbox.count()).toBe(0);
	});

	it('sets aside one change too large to send even alone, and sends the rest', async () => {
		const big = await engine.mutate('customer.create', newCustomer('c-1'));
		const next = await engine.mutate('customer.update', {
			id: 'c-1',
			patch: { phone: '622222222' }
		});
		// A proxy's 413 page is no JSON: the transport's error carries only the status.
		const proxy413 = Object.assign(new Error('Error del servidor (413)'), {
			status: 413,
			error: { code: 'internal', message: 'Error del servidor (413)' }
		});
		transport.onPush(
			() => Promise.reject(proxy413),
			() => Promise.reject(proxy413),
			answer()
		);
		expect(await engine.push()).toEqual({ applied: 1, rejected: 1 });
		expect(transport.pushes.map((p) => p.mutations.map((m) => m.id))).toEqual([
			[big, next],
			[big],
			[next]
		]);
		const [rejected] = await db.rejected.toArray();
		expect(rejected).toMatchObject({ id: big, error: { code: 'payload-too-large' } });
		expect(await db.outbox.count()).toBe(0);
	});

	it('keeps the outbox when the whole push is refused', async () => {
		const id = await engine.mutate('customer.create', newCustomer('c-1'));
		const error = { code: 'unauthorized', message: 'Inicie sesión para continuar' };
		transport.onPush(() => ({ status: 401, body: { error } }));
		const failed = engine.push();
		await expect(failed).rejects.toBeInstanceOf(PushFailed);
		await expect(failed).rejects.toMatchObject({ error });
		expect((await engine.pending()).map((p) => p.id)).toEqual([id]);
		expect(await db.table_('customer').get('c-1')).toBeDefined();
	});

	it('keeps the outbox when the network fails', async () => {
		const id = await engine.mutate('customer.create', newCustomer('c-1'));
		transport.onPush(() => Promise.reject(new TypeError('fetch failed')));
		await expect(engine.push()).rejects.toThrow('fetch failed');
		expect((await engine.pending()).map((p) => p.id)).toEqual([id]);
	});

	it('stops at the last answered mutation and keeps the rest queued', async () => {
		const a = await engine.mutate('customer.create', newCustomer('c-1'));
		const b = await engine.mutate('customer.update', { id: 'c-1', patch: { phone: '622222222' } });
		transport.onPush((req) => ({
			status: 200,
			body: { seq: 1, results: [{ id: req.mutations[0].id, status: 'applied' }] }
		}));
		expect(await engine.push()).toEqual({ applied: 1, rejected: 0 });
		expect(transport.pushes).toHaveLength(1);
		expect((await engine.pending()).map((p) => p.id)).toEqual([b]);
		expect(transport.pushes[0].mutations.map((m) => m.id)).toEqual([a, b]);
	});
});

describe('rejected mutations', () => {
	it('move to `rejected` with their error, are rolled back, and pending work stays applied', async () => {
		const { X, P } = await seeded();
		const address = {
			id: 'a-1',
			customerId: X,
			label: 'servicio',
			street: 'C/ Mayor 1',
			postalCode: '28001'
		};
		const badContact = await engine.mutate('contactPerson.update', {
			id: P,
			patch: { name: 'Luis Martín' }
		});
		const badAddress = await engine.mutate('address.create', address);
		const good = await engine.mutate('customer.update', { id: X, patch: { phone: '611111111' } });
		const notFound = { code: 'not-found', message: 'La persona de contacto no existe' };
		const forbidden = { code: 'forbidden', message: 'Su perfil no permite esta acción' };
		let later = '';
		transport.onPush(
			async (req) => {
				// The user keeps working while the push is on the wire…
				later = await engine.mutate('customer.update', {
					id: X,
					patch: { email: 'ana@example.es' }
				});
				return answer({ [badContact]: notFound, [badAddress]: forbidden })(req);
			},
			// …and the connection drops before that one is sent.
			() => Promise.reject(new TypeError('fetch failed'))
		);

		await expect(engine.push()).rejects.toThrow('fetch failed');
		expect(transport.pushes.map((p) => p.mutations.map((m) => m.id))).toEqual([
			[badContact, badAddress, good],
			[later]
		]);

		const rejected = await db.rejected.toArray();
		expect(rejected.map((r) => [r.id, r.name, r.error])).toEqual(
			expect.arrayContaining([
				[badContact, 'contactPerson.update', notFound],
				[badAddress, 'address.create', forbidden]
			])
		);
		expect(rejected.find((r) => r.id === badContact)!.args).toEqual({
			id: P,
			patch: { name: 'Luis Martín' }
		});
		// Stored as parsed (defaults filled in), exactly what was sent.
		expect(rejected.find((r) => r.id === badAddress)!.args).toEqual({ ...address, country: 'ES' });
		expect((await engine.pending()).map((p) => p.id)).toEqual([later]);
		// Rolled back to the server's versions…
		expect(await db.table_('contactPerson').get(P)).toEqual(serverContact(P, X));
		expect(await db.table_('address').get('a-1')).toBeUndefined();
		// …while the applied change (not pulled yet) and the pending one stay on screen.
		expect(await db.table_('customer').get(X)).toMatchObject({
			phone: '611111111',
			email: 'ana@example.es'
		});
	});

	it('after the next pull the rows equal the server, with pending work on top', async () => {
		const { X, P } = await seeded();
		const bad = await engine.mutate('contactPerson.update', {
			id: P,
			patch: { name: 'Luis Martín' }
		});
		await engine.mutate('customer.update', { id: X, patch: { phone: '611111111' } });
		transport.onPush(answer({ [bad]: { code: 'not-found', message: 'no existe' } }));
		const serverX = serverCustomer(X, {
			phone: '611111111',
			updatedAt: '2026-01-10T10:00:00.000Z'
		});
		transport.onPull(page(5, [put(3, 'customer', serverX), del(4, 'contactPerson', P)]));
		await engine.sync();
		expect(await db.table_('customer').get(X)).toEqual(serverX);
		expect(await db.table_('contactPerson').get(P)).toBeUndefined();
		expect(await db.shadow.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.rejected.count()).toBe(1);
	});

	it('retryRejected queues it again as it was and applies it locally', async () => {
		const { X } = await seeded();
		const id = await engine.mutate('customer.update', { id: X, patch: { comments: 'VIP' } });
		transport.onPush(
			answer({ [id]: { code: 'forbidden', message: 'Su perfil no permite esta acción' } })
		);
		await engine.push();
		expect((await db.table_('customer').get(X))!.comments).toBeUndefined();

		await engine.retryRejected(id);
		expect(await db.rejected.count()).toBe(0);
		const pending = await engine.pending();
		expect(pending).toHaveLength(1);
		expect(pending[0]).toMatchObject({
			name: 'customer.update',
			args: { id: X, patch: { comments: 'VIP' } }
		});
		// A new mutation id: the server answers a seen id as before, so the old one would stay rejected.
		expect(pending[0].id).not.toBe(id);
		expect((await db.table_('customer').get(X))!.comments).toBe('VIP');
	});

	it('retryRejected keeps it rejected, with the new reason, when it no longer applies here', async () => {
		const { X, P } = await seeded();
		const id = await engine.mutate('contactPerson.update', {
			id: P,
			patch: { phone: '633333333' }
		});
		transport.onPush(answer({ [id]: { code: 'not-found', message: 'no existe' } }));
		transport.onPull(page(3, [del(3, 'contactPerson', P)]));
		await engine.sync();

		await expect(engine.retryRejected(id)).rejects.toMatchObject({ code: 'not-found' });
		const row = await db.rejected.get(id);
		expect(row).toMatchObject({ name: 'contactPerson.update', error: { code: 'not-found' } });
		expect(row!.error.message).toContain('La persona de contacto no existe');
		expect(await db.outbox.count()).toBe(0);
		expect(await db.table_('customer').get(X)).toBeDefined();
		// Retrying an id that is not there does nothing.
		await engine.retryRejected('nope');
		expect(await db.outbox.count()).toBe(0);
	});

	it('discardRejected forgets it and touches nothing else', async () => {
		const { X } = await seeded();
		const bad = await engine.mutate('customer.update', { id: X, patch: { comments: 'VIP' } });
		transport.onPush(answer({ [bad]: { code: 'forbidden', message: 'no' } }));
		await engine.push();
		const keep = await engine.mutate('customer.update', { id: X, patch: { phone: '644444444' } });
		await engine.discardRejected(bad);
		expect(await db.rejected.count()).toBe(0);
		expect((await engine.pending()).map((p) => p.id)).toEqual([keep]);
		expect(await db.table_('customer').get(X)).toMatchObject({ phone: '644444444' });
		expect((await db.table_('customer').get(X))!.comments).toBeUndefined();
	});
});

describe('pull', () => {
	it('applies puts and deletes page by page and stores seq and serverId', async () => {
		const { X, P } = await seeded();
		expect(await db.getMeta('seq')).toBe(2);
		expect(await db.table_('customer').get(X)).toEqual(serverCustomer(X));

		transport.onPull(
			page(
				4,
				[put(3, 'customer', serverCustomer('Y', { code: 'C00002' })), del(4, 'contactPerson', P)],
				true
			),
			page(6, [
				put(5, 'customer', serverCustomer(X, { name: 'Ana Pérez Gil' })),
				// An entity this app version does not know: skipped, not fatal.
				{ seq: 6, entity: 'invoice' as Change['entity'], id: 'i-1', op: 'put', data: { id: 'i-1' } }
			])
		);
		expect(await engine.pull()).toEqual({ rows: 4 });
		// A protocol-1 server sends no access key: the device has none and sends an empty one.
		expect(transport.pulls).toEqual([
			{ since: 0, limit: 50 },
			{ since: 2, limit: 50, access: '' },
			{ since: 4, limit: 50 }
		]);
		expect(await db.getMeta('seq')).toBe(6);
		expect(await db.getMeta('serverId')).toBe(SERVER);
		expect(await db.table_('contactPerson').count()).toBe(0);
		expect((await db.table_('customer').toArray()).map((c) => [c.id, c.name]).sort()).toEqual([
			['Y', 'Ana Pérez'],
			[X, 'Ana Pérez Gil']
		]);
	});

	it('keeps a pending local patch on top of a pulled change; once acked, the row is the server’s', async () => {
		const { X } = await seeded();
		await engine.mutate('customer.update', { id: X, patch: { phone: '611111111' } });

		// Someone else renamed the customer meanwhile.
		const v1 = serverCustomer(X, { name: 'Ana Pérez Gil', updatedAt: '2026-01-10T10:00:00.000Z' });
		transport.onPull(page(3, [put(3, 'customer', v1)]));
		await engine.pull();
		expect(await db.table_('customer').get(X)).toMatchObject({
			name: 'Ana Pérez Gil',
			phone: '611111111'
		});
		expect((await db.shadow.get(shadowKey('customer', X)))!.row).toEqual(v1);
		expect(await db.outbox.count()).toBe(1);

		transport.onPush(answer());
		await engine.push();
		const v2 = { ...v1, phone: '611111111', updatedAt: '2026-01-10T10:05:00.000Z' };
		transport.onPull(page(4, [put(4, 'customer', v2)]));
		await engine.pull();
		expect(await db.table_('customer').get(X)).toEqual(v2);
		expect(await db.shadow.count()).toBe(0);
	});

	it('a pulled delete of a row with a pending patch removes it; the patch is left to the server', async () => {
		const { X, P } = await seeded();
		await engine.mutate('contactPerson.update', { id: P, patch: { phone: '655555555' } });
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
		transport.onPull(page(3, [del(3, 'contactPerson', P)]));
		await engine.pull();
		expect(await db.table_('contactPerson').get(P)).toBeUndefined();
		expect(warn).toHaveBeenCalledOnce();
		expect(await db.outbox.count()).toBe(1);
		expect(await db.table_('customer').get(X)).toEqual(serverCustomer(X));
	});

	it('reset: drops server rows, keeps the outbox and replays it over the new state', async () => {
		const { X, P } = await seeded();
		transport.onPull(page(3, [put(3, 'customer', serverCustomer('Y', { code: 'C00002' }))]));
		await engine.pull();
		const created = await engine.mutate('customer.create', newCustomer('c-new'));
		const patched = await engine.mutate('customer.update', {
			id: X,
			patch: { phone: '699999999' }
		});
		transport.onPull(
			{ changes: [], seq: 1, more: false, serverId: SERVER, reset: true },
			page(1, [put(1, 'customer', serverCustomer(X, { name: 'Ana (restaurada)' }))])
		);
		await engine.pull();
		expect(transport.pulls.slice(-2)).toEqual([
			{ since: 3, limit: 50, access: '' },
			{ since: 0, limit: 50 }
		]);
		expect(await db.getMeta('seq')).toBe(1);
		expect(await db.table_('customer').get('Y')).toBeUndefined();
		expect(await db.table_('contactPerson').get(P)).toBeUndefined();
		expect(await db.table_('customer').get(X)).toMatchObject({
			name: 'Ana (restaurada)',
			phone: '699999999'
		});
		expect(await db.table_('customer').get('c-new')).toMatchObject({
			code: provisionalCode('c-new')
		});
		expect((await engine.pending()).map((p) => p.id)).toEqual([created, patched]);
	});

	it('reset: a different serverId starts over from 0 too', async () => {
		const { X } = await seeded();
		transport.onPull(
			page(9, [put(9, 'customer', serverCustomer('Z'))], false, 'server-2'),
			page(1, [], false, 'server-2')
		);
		await engine.pull();
		expect(transport.pulls.slice(-2).map((p) => p.since)).toEqual([2, 0]);
		expect(await db.getMeta('serverId')).toBe('server-2');
		expect(await db.getMeta('seq')).toBe(1);
		expect(await db.table_('customer').get(X)).toBeUndefined();
		expect(await db.table_('customer').get('Z')).toBeUndefined();
	});

	it('refuses to reset forever', async () => {
		await seeded();
		const reset = { changes: [], seq: 0, more: false, serverId: SERVER, reset: true };
		transport.onPull(reset, reset);
		await expect(engine.pull()).rejects.toThrow(/reiniciar/);
	});
});

describe('onChange', () => {
	it('tells which rows changed, as they now are, and stops after unsubscribe', async () => {
		const notices: ChangeNotice[] = [];
		const off = engine.onChange((n) => notices.push(n));
		await engine.mutate('customer.create', newCustomer('c-1'));
		expect(notices).toHaveLength(1);
		expect([...notices[0].changes.keys()]).toEqual(['customer']);
		const created = notices[0].changes.get('customer') as Map<string, unknown>;
		expect(created.get('c-1')).toEqual(await db.table_('customer').get('c-1'));

		transport.onPull(
			page(2, [
				put(1, 'contactPerson', serverContact('p-1', 'c-9')),
				{ seq: 2, entity: 'address', id: 'a-gone', op: 'delete' }
			])
		);
		await engine.pull();
		// The pulled page (its rows; null for a deleted one), then the rebase of the pending create.
		expect(notices.slice(1).map((n) => n.changes)).toEqual([
			new Map<string, unknown>([
				['contactPerson', new Map([['p-1', serverContact('p-1', 'c-9')]])],
				['address', new Map([['a-gone', null]])]
			]),
			new Map([['customer', new Map([['c-1', await db.table_('customer').get('c-1')]])]])
		]);

		off();
		await engine.mutate('customer.update', { id: 'c-1', patch: { phone: '600000001' } });
		expect(notices).toHaveLength(3);
	});

	it('journals every change in its own transaction, in rev order, with the rev it tells', async () => {
		const notices: ChangeNotice[] = [];
		engine.onChange((n) => notices.push(n));
		await engine.mutate('customer.create', newCustomer('c-1'));
		transport.onPull(page(1, [put(1, 'contactPerson', serverContact('p-1', 'c-9'))]));
		await engine.pull();
		await engine.mutate('customer.update', { id: 'c-1', patch: { phone: '600000002' } });
		const journal = await db.journal.orderBy('rev').toArray();
		expect(journal.map((j) => j.rev)).toEqual(notices.map((n) => n.rev));
		expect(journal.map((j) => j.touched)).toEqual(
			notices.map((n) =>
				Object.fromEntries(
					[...n.changes].map(([e, r]) => [e, [...(r as Map<string, unknown>).keys()]])
				)
			)
		);
		expect(journal[1].touched).toEqual({ contactPerson: ['p-1'] });
		// A mutation that fails writes nothing, not even its journal row.
		await expect(
			engine.mutate('customer.create', newCustomer('c-2', { taxId: 'no' }))
		).rejects.toThrow();
		expect(await db.journal.count()).toBe(journal.length);
	});

	it('a failed mutation tells nothing; a reset tells every table and journals it', async () => {
		const notices: ChangeNotice[] = [];
		engine.onChange((n) => notices.push(n));
		await expect(
			engine.mutate('customer.create', newCustomer('c-1', { taxId: 'no' }))
		).rejects.toThrow();
		expect(notices).toEqual([]);
		await engine.resetLocal();
		expect(notices).toHaveLength(1);
		expect([...notices[0].changes.keys()].sort()).toEqual([...ENTITY_NAMES].sort());
		expect(notices[0].changes.has('paymentMethod')).toBe(true);
		expect(new Set(notices[0].changes.values())).toEqual(new Set(['all']));
		expect(await db.journal.get(notices[0].rev)).toMatchObject({ touched: 'all' });
	});
});

describe('a device belongs to its user', () => {
	it("pushes only the signed-in user's mutations, never another user's", async () => {
		let user: DeviceUser = USER;
		const shared = new SyncEngine(db, transport, 'client-a', () => user, 50);
		await shared.mutate('customer.create', newCustomer('c-ana'));
		user = { userId: 'u-tomas', userName: 'Tomás', role: 'technician' };
		expect(await shared.push()).toEqual({ applied: 0, rejected: 0 });
		expect(transport.pushes).toEqual([]);
		expect(await db.outbox.count()).toBe(1);
		user = USER;
		transport.onPush(answer());
		expect(await shared.push()).toEqual({ applied: 1, rejected: 0 });
		expect(transport.pushes[0].mutations.map((m) => m.args)).toMatchObject([{ id: 'c-ana' }]);
	});

	it('discardAll leaves nothing of the previous user: rows, outbox, rejected list, position', async () => {
		transport.onPull({
			...page(1, [put(1, 'customer', serverCustomer('X'))]),
			access: 'all,finance'
		});
		await engine.pull();
		await engine.mutate('customer.create', newCustomer('c-new'));
		await db.rejected.put({
			id: 'm-old',
			name: 'customer.update',
			args: {},
			createdAt: T0,
			ctx: USER,
			error: { code: 'conflict', message: 'x' },
			rejectedAt: T0
		});
		await engine.discardAll();
		for (const t of [db.customer, db.outbox, db.rejected, db.shadow])
			expect(await t.count()).toBe(0);
		expect(await db.getMeta('seq')).toBeUndefined();
		expect(await db.getMeta('access')).toBeUndefined();
	});
});

describe('access key and role', () => {
	it('keeps the access key it synced under and sends it back; a reset forgets it', async () => {
		const roles: string[] = [];
		engine.onRole((r) => roles.push(r));
		transport.onPull({
			...page(2, [put(2, 'customer', serverCustomer('X'))]),
			access: 'all,finance',
			role: 'office'
		});
		await engine.pull();
		expect(await db.getMeta('access')).toBe('all,finance');
		expect(await db.getMeta('role')).toBe('office');
		expect(transport.pulls[0].access).toBeUndefined();

		// Demoted: the server answers reset; the device drops what it held and pulls from 0.
		transport.onPull(
			{ ...page(2, []), reset: true, access: 'all@0', role: 'technician' },
			{ ...page(2, []), access: 'all@0', role: 'technician' }
		);
		await engine.pull();
		expect(transport.pulls.slice(1)).toEqual([
			{ since: 2, limit: 50, access: 'all,finance' },
			{ since: 0, limit: 50 }
		]);
		expect(await db.customer.count()).toBe(0);
		expect(await db.getMeta('access')).toBe('all@0');
		expect(roles).toEqual(['office', 'technician']);
	});

	it('a device that synced before access keys sends an empty one (and so resets once)', async () => {
		await db.setMeta('seq', 5);
		await db.setMeta('serverId', SERVER);
		transport.onPull(page(5, []));
		await engine.pull();
		expect(transport.pulls[0]).toMatchObject({ since: 5, access: '' });
	});
});

describe('windowed entities (Historial, router jobs)', () => {
	const NOW = Date.now();
	const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
	const line = (id: string, customerId: string, at: string) => ({
		id,
		customerId,
		kind: 'auto',
		at,
		userId: 'u-ana',
		userName: 'Ana',
		entity: 'customer',
		entityId: customerId,
		field: 'phone'
	});
	const job = (id: string, customerId: string, createdAt: string, state: string) => ({
		id,
		customerId,
		routerId: 'r1',
		kind: 'pppoe.ensure',
		state,
		attempts: 0,
		createdAt,
		updatedAt: createdAt
	});
	const windowed = (seq: number, changes: Change[]): PullResponse => ({
		...page(seq, changes),
		window: { days: 14 }
	});

	it('prunes rows that fell out of the window, keeps pinned customers’ and open jobs, queues nothing', async () => {
		await engine.pin('c-pinned');
		transport.onPull(
			windowed(6, [
				put(1, 'history', line('h-new', 'c-1', daysAgo(2))),
				put(2, 'history', line('h-old', 'c-1', daysAgo(20))),
				put(3, 'history', line('h-pinned', 'c-pinned', daysAgo(400))),
				put(4, 'routerJob', job('j-done', 'c-1', daysAgo(30), 'done')),
				put(5, 'routerJob', job('j-queued', 'c-1', daysAgo(30), 'queued')),
				put(6, 'routerJob', job('j-recent', 'c-1', daysAgo(1), 'failed'))
			])
		);
		await engine.pull();
		expect(transport.pulls[0].pinned).toEqual(['c-pinned']);
		expect(await db.getMeta('window')).toEqual({ days: 14 });
		expect((await db.history.toCollection().primaryKeys()).sort()).toEqual(['h-new', 'h-pinned']);
		expect((await db.routerJob.toCollection().primaryKeys()).sort()).toEqual([
			'j-queued',
			'j-recent'
		]);
		expect(await db.outbox.count()).toBe(0);

		// Days later the recent line ages out too, on the next prune.
		expect(await engine.prune(NOW + 20 * 86_400_000)).toBe(2);
		expect(await db.history.toCollection().primaryKeys()).toEqual(['h-pinned']);
	});

	it('never prunes a row with local changes pending (its shadow)', async () => {
		transport.onPull(windowed(1, [put(1, 'history', line('h-old', 'c-1', daysAgo(60)))]));
		await db.setMeta('window', { days: 14 });
		await db.history.put(line('h-old', 'c-1', daysAgo(60)) as never);
		await db.shadow.put({
			key: shadowKey('history', 'h-old'),
			entity: 'history',
			id: 'h-old',
			row: line('h-old', 'c-1', daysAgo(60))
		});
		expect(await engine.prune(NOW)).toBe(0);
		expect(await db.history.get('h-old')).toBeDefined();
	});

	it('pins at most MAX_PINNED_CUSTOMERS, most recent first; one that drops out loses its old rows', async () => {
		await db.setMeta('window', { days: 14 });
		await db.history.bulkPut([
			line('h-first', 'c-0', daysAgo(100)),
			line('h-second', 'c-1', daysAgo(100))
		] as never[]);
		for (let i = 0; i < MAX_PINNED_CUSTOMERS; i++) await engine.pin(`c-${i}`);
		await engine.pin('c-1');
		expect((await engine.pinned()).slice(0, 2)).toEqual(['c-1', `c-${MAX_PINNED_CUSTOMERS - 1}`]);
		expect(await db.history.count()).toBe(2);
		await engine.pin('c-new');
		expect(await engine.pinned()).toHaveLength(MAX_PINNED_CUSTOMERS);
		expect(await engine.pinned()).not.toContain('c-0');
		expect(await db.history.toCollection().primaryKeys()).toEqual(['h-second']);
	});

	it('fetchOlder pins the customer and stores the page, except rows with pending changes', async () => {
		await db.setMeta('window', { days: 14 });
		const mine = { ...line('h-2', 'c-9', daysAgo(200)), comment: 'mine' };
		await db.history.put(mine as never);
		await db.shadow.put({
			key: shadowKey('history', 'h-2'),
			entity: 'history',
			id: 'h-2',
			row: null
		});
		transport.onOlder({
			entity: 'history',
			rows: [line('h-1', 'c-9', daysAgo(100)), line('h-2', 'c-9', daysAgo(200))],
			next: `${daysAgo(200)}|h-2`
		});
		const got = await engine.fetchOlder('history', 'c-9', `${daysAgo(20)}|h-0`);
		expect(got.next).toBe(`${daysAgo(200)}|h-2`);
		expect(transport.olders).toEqual([
			{ entity: 'history', customerId: 'c-9', before: `${daysAgo(20)}|h-0` }
		]);
		expect(await engine.pinned()).toEqual(['c-9']);
		expect(await db.history.get('h-1')).toBeDefined();
		expect(((await db.history.get('h-2')) as { comment?: string }).comment).toBe('mine');
		// Pinned: the old page survives pruning.
		expect(await engine.prune(NOW)).toBe(0);
	});

	it('fetchOlder offline: the failure propagates and nothing is written', async () => {
		await expect(engine.fetchOlder('history', 'c-9')).rejects.toThrow('Failed to fetch');
		expect(await db.history.count()).toBe(0);
	});

	it('a reset keeps the pinned customers, and the pull from 0 asks for them again', async () => {
		await engine.pin('c-7');
		await db.setMeta('seq', 5);
		await db.setMeta('serverId', SERVER);
		transport.onPull({ ...windowed(5, []), reset: true }, windowed(5, []));
		await engine.pull();
		expect(transport.pulls.map((p) => p.pinned)).toEqual([['c-7'], ['c-7']]);
		expect(await engine.pinned()).toEqual(['c-7']);
	});
});
