// Forward-only migrations (docs/architecture.md › Migrations): applied at start, each in one
// transaction with its record; the server refuses to start on a history it does not know. Run on
// the embedded file database and on sqld.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	migrate,
	openDb,
	readMigrations,
	splitSql,
	type Db,
	type Migration
} from '../../sync-server/src/db/client';
import { REWRITE_PAGE, rowMigration } from '../../sync-server/src/db/row-migrations';
import { currentSeq, recordStatements } from '../../sync-server/src/sync/store';
import { startTestServer } from '../support/server';
import { startSqld } from '../support/sqld';

type Database = { url: string; close(): Promise<void> };
type MakeDatabase = () => Promise<Database>;

const REAL = readMigrations();
/** The version after the last real one (numbers may have gaps: helpers reserve theirs). */
const NEXT = Math.max(...REAL.map((m) => m.version)) + 1;

async function history(db: Db) {
	const r = await db.client.execute(
		'SELECT version, name, applied_at FROM schema_migrations ORDER BY version'
	);
	return r.rows.map((row) => ({
		version: Number(row.version),
		name: String(row.name),
		appliedAt: String(row.applied_at)
	}));
}

async function tables(db: Db): Promise<string[]> {
	const r = await db.client.execute(
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'libsql_%' ORDER BY name"
	);
	return r.rows.map((row) => String(row.name));
}

/** The server must not start on `url`; one that does anyway is closed before the test fails. */
async function expectRefusal(url: string, message: RegExp): Promise<void> {
	const outcome = await startTestServer({ databaseUrl: url }).then(
		(server) => server,
		(e: unknown) => (e instanceof Error ? e : new Error(String(e)))
	);
	if (!(outcome instanceof Error)) {
		await outcome.close();
		throw new Error(`the server started on ${url}, whose migration history it does not know`);
	}
	expect(outcome.message).toMatch(message);
}

type Row = Record<string, unknown>;
type Stored = { data: Row; seq: number; deleted: number; updatedAt: string; updatedBy: unknown };

/** Every setting row as stored, by id. */
async function storedSettings(db: Db): Promise<Map<string, Stored>> {
	const r = await db.client.execute(
		"SELECT id, data, seq, deleted, updated_at, updated_by FROM records WHERE entity = 'setting'"
	);
	return new Map(
		r.rows.map((row) => [
			String(row.id),
			{
				data: JSON.parse(String(row.data)) as Row,
				seq: Number(row.seq),
				deleted: Number(row.deleted),
				updatedAt: String(row.updated_at),
				updatedBy: row.updated_by
			}
		])
	);
}

const extra = (version: number, name: string, statements: string[]): Migration => ({
	version,
	name,
	statements
});

