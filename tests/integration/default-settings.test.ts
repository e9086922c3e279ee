// Defaults of Configuración › Parámetros added by a newer version reach databases made before it
// (settings are synced rows, seeded at start-up), once, without doubling a user's own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Setting } from '@enlace/shared';
import { migrate, openDb } from '../../sync-server/src/db/client';
import { currentSeq, recordStatements } from '../../sync-server/src/sync/store';
import { startTestServer } from '../support/server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('default settings at start-up', () => {
	it('an older database gets the contact roles added since, once, and no double', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-defaults-'));
		cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
		const url = `file:${path.join(dir, 'enlace.db')}`;
		// As the previous version left it: its defaults, a role typed by hand, one default deleted.
		const older = DEFAULT_SETTINGS.filter(
			(s) => s.id !== 'contactRole-comercial' && s.id !== 'contactRole-propietario'
		);
		const mine: Setting = {
			id: 'mine',
			list: 'contactRole',
			name: 'Propietario',
			order: 30,
			active: true
		};
		const db = openDb(url);
		await migrate(db);
		await db.client.batch(
			recordStatements(
				[
					...[...older, mine].map((row) => ({ entity: 'setting' as const, id: row.id, row })),
					{ entity: 'setting', id: 'contactRole-familiar', row: null }
				],
				null,
				'2026-01-01T00:00:00.000Z'
			),
			'write'
		);
		db.close();

		const server = await startTestServer({ databaseUrl: url });
		const roles = async () => {
			const r = await server.db.client.execute(
				"SELECT id, deleted, data FROM records WHERE entity = 'setting' AND json_extract(data, '$.list') = 'contactRole' ORDER BY id"
			);
			return r.rows.map((row) => `${row.id}:${(JSON.parse(String(row.data)) as Setting).name}`);
		};
		expect(await roles()).toEqual([
			'contactRole-administracion:Administración',
			'contactRole-comercial:Comercial',
			'contactRole-gerente:Gerente',
			'contactRole-tecnico:Responsable técnico',
			'mine:Propietario'
		]);
		const seq = await currentSeq(server.db.client);
		await server.close();

		// Nothing more on the next start.
		const again = await startTestServer({ databaseUrl: url });
		cleanups.push(() => again.close());
		expect(await currentSeq(again.db.client)).toBe(seq);
	});

	it('a new database gets every default, Comercial and Propietario included', async () => {
		const server = await startTestServer();
		cleanups.push(() => server.close());
		const r = await server.db.client.execute(
			"SELECT json_extract(data, '$.name') AS name FROM records WHERE entity = 'setting' AND json_extract(data, '$.list') = 'contactRole'"
		);
		expect(r.rows.map((row) => String(row.name)).sort()).toEqual([
			'Administración',
			'Comercial',
			'Familiar',
			'Gerente',
			'Propietario',
			'Responsable técnico'
		]);
	});
});
