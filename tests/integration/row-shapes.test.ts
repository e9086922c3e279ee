// A row-shape change done once for real, on both sides (docs/row-shapes.md): phones stored as
// typed ("0034 690…", stray spaces) become normalised. A server whose database predates the
// change rewrites its rows at start (migration 0003_phones_normalised, new seqs); a device that
// holds the old rows and has mutations not yet pushed upgrades its Dexie database (version 3),
// syncs, and ends up with exactly the server's rows, all in the new shape.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalizePhone, type HistoryEntry } from '@enlace/shared';
import { declareVersions, EnlaceDb } from '../../app/src/lib/db/db';
import { SyncEngine } from '../../app/src/lib/sync/engine';
import { shadowKey } from '../../app/src/lib/sync/dexie-tx';
import { httpTransport } from '../../app/src/lib/sync/http-transport';
import { migrate, openDb, readMigrations } from '../../sync-server/src/db/client';
import { currentSeq, readRow } from '../../sync-server/src/sync/store';
import { api, customerArgs, startTestServer, type TestServer } from '../support/server';

const SERVER_ID = 'server-before-phones';
const PHONE_FIELDS = {
	customer: ['phone', 'phone2', 'fax', 'mobile'],
	contactPerson: ['phone', 'mobile']
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	vi.unstubAllGlobals();
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Rows as an app before the change stored them on both sides. */
const customer = {
	...customerArgs({ name: 'Bar Manolo' }),
	code: 'C00001',
	phone: '0034 690 12 34 56',
	mobile: ' 611  22 33 44 ',
	createdAt: '2026-01-01T00:00:00.000Z',
	updatedAt: '2026-01-01T00:00:00.000Z'
};
const luis = { id: 'cp-luis', customerId: customer.id, name: 'Luis', phone: '00 33 6 12 34 56 78' };

/** A database as the server before the change left it: migrations up to 0002, the old rows. */
async function databaseBeforeTheChange(): Promise<{ url: string; seq: number }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-row-shapes-'));
	cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
	const url = `file:${path.join(dir, 'enlace.db')}`;
	const db = openDb(url);
	await migrate(
		db,
		readMigrations().filter((m) => m.version < 3)
	);
	await db.client.batch(
		[
			{ sql: "INSERT INTO meta (key, value) VALUES ('server_id', ?)", args: [SERVER_ID] },
			// As the server of that time wrote them (later migrations add columns recordStatements fills).
			...[customer, luis].map((row, i) => ({
				sql: `INSERT INTO records (entity, id, customer_id, scope, data, deleted, seq, updated_at)
					VALUES (?, ?, ?, 'all', ?, 0, ?, '2026-01-01T00:00:00.000Z')`,
				args: [
					i ? 'contactPerson' : 'customer',
					row.id,
					i ? customer.id : null,
					JSON.stringify(row),
					i + 1
				]
			})),
			{ sql: "UPDATE counters SET value = 2 WHERE name = 'seq'", args: [] }
		],
		'write'
	);
	const seq = await currentSeq(db.client);
	db.close();
	return { url, seq };
}

/** http-transport authenticates by cookie, which Node's fetch does not keep: add the bearer. */
function authenticateFetch(token: string) {
	const realFetch = globalThis.fetch;
	vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
		const headers = new Headers(init?.headers);
		headers.set('authorization', `Bearer ${token}`);
		return realFetch(input, { ...init, headers });
	});
}

async function serverRows(server: TestServer, entity: 'customer' | 'contactPerson') {
	const r = await server.db.client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND deleted = 0 ORDER BY id',
		args: [entity]
	});
	return r.rows.map((row) => JSON.parse(String(row.data)) as Record<string, unknown>);
}

function expectNormalised(rows: Record<string, unknown>[], fields: string[]) {
	for (const row of rows)
		for (const f of fields)
			if (typeof row[f] === 'string') expect(row[f], f).toBe(normalizePhone(row[f] as string));
}

