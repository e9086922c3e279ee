// The app's SyncEngine (over fake-indexeddb) against the real sync-server, in process, over real
// HTTP: two devices working offline, then syncing.
import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEntry } from '@enlace/shared';
import { EnlaceDb } from '../../app/src/lib/db/db';
import { SyncEngine, type DeviceUser } from '../../app/src/lib/sync/engine';
import { httpTransport } from '../../app/src/lib/sync/http-transport';
import { readRow } from '../../sync-server/src/sync/store';
import { api, customerArgs, startTestServer, type TestServer } from '../support/server';
import { deviceFetch, deviceTokens } from '../support/device-fetch';

type Device = { name: string; db: EnlaceDb; engine: SyncEngine };

let server: TestServer;
let ana: DeviceUser;
let bea: DeviceUser;
const devices: Device[] = [];

async function signIn(device: string, token: string): Promise<DeviceUser> {
	deviceTokens.set(device, token);
	const me = await api(server.url, token).get('/api/me');
	expect(me.status).toBe(200);
	return { userId: me.body.user.id, userName: me.body.user.name, role: me.body.user.role };
}

/** A fresh device (its own IndexedDB) signed in as `user`. */
async function device(name: string, user: DeviceUser, pullLimit?: number): Promise<Device> {
	const db = new EnlaceDb(`enlace-${name}`, { indexedDB: new IDBFactory(), IDBKeyRange });
	await db.open();
	const transport = httpTransport(`${server.url}/~${name}`);
	const engine = new SyncEngine(db, transport, `client-${name}`, () => user, pullLimit);
	const d = { name, db, engine };
	devices.push(d);
	return d;
}

/** Devices A (Ana, admin) and B (Bea, office), each on its own token. */
async function twoDevices() {
	return { a: await device('a', ana), b: await device('b', bea, 4) };
}

/** A customer with two addresses and two contacts, made on `d` without syncing. */
async function customerFile(d: Device) {
	const customer = customerArgs({ name: 'Bar Manolo', phone: '600000000' });
	const id = customer.id as string;
	const addresses = [
		{
			id: randomUUID(),
			customerId: id,
			label: 'fiscal',
			street: 'C/ Mayor 1',
			postalCode: '28001'
		},
		{
			id: randomUUID(),
			customerId: id,
			label: 'servicio',
			street: 'Camino Viejo s/n',
			postalCode: '45001'
		}
	];
	const contacts = [
		{ id: randomUUID(), customerId: id, name: 'Luis', phone: '611000001' },
		{ id: randomUUID(), customerId: id, name: 'Marta', mobile: '611000002' }
	];
	await d.engine.mutate('customer.create', customer);
	for (const a of addresses) await d.engine.mutate('address.create', a);
	for (const c of contacts) await d.engine.mutate('contactPerson.create', c);
	return { id, customer, addresses, contacts };
}

const byId = <T extends { id: string }>(rows: T[]) =>
	[...rows].sort((x, y) => x.id.localeCompare(y.id));
const childrenOf = async (d: Device, entity: 'address' | 'contactPerson', customerId: string) =>
	byId(
		(await d.db.table(entity).where('customerId').equals(customerId).toArray()) as { id: string }[]
	);

/** The server's Historial rows of a customer, in change-log order. */
async function serverHistory(customerId: string): Promise<HistoryEntry[]> {
	const r = await server.db.client.execute({
		sql: "SELECT data FROM records WHERE entity = 'history' AND customer_id = ? AND deleted = 0 ORDER BY seq",
		args: [customerId]
	});
	return r.rows.map((row) => JSON.parse(String(row.data)) as HistoryEntry);
}

async function settled(d: Device) {
	expect(await d.db.outbox.count()).toBe(0);
	expect(await d.db.shadow.count()).toBe(0);
}

beforeAll(async () => {
	server = await startTestServer();
	vi.stubGlobal('fetch', deviceFetch);
	ana = await signIn('a', server.adminToken);
	const created = await api(server.url, server.adminToken).post('/api/users', {
		email: 'bea@enlace.test',
		name: 'Bea',
		role: 'office',
		password: 'bea-password-0001'
	});
	expect(created.status).toBe(201);
	bea = await signIn('b', await server.login('bea@enlace.test', 'bea-password-0001'));
});

afterEach(() => {
	for (const d of devices.splice(0)) d.db.close();
});

afterAll(async () => {
	vi.unstubAllGlobals();
	await server?.close();
});

