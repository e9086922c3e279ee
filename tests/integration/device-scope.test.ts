// A device holds only what its user's role may see, as the role changes: the app's SyncEngine
// (over fake-indexeddb) against the real sync-server over HTTP. A demoted user's device drops the
// bank rows it held; a promoted user's device receives the ones written before; values of an
// office-only custom field never reach a technician, and changing the flag re-scopes them.
import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { EnlaceDb } from '../../app/src/lib/db/db';
import { SyncEngine, type DeviceUser } from '../../app/src/lib/sync/engine';
import { httpTransport } from '../../app/src/lib/sync/http-transport';
import {
	api,
	customerArgs,
	pullAll,
	pushOne,
	startTestServer,
	type TestServer
} from '../support/server';
import { deviceFetch, deviceTokens } from '../support/device-fetch';

let s: TestServer;
const dbs: EnlaceDb[] = [];

type Person = { id: string; token: string; user: DeviceUser };

async function makeUser(role: 'technician' | 'office'): Promise<Person> {
	const email = `${role}-${randomUUID().slice(0, 8)}@enlace.test`;
	const r = await api(s.url, s.adminToken).post('/api/users', {
		email,
		name: role === 'office' ? 'Oficina' : 'Técnico',
		role,
		password: `${role}-password-1`
	});
	expect(r.status).toBe(201);
	const token = await s.login(email, `${role}-password-1`);
	const me = await api(s.url, token).get('/api/me');
	const u = me.body.user;
	return { id: u.id, token, user: { userId: u.id, userName: u.name, role: u.role } };
}

function device(name: string, p: Person) {
	deviceTokens.set(name, p.token);
	const db = new EnlaceDb(`enlace-${name}`, { indexedDB: new IDBFactory(), IDBKeyRange });
	dbs.push(db);
	const engine = new SyncEngine(db, httpTransport(`${s.url}/~${name}`), name, () => p.user);
	return { db, engine };
}

async function setRole(p: Person, role: 'technician' | 'office') {
	const r = await api(s.url, s.adminToken).patch(`/api/users/${p.id}`, { role });
	expect(r.status).toBe(200);
}

async function customerWithBank(): Promise<{ customerId: string; paymentId: string }> {
	const args = customerArgs({ name: 'Cliente con banco' });
	expect((await pushOne(s.url, s.adminToken, 'customer.create', args)).body.results[0].status).toBe(
		'applied'
	);
	const paymentId = randomUUID();
	const r = await pushOne(s.url, s.adminToken, 'paymentMethod.create', {
		id: paymentId,
		customerId: args.id,
		typeId: 'paymentMethodType-sepa',
		iban: 'ES9121000418450200051332',
		accountHolder: 'Cliente con banco',
		mandateReference: `MAND-${randomUUID().slice(0, 8).toUpperCase()}`,
		mandateSignedAt: '2026-01-15',
		mandateScheme: 'CORE',
		mandateType: 'recurrent'
	});
	expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
	return { customerId: args.id, paymentId };
}

const financeHistory = async (db: EnlaceDb) =>
	(await db.history.toArray()).filter((h) => h.entity === 'paymentMethod');

beforeAll(async () => {
	s = await startTestServer();
	vi.stubGlobal('fetch', deviceFetch);
});

afterEach(() => {
	for (const db of dbs.splice(0)) db.close();
});

afterAll(async () => {
	vi.unstubAllGlobals();
	await s?.close();
});