function migrationSuite(name: string, makeDatabase: MakeDatabase) {
	describe(name, () => {
		const cleanups: (() => Promise<void> | void)[] = [];
		afterEach(async () => {
			for (const fn of cleanups.splice(0).reverse()) await fn();
		});
		async function database(): Promise<Database> {
			const d = await makeDatabase();
			cleanups.push(() => d.close());
			return d;
		}
		function open(url: string): Db {
			const db = openDb(url);
			cleanups.push(() => db.close());
			return db;
		}

		it('applies every migration on a fresh database, records each, and applies none twice', async () => {
			const { url } = await database();
			const server = await startTestServer({ databaseUrl: url });
			cleanups.push(() => server.close());
			const recorded = await history(server.db);
			expect(recorded.map(({ version, name }) => ({ version, name }))).toEqual(
				REAL.map(({ version, name }) => ({ version, name }))
			);
			for (const r of recorded) expect(Date.parse(r.appliedAt)).not.toBeNaN();
			expect(await tables(server.db)).toEqual(
				expect.arrayContaining(['counters', 'meta', 'records', 'mutations', 'users', 'sessions'])
			);
			await server.close();

			// A second start on the same database: nothing new, nothing re-applied.
			const again = await startTestServer({ databaseUrl: url });
			cleanups.push(() => again.close());
			expect(await history(again.db)).toEqual(recorded);
			expect(await migrate(again.db)).toEqual([]);
			expect(await history(again.db)).toEqual(recorded);
		});

		it('refuses to start on a database with an unknown migration', async () => {
			const { url } = await database();
			const first = await startTestServer({ databaseUrl: url });
			const before = await history(first.db);
			await first.db.client.execute({
				sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
				args: [NEXT, '9999_from_a_newer_server', new Date().toISOString()]
			});
			await first.close();

			await expectRefusal(url, /9999_from_a_newer_server.*Refusing to start/);
			const db = open(url);
			expect((await history(db)).slice(0, -1)).toEqual(before);
		});

		it('refuses a renamed or reordered history', async () => {
			const { url } = await database();
			const db = open(url);
			const a = extra(NEXT, '0900_add_a', ['CREATE TABLE a_table (id TEXT)']);
			const b = extra(NEXT + 1, '0901_add_b', ['CREATE TABLE b_table (id TEXT)']);
			expect(await migrate(db, [...REAL, a, b])).toEqual([
				...REAL.map((m) => m.name),
				'0900_add_a',
				'0901_add_b'
			]);
			const recorded = await history(db);

			// b before a: the same files in another order.
			const swapped = [...REAL, { ...b, version: a.version }, { ...a, version: b.version }];
			await expect(migrate(db, swapped)).rejects.toThrow(/found 0900_add_a at position/);
			// A code base that lacks one the database has.
			await expect(migrate(db, [...REAL, b])).rejects.toThrow(/Refusing to start/);
			await expect(migrate(db, REAL)).rejects.toThrow(/expected nothing/);
			// A renamed first migration.
			const renamed = [{ ...REAL[0], name: `${REAL[0].name}_v2` }, ...REAL.slice(1), a, b];
			await expect(migrate(db, renamed)).rejects.toThrow(/Refusing to start/);
			// And the real server refuses this database too (it does not know 0900/0901).
			await expectRefusal(url, /found 0900_add_a at position \d+, expected nothing/);
			expect(await history(db)).toEqual(recorded);
		});

		it('extends a known history with new migrations, recorded in order', async () => {
			const { url } = await database();
			const db = open(url);
			expect(await migrate(db)).toEqual(REAL.map((m) => m.name));
			const next = extra(NEXT, '0900_settings_index', [
				'CREATE TABLE extra_things (id TEXT PRIMARY KEY, note TEXT)',
				"INSERT INTO extra_things (id, note) VALUES ('x', 'a;b')"
			]);
			expect(await migrate(db, [...REAL, next])).toEqual(['0900_settings_index']);
			expect((await history(db)).map((h) => h.name)).toEqual([
				...REAL.map((m) => m.name),
				'0900_settings_index'
			]);
			const row = await db.client.execute('SELECT note FROM extra_things');
			expect(row.rows[0].note).toBe('a;b');
			expect(await migrate(db, [...REAL, next])).toEqual([]);
		});

		it('applies a failing migration not at all: no table, no record', async () => {
			const { url } = await database();
			const db = open(url);
			await migrate(db);
			const before = await tables(db);
			const broken = extra(NEXT, '0900_broken', [
				'CREATE TABLE half_done (id TEXT)',
				'INSERT INTO no_such_table (id) VALUES (1)'
			]);
			await expect(migrate(db, [...REAL, broken])).rejects.toThrow(/no_such_table/);
			expect(await tables(db)).toEqual(before);
			expect((await history(db)).map((h) => h.name)).toEqual(REAL.map((m) => m.name));
			// Fixed, it goes in.
			const fixed = extra(NEXT, '0900_broken', ['CREATE TABLE half_done (id TEXT)']);
			expect(await migrate(db, [...REAL, fixed])).toEqual(['0900_broken']);
			expect(await tables(db)).toContain('half_done');
		});

		it('rewrites the JSON of stored rows in pages, each changed row with a new seq', async () => {
			const { url } = await database();
			const db = open(url);
			await migrate(db);
			// More rows than a page, so the rewrite has to go round more than once.
			const count = REWRITE_PAGE * 2 + 3;
			const rows = Array.from({ length: count }, (_, i) => ({
				id: `t-${String(i).padStart(5, '0')}`,
				list: 'sector' as const,
				// Every third already in the new shape: left alone.
				name: i % 3 === 0 ? `SECTOR ${i}` : `sector ${i}`,
				order: i,
				active: true
			}));
			const writes = rows.map((row) => ({ entity: 'setting' as const, id: row.id, row }));
			writes.push({ entity: 'setting', id: 't-gone', row: null as never });
			await db.client.batch(recordStatements(writes, 'u-1', '2026-01-01T00:00:00.000Z'), 'write');
			const before = await storedSettings(db);
			const seqBefore = await currentSeq(db.client);

			const upper = rowMigration(900, {
				name: 'sector_names_upper',
				rows: {
					setting: (r) => (r.list === 'sector' ? { ...r, name: String(r.name).toUpperCase() } : r)
				}
			});
			expect(await migrate(db, [...REAL, upper])).toEqual(['0900_sector_names_upper']);

			const after = await storedSettings(db);
			const changed = rows.filter((_, i) => i % 3 !== 0).map((r) => r.id);
			expect(await currentSeq(db.client)).toBe(seqBefore + changed.length);
			const newSeqs: number[] = [];
			for (const [id, was] of before) {
				const now = after.get(id)!;
				expect(now.updatedAt).toBe(was.updatedAt);
				expect(now.updatedBy).toBe(was.updatedBy);
				if (changed.includes(id)) {
					expect(now.data.name).toBe(String(was.data.name).toUpperCase());
					expect(now.seq).toBeGreaterThan(seqBefore);
					newSeqs.push(now.seq);
				} else {
					// Unchanged rows (already upper case, other lists, the deleted one) keep their place.
					expect(now).toEqual(was);
				}
			}
			expect(newSeqs.sort((a, b) => a - b)).toEqual(changed.map((_, i) => seqBefore + i + 1));
			// Applied once: a second start rewrites nothing and bumps nothing.
			expect(await migrate(db, [...REAL, upper])).toEqual([]);
			expect(await currentSeq(db.client)).toBe(seqBefore + changed.length);
		});

		it('applies a row rewrite that breaks a row not at all, and names the row', async () => {
			const { url } = await database();
			const db = open(url);
			await migrate(db);
			const row = { id: 't-1', list: 'sector', name: 'Pesca', order: 1, active: true };
			await db.client.batch(
				recordStatements([{ entity: 'setting', id: row.id, row }], null, new Date().toISOString()),
				'write'
			);
			const before = await storedSettings(db);
			const seqBefore = await currentSeq(db.client);
			const broken = rowMigration(900, {
				name: 'negative_order',
				rows: { setting: (r) => ({ ...r, order: -1 }) }
			});
			await expect(migrate(db, [...REAL, broken])).rejects.toThrow(
				/0900_negative_order: setting \S+ does not fit its schema/
			);
			expect(await storedSettings(db)).toEqual(before);
			expect(await currentSeq(db.client)).toBe(seqBefore);
			expect((await history(db)).map((h) => h.name)).toEqual(REAL.map((m) => m.name));

			const moving = rowMigration(900, {
				name: 'move_contact',
				rows: { contactPerson: (r) => ({ ...r, customerId: 'someone-else' }) }
			});
			const contact = { id: 'cp-1', customerId: 'c-1', name: 'Luis' };
			await db.client.batch(
				recordStatements([{ entity: 'contactPerson', id: contact.id, row: contact }], null, 'x'),
				'write'
			);
			await expect(migrate(db, [...REAL, moving])).rejects.toThrow(
				/contactPerson cp-1 would move to another customer/
			);
		});
	});
}

