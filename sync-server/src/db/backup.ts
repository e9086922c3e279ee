import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './client';
import { renewIdentity } from './identity';

/**
 * A consistent copy of the embedded database in `file`, taken while the server runs: `VACUUM INTO`
 * reads one snapshot (WAL lets writers go on meanwhile) and writes a compact, self-contained file.
 * The copy gets its own identity, so once restored it is a different database to every device:
 * those that synced past it reset instead of missing the seqs it hands out again.
 */
export async function backupDatabase(db: Db, file: string): Promise<{ file: string; id: string }> {
	if (db.remote)
		throw new Error(
			'La copia con VACUUM INTO es para la base de datos embebida (file:); con sqld, use las copias de sqld (README, «Backups»)'
		);
	const target = path.resolve(file);
	if (fs.existsSync(target)) throw new Error(`${target} ya existe: elija otro nombre`);
	fs.mkdirSync(path.dirname(target), { recursive: true });
	await db.client.execute({ sql: 'VACUUM INTO ?', args: [target] });
	const id = await renewIdentity(`file:${target}`);
	return { file: target, id };
}
