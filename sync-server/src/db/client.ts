import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client, type InStatement } from '@libsql/client';
import type { RowShapeChange } from '@enlace/shared';
import { applyRowMigration, ROW_MIGRATIONS } from './row-migrations';

export type Db = {
	client: Client;
	remote: boolean;
	/**
	 * Run `fn` as the only writer of this process. libSQL answers SQLITE_BUSY to a second writer
	 * while another write is open, and its busy timeout blocks the event loop, so writes queue here.
	 */
	exclusive<T>(fn: () => Promise<T>): Promise<T>;
	close(): void;
};

export function openDb(url: string, authToken?: string): Db {
	const local = url.startsWith('file:');
	if (local) {
		const file = url.slice('file:'.length);
		if (file && file !== ':memory:')
			fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
	}
	const client = createClient({ url, authToken });
	let tail: Promise<unknown> = Promise.resolve();
	return {
		client,
		remote: !local,
		exclusive<T>(fn: () => Promise<T>) {
			const run = tail.then(fn, fn);
			// Keep the chain alive whatever this writer's outcome; the caller still sees its error.
			tail = run.catch(() => undefined);
			return run;
		},
		close: () => client.close()
	};
}

/**
 * WAL for the embedded file, and every commit synced to disk before the push is answered
 * (`synchronous = FULL`: with NORMAL a power cut may lose the last acknowledged mutations; the cost
 * is in `npm run bench -- durability`). journal_mode is stored in the file; synchronous is per
 * connection, and the client opens more connections later with SQLite's default, which is FULL in
 * libSQL too (a test checks every connection). sqld rejects these PRAGMAs, so only for file:.
 */
export async function tuneLocal(db: Db): Promise<void> {
	if (db.remote) return;
	await db.client.execute('PRAGMA journal_mode = WAL');
	await db.client.execute('PRAGMA synchronous = FULL');
	// 64 MB of page cache (SQLite's default is 8 MB): a large change log's indexes are read at
	// random (ids are UUIDs), and a billing run's batches look up thousands of rows each.
	await db.client.execute('PRAGMA cache_size = -65536');
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * One step of the schema's history: SQL statements, and for a row-shape change the function that
 * rewrites the JSON of stored rows (see row-migrations.ts and docs/row-shapes.md).
 */
export type Migration = {
	version: number;
	name: string;
	statements: string[];
	rows?: RowShapeChange;
};

/** The SQL files of `dir` and the row-shape changes, in version order; a version used twice throws. */
export function readMigrations(dir = MIGRATIONS_DIR, rowMigrations = ROW_MIGRATIONS): Migration[] {
	const files: Migration[] = fs
		.readdirSync(dir)
		.filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
		.map((f) => ({
			version: Number(f.slice(0, 4)),
			name: f.replace(/\.sql$/, ''),
			statements: splitSql(fs.readFileSync(path.join(dir, f), 'utf8'))
		}));
	const all = [...files, ...rowMigrations].sort((a, b) => a.version - b.version);
	all.forEach((m, i) => {
		if (i > 0 && all[i - 1].version === m.version)
			throw new Error(`Two migrations numbered ${m.version}: ${all[i - 1].name} and ${m.name}`);
	});
	return all;
}
/** Split a migration into statements (no triggers in our migrations, so `;` at line end is enough). */
export function splitSql(sql: string): string[] {
	return sql
		.split('\n')
		.filter((l) => !l.trim().startsWith('--'))
		.join('\n')
		.split(/;\s*(?:\n|$)/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/**
 * Forward-only migrations, each applied in one transaction with its record (a row-shape change
 * rewrites its rows inside that transaction too). The server refuses to start
 * when the database's history is not a prefix of ours (unknown, renamed or reordered migrations):
 * running code against a schema it does not know is how data gets corrupted.
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
	await db.client.execute(
		'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'
	);
	const applied = (
		await db.client.execute('SELECT version, name FROM schema_migrations ORDER BY version')
	).rows.map((r) => ({ version: Number(r.version), name: String(r.name) }));
	applied.forEach((a, i) => {
		const ours = migrations[i];
		if (!ours || ours.version !== a.version || ours.name !== a.name) {
			throw new Error(
				`Database migration history does not match this server: found ${a.name} at position ${i + 1}, expected ${ours?.name ?? 'nothing'}. Refusing to start.`
			);
		}
	});
	const done: string[] = [];
	for (const m of migrations.slice(applied.length)) {
		const record: InStatement = {
			sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
			args: [m.version, m.name, new Date().toISOString()]
		};
		if (m.rows) await db.exclusive(() => applyRowMigration(db.client, m, record));
		else await db.exclusive(() => db.client.batch([...m.statements, record], 'write'));
		done.push(m.name);
	}
	return done;
}