describe('a row-shape change, on the server and on a device', () => {
	it('brings old rows and unsent mutations to the new shape on both sides', async () => {
		const before = await databaseBeforeTheChange();

		// The server starts on the old database: the migration rewrites the rows, with new seqs.
		const server = await startTestServer({ databaseUrl: before.url });
		cleanups.push(() => server.close());
		const onServer = await readRow(server.db.client, 'customer', customer.id);
		expect(onServer).toEqual({ ...customer, phone: '+34 690 12 34 56', mobile: '611 22 33 44' });
		expect((await readRow(server.db.client, 'contactPerson', luis.id))?.phone).toBe(
			'+33 6 12 34 56 78'
		);
		const seqs = await server.db.client.execute({
			sql: "SELECT seq FROM records WHERE entity IN ('customer', 'contactPerson')",
			args: []
		});
		for (const r of seqs.rows) expect(Number(r.seq)).toBeGreaterThan(before.seq);

		// A device that pulled the old rows, then worked offline: it changed the customer's mobile
		// and added a contact, both typed the old way, and has not pushed yet.
		const idb = new IDBFactory();
		const old = new Dexie('enlace', { indexedDB: idb, IDBKeyRange });
		declareVersions(old, 2);
		await old.open();
		const edited = {
			...customer,
			mobile: '0034  622 33 44 55 ',
			updatedAt: '2026-02-01T00:00:00.000Z'
		};
		const marta = {
			id: 'cp-marta',
			customerId: customer.id,
			name: 'Marta',
			mobile: '0034 633 000 111'
		};
		await old.table('customer').put(edited);
		await old.table('contactPerson').bulkPut([luis, marta]);
		await old.table('shadow').bulkPut([
			{
				key: shadowKey('customer', customer.id),
				entity: 'customer',
				id: customer.id,
				row: customer
			},
			{
				key: shadowKey('contactPerson', marta.id),
				entity: 'contactPerson',
				id: marta.id,
				row: null
			}
		]);
		const me = await api(server.url, server.adminToken).get('/api/me');
		const ctx = { userId: me.body.user.id, userName: me.body.user.name, role: me.body.user.role };
		await old.table('outbox').bulkAdd([
			{
				id: randomUUID(),
				name: 'customer.update',
				args: { id: customer.id, patch: { mobile: edited.mobile } },
				createdAt: edited.updatedAt,
				ctx
			},
			{
				id: randomUUID(),
				name: 'contactPerson.create',
				args: marta,
				createdAt: edited.updatedAt,
				ctx
			}
		]);
		await old.table('meta').bulkPut([
			{ key: 'seq', value: before.seq },
			{ key: 'serverId', value: SERVER_ID }
		]);
		old.close();

		// The new app opens it: version 3 rewrites its rows and the server copies under its changes.
		const db = new EnlaceDb('enlace', { indexedDB: idb, IDBKeyRange });
		cleanups.push(() => db.close());
		await db.open();
		expect(await db.customer.get(customer.id)).toMatchObject({
			phone: '+34 690 12 34 56',
			mobile: '+34 622 33 44 55'
		});
		expect((await db.contactPerson.get(marta.id))?.mobile).toBe('+34 633 000 111');
		expect(await db.outbox.count()).toBe(2);

		authenticateFetch(server.adminToken);
		const engine = new SyncEngine(db, httpTransport(server.url), 'client-old', () => ctx);
		// A pull first (the rewritten rows land under the unsent changes), then the push.
		await engine.pull();
		expect((await db.customer.get(customer.id))?.mobile).toBe('+34 622 33 44 55');
		await engine.sync();
		expect(await db.outbox.count()).toBe(0);
		expect(await db.shadow.count()).toBe(0);
		expect(await db.rejected.count()).toBe(0);

		for (const entity of ['customer', 'contactPerson'] as const) {
			const rows = await serverRows(server, entity);
			expectNormalised(rows, PHONE_FIELDS[entity]);
			const local = await db.table(entity).orderBy('id').toArray();
			expect(local).toEqual(rows);
		}
		expect(await db.contactPerson.get(marta.id)).toMatchObject({ mobile: '+34 633 000 111' });
		expect(await db.customer.get(customer.id)).toMatchObject({
			phone: '+34 690 12 34 56',
			mobile: '+34 622 33 44 55'
		});

		// The rewrite is nobody's edit: Historial has the mobile the user changed, not the phone.
		const history = (await db.history
			.where('customerId')
			.equals(customer.id)
			.toArray()) as HistoryEntry[];
		// Values only: ids are random and may contain any digits.
		const values = JSON.stringify(history.map((h) => [h.oldValue, h.newValue]));
		expect(values).not.toContain('690');
		expect(values).toContain('622 33 44 55');
	});
});