migrationSuite('migrations on the embedded file database', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-migrate-'));
	return {
		url: `file:${path.join(dir, 'enlace.db')}`,
		close: async () => fs.rmSync(dir, { recursive: true, force: true })
	};
});

migrationSuite('migrations on sqld', () => startSqld());

describe('migration files', () => {
	it('are numbered, unique and in order', () => {
		expect(REAL.length).toBeGreaterThan(0);
		REAL.forEach((m, i) => {
			expect(m.name).toMatch(/^\d{4}_[a-z0-9_]+$/);
			expect(m.version).toBe(Number(m.name.slice(0, 4)));
			if (i > 0) expect(m.version).toBeGreaterThan(REAL[i - 1].version);
			// SQL, or a row-shape change with at least one entity to rewrite.
			expect(m.statements.length + Object.keys(m.rows?.rows ?? {}).length).toBeGreaterThan(0);
		});
	});

	it('refuse two migrations with one number', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-migrations-'));
		try {
			fs.writeFileSync(path.join(dir, '0001_init.sql'), 'CREATE TABLE t (x TEXT);');
			fs.writeFileSync(path.join(dir, '0002_more.sql'), 'CREATE TABLE u (x TEXT);');
			const change = { name: 'same_number', rows: { setting: (r: Row) => r } };
			expect(() => readMigrations(dir, [rowMigration(2, change)])).toThrow(
				/Two migrations numbered 2: 0002_more and 0002_same_number/
			);
			expect(readMigrations(dir, [rowMigration(3, change)]).map((m) => m.name)).toEqual([
				'0001_init',
				'0002_more',
				'0003_same_number'
			]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		expect(REAL[0].name).toBe('0001_init');
	});

	it('split into statements, comments dropped', () => {
		expect(
			splitSql(
				"-- a comment; with a semicolon\nCREATE TABLE t (x TEXT);\nINSERT INTO t VALUES ('a;b');\n"
			)
		).toEqual(['CREATE TABLE t (x TEXT)', "INSERT INTO t VALUES ('a;b')"]);
	});
});