describe('SyncEngine against the sync-server', () => {
	it('a customer file made offline reaches another device with its server code', async () => {
		const { a, b } = await twoDevices();
		const file = await customerFile(a);
		const offline = await a.db.table_('customer').get(file.id);
		expect(offline!.code).toMatch(/^PROV-[0-9A-F]{6}$/);
		expect(await a.db.outbox.count()).toBe(5);
		expect(await readRow(server.db.client, 'customer', file.id)).toBeUndefined();

		await a.engine.sync();
		await settled(a);
		expect(await a.db.rejected.count()).toBe(0);
		const onA = await a.db.table_('customer').get(file.id);
		expect(onA!.code).toMatch(/^C\d{5}$/);
		expect(onA).toEqual(await readRow(server.db.client, 'customer', file.id));

		await b.engine.sync();
		const onB = await b.db.table_('customer').get(file.id);
		expect(onB).toEqual(onA);
		expect(onB).toMatchObject({
			name: 'Bar Manolo',
			taxId: file.customer.taxId,
			phone: '600000000'
		});
		const addresses = await childrenOf(b, 'address', file.id);
		expect(addresses).toEqual(await childrenOf(a, 'address', file.id));
		expect(addresses).toEqual(
			byId(file.addresses).map((x) => expect.objectContaining({ ...x, country: 'ES' }))
		);
		const contacts = await childrenOf(b, 'contactPerson', file.id);
		expect(contacts).toEqual(await childrenOf(a, 'contactPerson', file.id));
		expect(contacts).toEqual(byId(file.contacts).map((x) => expect.objectContaining(x)));
		// Historial came along: one "alta" line per row, by Ana.
		const history = await b.db.table_('history').where('customerId').equals(file.id).toArray();
		expect(history.map((h) => h.entityId).sort()).toEqual(
			[file.id, ...file.addresses.map((x) => x.id), ...file.contacts.map((x) => x.id)].sort()
		);
		expect(new Set(history.map((h) => h.userName))).toEqual(new Set([ana.userName]));
	});

	it('two devices editing different fields offline both win', async () => {
		const { a, b } = await twoDevices();
		const { id } = await customerFile(a);
		await a.engine.sync();
		await b.engine.sync();

		await a.engine.mutate('customer.update', { id, patch: { phone: '622333444' } });
		await b.engine.mutate('customer.update', {
			id,
			patch: { email: 'manolo@example.es', phone2: null }
		});
		await a.engine.sync();
		await b.engine.sync();
		await a.engine.sync();

		const onA = await a.db.table_('customer').get(id);
		expect(onA).toMatchObject({ phone: '622333444', email: 'manolo@example.es' });
		expect(await b.db.table_('customer').get(id)).toEqual(onA);
		expect(await readRow(server.db.client, 'customer', id)).toEqual(onA);
		await settled(a);
		await settled(b);
	});

	it('the same field edited on both: the later push wins and Historial keeps both', async () => {
		const { a, b } = await twoDevices();
		const { id } = await customerFile(a);
		await a.engine.sync();
		await b.engine.sync();

		await a.engine.mutate('customer.update', { id, patch: { comments: 'Llamar por la mañana' } });
		await b.engine.mutate('customer.update', { id, patch: { comments: 'Llamar por la tarde' } });
		// Until it syncs, each device shows its own edit.
		expect((await a.db.table_('customer').get(id))!.comments).toBe('Llamar por la mañana');
		await a.engine.sync();
		await b.engine.sync();
		await a.engine.sync();

		for (const d of [a, b])
			expect((await d.db.table_('customer').get(id))!.comments).toBe('Llamar por la tarde');
		const lines = (await serverHistory(id)).filter((h) => h.field === 'comments');
		expect(lines.map((h) => [h.oldValue, h.newValue, h.userName])).toEqual([
			[null, 'Llamar por la mañana', ana.userName],
			['Llamar por la mañana', 'Llamar por la tarde', bea.userName]
		]);
		// The devices received the same Historial.
		const onA = (await a.db.table_('history').where('customerId').equals(id).toArray()).filter(
			(h) => h.field === 'comments'
		);
		expect(byId(onA)).toEqual(byId(lines));
	});

	it('a change to a contact deleted elsewhere is rejected, kept with its reason and rolled back', async () => {
		const { a, b } = await twoDevices();
		const { id, contacts } = await customerFile(a);
		const [gone, kept] = contacts;
		await a.engine.sync();
		await b.engine.sync();

		await b.engine.mutate('contactPerson.delete', { id: gone.id });
		await b.engine.sync();
		expect(await readRow(server.db.client, 'contactPerson', gone.id)).toBeUndefined();

		// A has not pulled since: it still sees the contact and edits it, and another one.
		const doomed = await a.engine.mutate('contactPerson.update', {
			id: gone.id,
			patch: { phone: '633000000' }
		});
		await a.engine.mutate('contactPerson.update', {
			id: kept.id,
			patch: { comment: 'Solo tardes' }
		});
		expect(await a.db.table_('contactPerson').get(gone.id)).toMatchObject({ phone: '633000000' });

		expect(await a.engine.push()).toEqual({ applied: 1, rejected: 1 });
		// Before the next pull: the rejected edit is rolled back, the applied one still shows.
		expect(await a.db.table_('contactPerson').get(gone.id)).toMatchObject({ phone: gone.phone });
		expect(await a.db.table_('contactPerson').get(kept.id)).toMatchObject({
			comment: 'Solo tardes'
		});
		await a.engine.pull();

		const rejected = await a.db.rejected.toArray();
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toMatchObject({
			id: doomed,
			name: 'contactPerson.update',
			args: { id: gone.id, patch: { phone: '633000000' } },
			error: { code: 'not-found' }
		});
		expect(rejected[0].error.message).toMatch(/no existe/);
		expect(await a.db.table_('contactPerson').get(gone.id)).toBeUndefined();
		const keptOnA = await a.db.table_('contactPerson').get(kept.id);
		expect(keptOnA).toMatchObject({ comment: 'Solo tardes' });
		expect(keptOnA).toEqual(await readRow(server.db.client, 'contactPerson', kept.id));
		expect((await childrenOf(a, 'contactPerson', id)).map((c) => c.id)).toEqual([kept.id]);
		await settled(a);

		// Discarding it drops only the record of the rejection.
		await a.engine.discardRejected(doomed);
		expect(await a.db.rejected.count()).toBe(0);
		expect(await a.db.table_('contactPerson').get(kept.id)).toEqual(keptOnA);
	});
});
