// Restoring a backup must not leave devices silently diverged: a device that synced past the
// backup resets and ends with exactly the server's rows. The app's SyncEngine (over
// fake-indexeddb) against the real sync-server on one database file, stopped and restarted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENTITY_NAMES, SCOPES_BY_ROLE } from '@enlace/shared';
import { EnlaceDb } from '../../app/src/lib/db/db';
import { SyncEngine, type DeviceUser } from '../../app/src/lib/sync/engine';
import { httpTransport } from '../../app/src/lib/sync/http-transport';
import { backupDatabase } from '../../sync-server/src/db/backup';
import { openDb } from '../../sync-server/src/db/client';
import { renewIdentity, serverIdentity } from '../../sync-server/src/db/identity';
import { currentSeq } from '../../sync-server/src/sync/store';
import {
	api,
	customerArgs,
	pull,
	pushOne,
	startTestServer,
	type TestServer
} from '../support/server';
import { deviceFetch, deviceTokens } from '../support/device-fetch';
import { startSqld } from '../support/sqld';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-restore-'));
const dbFile = path.join(dir, 'enlace.db');
const servers: TestServer[] = [];
const dbs: EnlaceDb[] = [];

const start = async () => {
	const s = await startTestServer({ env: { DATABASE_URL: `file:${dbFile}` } });
	servers.push(s);
	return s;
};

async function who(server: TestServer, device: string, token: string): Promise<DeviceUser> {
	deviceTokens.set(device, token);
	const me = await api(server.url, token).get('/api/me');
	expect(me.status).toBe(200);
	return { userId: me.body.user.id, userName: me.body.user.name, role: me.body.user.role };
}

/** A sync engine for `name` over `db` (kept across server restarts) talking to `server`. */
const engine = (server: TestServer, name: string, db: EnlaceDb, user: DeviceUser) =>
	new SyncEngine(db, httpTransport(`${server.url}/~${name}`), `client-${name}`, () => user);

async function openDevice(name: string): Promise<EnlaceDb> {
	const db = new EnlaceDb(`enlace-${name}`, { indexedDB: new IDBFactory(), IDBKeyRange });
	await db.open();
	dbs.push(db);
	return db;
}

/** Every row the device holds, entity by entity, sorted by id. */
async function deviceRows(db: EnlaceDb) {
	const out: Record<string, unknown[]> = {};
	for (const e of ENTITY_NAMES) {
		const rows = (await db.table(e).toArray()) as { id: string }[];
		if (rows.length) out[e] = rows.sort((a, b) => a.id.localeCompare(b.id));
	}
	return out;
}

/** Every live row the server would send to `role`, in the same shape. */
async function serverRows(server: TestServer, role: DeviceUser['role']) {
	const scopes = SCOPES_BY_ROLE[role];
	const r = await server.db.client.execute({
		sql: `SELECT entity, data FROM records WHERE deleted = 0 AND scope IN (${scopes.map(() => '?').join(', ')})`,
		args: [...scopes]
	});
	const out: Record<string, { id: string }[]> = {};
	for (const row of r.rows) (out[String(row.entity)] ??= []).push(JSON.parse(String(row.data)));
	for (const rows of Object.values(out)) rows.sort((a, b) => a.id.localeCompare(b.id));
	return out;
}

beforeAll(() => {
	vi.stubGlobal('fetch', deviceFetch);
});

