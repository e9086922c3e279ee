/**
 * `npm run backup -- FILE`: a consistent copy of the embedded database (DATABASE_URL, default
 * data/enlace.db) in FILE, taken while the server runs. The copy carries a new identity, so once
 * restored, devices that synced past it start over instead of diverging. Restoring: stop the
 * server, replace the database file with the copy (and delete its -wal and -shm files), start.
 *
 * `npm run backup -- --new-identity`: give the configured database a new identity, with the server
 * stopped, after restoring it by other means (a disk snapshot, a sqld backup, an older file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../sync-server/src/config';
import { backupDatabase } from '../sync-server/src/db/backup';
import { openDb } from '../sync-server/src/db/client';
import { renewIdentity } from '../sync-server/src/db/identity';

const config = loadConfig();
const arg = process.argv[2];

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

if (!arg) fail('Uso: npm run backup -- FICHERO   |   npm run backup -- --new-identity');

const local = config.databaseUrl.startsWith('file:') ? config.databaseUrl.slice(5) : undefined;
if (local !== undefined && !fs.existsSync(local)) fail(`No existe la base de datos ${local}`);

if (arg === '--new-identity') {
	const id = await renewIdentity(config.databaseUrl, config.databaseAuthToken);
	console.log(`Nueva identidad de la base de datos: ${id}`);
} else {
	if (local === undefined)
		fail(
			'DATABASE_URL apunta a un sqld: haga la copia con las herramientas de sqld (README, «Backups») y, tras restaurarla, ejecute npm run backup -- --new-identity'
		);
	const db = openDb(config.databaseUrl);
	try {
		// npm runs scripts from the repository root; FILE is relative to where the command was typed.
		const target = path.resolve(process.env.INIT_CWD ?? process.cwd(), arg);
		const { file, id } = await backupDatabase(db, target);
		console.log(`Copia hecha en ${file} (identidad ${id})`);
	} catch (e) {
		fail(e instanceof Error ? e.message : String(e));
	} finally {
		db.close();
	}
}
