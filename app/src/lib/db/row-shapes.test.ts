import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { RowShapeChange } from '@enlace/shared';
import { compactVersions, DB_VERSIONS, declareVersions, EnlaceDb } from './db';
import { applyRowShapeChange } from './row-shapes';

type Row = Record<string, unknown>;

/** A database as an older app left it: the versions up to `upTo`, with `fill` written into it. */
async function deviceAt(
	upTo: number,
	fill: (db: Dexie) => Promise<void>,
	idb = new IDBFactory()
): Promise<IDBFactory> {
	const old = new Dexie('enlace', { indexedDB: idb, IDBKeyRange });
	declareVersions(old, upTo);
	await old.open();
	await fill(old);
	old.close();
	return idb;
}

const customer = (extra: Row = {}) => ({
	id: 'c1',
	code: 'C00001',
	name: 'Bar Manolo',
	isCompany: false,
	taxIdType: 'nif',
	taxId: '12345678Z',
	...extra
});

/** The newest version the app declares; a test's own change goes after it. */
const LATEST = DB_VERSIONS[DB_VERSIONS.length - 1].version;

describe('device database versions', () => {
	// Numbers may skip (parallel work reserves its own), never repeat or go back.
	it('are numbered in order, each once', () => {
		expect(DB_VERSIONS[0].version).toBe(1);
		DB_VERSIONS.slice(1).forEach((v, i) => {
			expect(v.version).toBeGreaterThan(DB_VERSIONS[i].version);
		});
	});

	it('are declared to Dexie compacted: only those with an upgrade, and the last, each whole', () => {
		const compact = compactVersions(DB_VERSIONS);
		expect(compact.map((v) => v.version)).toEqual([
			...DB_VERSIONS.filter((v) => v.upgrade).map((v) => v.version),
			LATEST
		]);
		const every = Object.assign({}, ...DB_VERSIONS.map((v) => v.stores));
		expect(compact.at(-1)?.stores).toEqual(every);
		expect(compactVersions(DB_VERSIONS, 2).map((v) => v.version)).toEqual([2]);
		expect(Object.keys(compactVersions(DB_VERSIONS, 2)[0].stores)).toContain('paymentMethod');
	});

	/** The object stores and indexes IndexedDB holds, as `store: keyPath | index keyPaths`. */
	async function installedSchema(db: Dexie): Promise<string[]> {
		const idb = db.backendDB();
		const names = [...idb.objectStoreNames].sort();
		const tx = idb.transaction(names, 'readonly');
		return names.map((n) => {
			const store = tx.objectStore(n);
			const indexes = [...store.indexNames]
				.map((i) => {
					const x = store.index(i);
					return `${String(x.keyPath)}${x.unique ? '!' : ''}${x.multiEntry ? '*' : ''}`;
				})
				.sort();
			return `${n}: ${String(store.keyPath)}${store.autoIncrement ? '++' : ''} | ${indexes.join(' ')}`;
		});
	}

	// A device left by any app that shipped — those declared every version, one by one — opens
	// with the newest app's schema and keeps its rows, the compacted declarations notwithstanding.
	it('a device at any earlier version reaches the schema of a new one, rows kept', async () => {
		const fresh = new EnlaceDb('enlace', { indexedDB: new IDBFactory(), IDBKeyRange });
		await fresh.open();
		const want = await installedSchema(fresh);
		fresh.close();
		expect(want.find((s) => s.startsWith('customer:'))).toMatch(/^customer: id \| code /);
		for (const shipped of DB_VERSIONS.slice(0, -1)) {
			const idb = new IDBFactory();
			const old = new Dexie('enlace', { indexedDB: idb, IDBKeyRange });
			for (const v of DB_VERSIONS.filter((x) => x.version <= shipped.version)) {
				const declared = old.version(v.version).stores(v.stores);
				if (v.upgrade) declared.upgrade(v.upgrade);
			}
			await old.open();
			await old.table('customer').put(customer());
			old.close();
			const db = new EnlaceDb('enlace', { indexedDB: idb, IDBKeyRange });
			await db.open();
			expect(db.verno, `from version ${shipped.version}`).toBe(LATEST);
			expect(await installedSchema(db), `from version ${shipped.version}`).toEqual(want);
			expect(await db.customer.get('c1')).toEqual(customer());
			db.close();
		}
	});

	it('version 3 normalises the phones a version-2 device holds, shadows included', async () => {
		const idb = await deviceAt(2, async (db) => {
			await db
				.table('customer')
				.put(
					customer({ phone: '0034 690 12 34 56', mobile: ' 611  22 33 44 ', fax: '91 000 00 00' })
				);
			await db.table('contactPerson').put({
				id: 'p1',
				customerId: 'c1',
				name: 'Luis',
				phone: '00 33 6 12 34 56 78'
			});
			await db.table('address').put({ id: 'a1', customerId: 'c1', label: 'fiscal', street: ' x ' });
			await db.table('shadow').bulkPut([
				{ key: 'customer:c1', entity: 'customer', id: 'c1', row: customer({ phone: '0034 1' }) },
				{ key: 'customer:c2', entity: 'customer', id: 'c2', row: null }
			]);
			await db.table('outbox').add({
				id: 'm1',
				name: 'customer.update',
				args: { id: 'c1', patch: { phone: '0034 699 99 99 99' } },
				createdAt: '2026-01-01T00:00:00.000Z',
				ctx: { userId: 'u1', userName: 'Ana', role: 'admin' }
			});
		});

		const db = new EnlaceDb('enlace', { indexedDB: idb, IDBKeyRange });
		await db.open();
		expect(db.verno).toBe(LATEST);
		expect(await db.customer.get('c1')).toEqual(
			customer({ phone: '+34 690 12 34 56', mobile: '611 22 33 44', fax: '91 000 00 00' })
		);
		expect((await db.contactPerson.get('p1'))?.phone).toBe('+33 6 12 34 56 78');
		// Not a phone: left as it was.
		expect((await db.address.get('a1'))?.street).toBe(' x ');
		expect((await db.shadow.get('customer:c1'))?.row).toEqual(customer({ phone: '+34 1' }));
		expect((await db.shadow.get('customer:c2'))?.row).toBeNull();
		// The schemas normalise phones on parse, so the pending mutation is left for its replay.
		expect((await db.outbox.toArray()).map((m) => m.args)).toEqual([
			{ id: 'c1', patch: { phone: '0034 699 99 99 99' } }
		]);
		db.close();
	});

	/** A test-only rename (setting.name → title), to exercise what phones do not need: arguments. */
	const RENAME: RowShapeChange = {
		name: 'setting_title',
		rows: {
			setting: ({ name, ...rest }) => (name === undefined ? rest : { ...rest, title: name })
		},
		args: {
			'setting.update': (a) => {
				const { patch, ...rest } = a as { patch: Row };
				const { name, ...p } = patch;
				return { ...rest, patch: name === undefined ? p : { ...p, title: name } };
			}
		}
	};
	const withRename = [
		...DB_VERSIONS,
		{ version: LATEST + 1, stores: {}, upgrade: (tx) => applyRowShapeChange(tx, RENAME) }
	] satisfies typeof DB_VERSIONS;

	it('a renamed field reaches rows, shadows, pending and rejected mutations', async () => {
		const ctx = { userId: 'u1', userName: 'Ana', role: 'admin' };
		const idb = await deviceAt(LATEST, async (db) => {
			await db.table('setting').bulkPut([
				{ id: 's1', list: 'sector', name: 'Pesca', order: 1, active: true },
				{ id: 's2', list: 'sector', title: 'Minería', order: 2, active: true }
			]);
			await db.table('shadow').put({
				key: 'setting:s1',
				entity: 'setting',
				id: 's1',
				row: { id: 's1', name: 'Pesca antigua' }
			});
			await db.table('outbox').bulkAdd([
				{ id: 'm1', name: 'setting.update', args: { id: 's1', patch: { name: 'Pesca' } }, ctx },
				{ id: 'm2', name: 'customer.update', args: { id: 'c1', patch: { name: 'x' } }, ctx }
			]);
			await db.table('rejected').put({
				id: 'm0',
				name: 'setting.update',
				args: { id: 's2', patch: { name: 'Minas', order: 3 } },
				ctx,
				error: { code: 'conflict', message: 'x' }
			});
		});
		const db = new Dexie('enlace', { indexedDB: idb, IDBKeyRange });
		declareVersions(db, Infinity, withRename);
		await db.open();
		expect(await db.table('setting').toArray()).toEqual([
			{ id: 's1', list: 'sector', title: 'Pesca', order: 1, active: true },
			{ id: 's2', list: 'sector', title: 'Minería', order: 2, active: true }
		]);
		expect((await db.table('shadow').get('setting:s1')).row).toEqual({
			id: 's1',
			title: 'Pesca antigua'
		});
		expect((await db.table('outbox').toArray()).map((m) => m.args)).toEqual([
			{ id: 's1', patch: { title: 'Pesca' } },
			{ id: 'c1', patch: { name: 'x' } }
		]);
		expect((await db.table('rejected').get('m0')).args).toEqual({
			id: 's2',
			patch: { order: 3, title: 'Minas' }
		});
		db.close();
	});

	it('a failing upgrade leaves the device as it was, to try again with the next app', async () => {
		const idb = await deviceAt(LATEST, async (db) => {
			await db
				.table('setting')
				.put({ id: 's1', list: 'sector', name: 'Pesca', order: 1, active: true });
		});
		const broken: RowShapeChange = {
			name: 'broken',
			rows: {
				setting: () => {
					throw new Error('no');
				}
			}
		};
		const db = new Dexie('enlace', { indexedDB: idb, IDBKeyRange });
		declareVersions(db, Infinity, [
			...DB_VERSIONS,
			{ version: LATEST + 1, stores: {}, upgrade: (tx) => applyRowShapeChange(tx, broken) }
		]);
		await expect(db.open()).rejects.toThrow();
		db.close();
		const again = new EnlaceDb('enlace', { indexedDB: idb, IDBKeyRange });
		await again.open();
		expect(again.verno).toBe(LATEST);
		expect(await again.setting.toArray()).toEqual([
			{ id: 's1', list: 'sector', name: 'Pesca', order: 1, active: true }
		]);
		again.close();
	});
});