afterAll(async () => {
	vi.unstubAllGlobals();
	for (const db of dbs) db.close();
	for (const s of servers) await s.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database', () => {
	it('syncs every commit to disk on every connection (synchronous = FULL)', async () => {
		const server = await startTestServer();
		servers.push(server);
		const sync = async () =>
			Number((await server.db.client.execute('PRAGMA synchronous')).rows[0].synchronous);
		expect(await sync()).toBe(2);
		// An open transaction holds one connection; the next statement runs on another.
		const tx = await server.db.client.transaction('read');
		try {
			expect(await sync()).toBe(2);
		} finally {
			tx.close();
		}
	});

	it('a backup taken during writes is consistent and has its own identity', async () => {
		const server = await startTestServer();
		servers.push(server);
		let writing = true;
		const writer = (async () => {
			let n = 0;
			let after = 3;
			while (writing || after-- > 0) {
				const r = await pushOne(server.url, server.adminToken, 'customer.create', customerArgs());
				expect(r.status).toBe(200);
				n++;
			}
			return n;
		})();
		await new Promise((resolve) => setTimeout(resolve, 200));
		const copy = path.join(dir, 'durante.db');
		const { id } = await backupDatabase(server.db, copy);
		writing = false;
		expect(await writer).toBeGreaterThan(0);
		await expect(backupDatabase(server.db, copy)).rejects.toThrow(/ya existe/);

		const restored = openDb(`file:${copy}`);
		try {
			const one = async (sql: string) => (await restored.client.execute(sql)).rows[0];
			expect((await one('PRAGMA integrity_check')).integrity_check).toBe('ok');
			// One snapshot: the seq counter and the rows agree.
			const counter = Number((await one("SELECT value FROM counters WHERE name = 'seq'")).value);
			expect(Number((await one('SELECT max(seq) AS m FROM records')).m)).toBe(counter);
			expect(counter).toBeGreaterThan(0);
			expect(counter).toBeLessThan(await currentSeq(server.db.client));
			expect(await serverIdentity(restored)).toBe(id);
			expect(id).not.toBe(await serverIdentity(server.db));
		} finally {
			restored.close();
		}
	});
});

describe('a new identity', () => {
	it('on a sqld database restored by other means, answers pulls with another serverId', async () => {
		const sqld = await startSqld();
		try {
			const first = await startTestServer({ databaseUrl: sqld.url });
			const before = await pull(first.url, first.adminToken);
			await first.close();
			const id = await renewIdentity(sqld.url);
			const second = await startTestServer({ databaseUrl: sqld.url });
			try {
				const after = await pull(second.url, second.adminToken, before.seq);
				expect(after.serverId).toBe(id);
				expect(after.serverId).not.toBe(before.serverId);
			} finally {
				await second.close();
			}
		} finally {
			await sqld.close();
		}
	});
});

describe('restoring a backup', () => {
	it('a device that synced past the backup resets and ends with exactly the server rows', async () => {
		let server = await start();
		const created = await api(server.url, server.adminToken).post('/api/users', {
			email: 'bea@enlace.test',
			name: 'Bea',
			role: 'office',
			password: 'bea-password-0001'
		});
		expect(created.status).toBe(201);
		const ana = await who(server, 'a', server.adminToken);
		const bea = await who(server, 'b', await server.login('bea@enlace.test', 'bea-password-0001'));
		const aDb = await openDevice('a');
		const bDb = await openDevice('b');

		let a = engine(server, 'a', aDb, ana);
		await a.mutate('customer.create', customerArgs({ name: 'Antes de la copia' }));
		await a.sync();

		const backup = path.join(dir, 'copia.db');
		await backupDatabase(server.db, backup);

		// Acknowledged after the backup: lost by the restore, and A's cursor is now past it.
		const lost = customerArgs({ name: 'Después de la copia' });
		await a.mutate('customer.create', lost);
		await a.sync();
		expect(await aDb.table('customer').get(lost.id)).toBeDefined();
		const aCursor = (await aDb.getMeta<number>('seq'))!;

		await server.close();
		for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
		fs.copyFileSync(backup, dbFile);
		server = await start();

		// Another device writes on the restored database until its seq passes A's cursor again.
		const b = engine(server, 'b', bDb, bea);
		while ((await currentSeq(server.db.client)) <= aCursor + 2) {
			await b.mutate('customer.create', customerArgs({ name: 'Tras restaurar' }));
			await b.sync();
		}

		a = engine(server, 'a', aDb, ana);
		await a.sync();
		expect(await aDb.table('customer').get(lost.id)).toBeUndefined();
		expect(await deviceRows(aDb)).toEqual(await serverRows(server, 'admin'));
		expect(await deviceRows(bDb)).toEqual(await serverRows(server, 'office'));
	});
});