describe('a change of role changes what the device holds', () => {
	it('a user demoted to technician loses the bank rows on the next sync', async () => {
		const olga = await makeUser('office');
		const { paymentId } = await customerWithBank();
		const d = device('demoted', olga);
		await d.engine.sync();
		expect(await d.db.paymentMethod.get(paymentId)).toBeDefined();
		expect((await financeHistory(d.db)).length).toBeGreaterThan(0);

		await setRole(olga, 'technician');
		await d.engine.sync();
		expect(await d.db.paymentMethod.count()).toBe(0);
		expect(await financeHistory(d.db)).toEqual([]);
		// The device learnt its role from the server.
		expect(await d.db.getMeta('role')).toBe('technician');
		// Customers are still there: only what the role may not hold went away.
		expect(await d.db.customer.count()).toBeGreaterThan(0);
	});

	it('a user promoted to office receives the bank rows written before', async () => {
		const tomas = await makeUser('technician');
		const { paymentId } = await customerWithBank();
		const d = device('promoted', tomas);
		await d.engine.sync();
		expect(await d.db.paymentMethod.count()).toBe(0);

		await setRole(tomas, 'office');
		await d.engine.sync();
		expect(await d.db.paymentMethod.get(paymentId)).toBeDefined();
		expect((await financeHistory(d.db)).length).toBeGreaterThan(0);
		expect(await d.db.getMeta('role')).toBe('office');
	});

	it('a device that keeps its role is not reset', async () => {
		const olga = await makeUser('office');
		await customerWithBank();
		const d = device('steady', olga);
		await d.engine.sync();
		const seq = await d.db.getMeta<number>('seq');
		await d.db.customer.put({ ...(await d.db.customer.toCollection().first())!, name: 'Marca' });
		await d.engine.sync();
		// No reset: the local marker survives and the position is kept.
		expect(await d.db.customer.filter((c) => c.name === 'Marca').count()).toBe(1);
		expect(await d.db.getMeta<number>('seq')).toBe(seq);
	});
});

describe('office-only custom fields', () => {
	it("a technician's pull holds no value of an office-only field, nor its Historial", async () => {
		const tech = await makeUser('technician');
		const office = await makeUser('office');
		const args = customerArgs({ name: 'Cliente con campo' });
		await pushOne(s.url, s.adminToken, 'customer.create', args);
		const field = {
			name: 'IBAN secundario',
			type: 'text',
			required: false,
			order: 0,
			active: true
		};
		for (const [id, officeOnly] of [
			['cf-bank', true],
			['cf-open', false]
		] as const) {
			const r = await pushOne(s.url, s.adminToken, 'customField.create', {
				id,
				...field,
				name: `${field.name} ${id}`,
				officeOnly
			});
			expect(r.body.results[0].status).toBe('applied');
		}
		const saved = await pushOne(s.url, s.adminToken, 'customFieldValue.save', {
			customerId: args.id,
			values: { 'cf-bank': 'ES7921000813610123456789', 'cf-open': 'visible' }
		});
		expect(saved.body.results[0].status).toBe('applied');

		const techPull = await pullAll(s.url, tech.token);
		const techText = JSON.stringify(techPull.changes);
		expect(techText).not.toContain('ES7921000813610123456789');
		expect(techText).toContain('visible');
		const officePull = JSON.stringify((await pullAll(s.url, office.token)).changes);
		expect(officePull).toContain('ES7921000813610123456789');

		// A technician cannot write one either.
		const refused = await pushOne(s.url, tech.token, 'customFieldValue.save', {
			customerId: args.id,
			values: { 'cf-bank': 'ES0000' }
		});
		expect(refused.body.results[0]).toMatchObject({
			status: 'rejected',
			error: { code: 'forbidden' }
		});

		// Changing the flag re-scopes the stored values (and their Historial), both ways.
		const d = device('field-tech', tech);
		await d.engine.sync();
		expect(await d.db.customFieldValue.get(`${args.id}:cf-open`)).toBeDefined();
		expect(await d.db.customFieldValue.get(`${args.id}:cf-bank`)).toBeUndefined();
		await pushOne(s.url, s.adminToken, 'customField.update', {
			id: 'cf-open',
			patch: { officeOnly: true }
		});
		await pushOne(s.url, s.adminToken, 'customField.update', {
			id: 'cf-bank',
			patch: { officeOnly: false }
		});
		await d.engine.sync();
		expect(await d.db.customFieldValue.get(`${args.id}:cf-open`)).toBeUndefined();
		expect(JSON.stringify(await d.db.history.toArray())).not.toContain('visible');
		expect((await d.db.customFieldValue.get(`${args.id}:cf-bank`))?.value).toBe(
			'ES7921000813610123456789'
		);
	});
});
