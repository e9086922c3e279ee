// `npm run reset-password -- <email>` as an operator runs it, in its own process, against the
// database of a running server and of a stopped one.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../sync-server/src/auth/password';
import { createSession, createUser, sessionUser } from '../../sync-server/src/auth/sessions';
import { REPO_ROOT } from '../../sync-server/src/config';
import { migrate, openDb } from '../../sync-server/src/db/client';
import {
	ADMIN_EMAIL,
	ADMIN_PASSWORD,
	api,
	startTestServer,
	type TestServer
} from '../support/server';

type Run = { code: number | null; stdout: string; stderr: string };

function resetPassword(args: string[], env: Record<string, string>): Promise<Run> {
	return new Promise((resolve) => {
		const child = execFile(
			process.execPath,
			['--import', 'tsx', 'scripts/reset-password.ts', ...args],
			{ cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
			(_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr })
		);
	});
}

describe('reset-password with the server running', () => {
	let s: TestServer;
	beforeAll(async () => {
		s = await startTestServer();
	});
	afterAll(() => s?.close());

	it('prints a generated password that signs in, and ends the sessions the user had', async () => {
		const before = await s.login(ADMIN_EMAIL, ADMIN_PASSWORD);
		expect((await api(s.url, before).get('/api/me')).status).toBe(200);

		const run = await resetPassword([ADMIN_EMAIL], { DATA_DIR: s.dataDir });
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const password = /Contraseña nueva de admin@enlace\.test: (\S+)/.exec(run.stdout)?.[1];
		expect(password).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
		// This sign-in and the test server's own.
		expect(run.stdout).toContain('Sesiones cerradas: 2.');

		expect((await api(s.url, before).get('/api/me')).status).toBe(401);
		expect((await api(s.url, s.adminToken).get('/api/me')).status).toBe(401);
		await expect(s.login(ADMIN_EMAIL, ADMIN_PASSWORD)).rejects.toThrow(/login/);
		expect(await s.login(ADMIN_EMAIL, password!)).toEqual(expect.any(String));
	});

	it('takes ENLACE_NEW_PASSWORD without printing it', async () => {
		const run = await resetPassword([ADMIN_EMAIL], {
			DATA_DIR: s.dataDir,
			ENLACE_NEW_PASSWORD: 'una-clave-nueva-2026'
		});
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('(la de ENLACE_NEW_PASSWORD)');
		expect(run.stdout).not.toContain('una-clave-nueva-2026');
		expect(await s.login(ADMIN_EMAIL, 'una-clave-nueva-2026')).toEqual(expect.any(String));
	});

	it.each([
		[['nadie@enlace.test'], {}, 1, /no hay ningún usuario con el correo nadie@enlace\.test/],
		[[], {}, 2, /uso: npm run reset-password -- <correo/],
		[[ADMIN_EMAIL], { ENLACE_NEW_PASSWORD: 'corta' }, 2, /ENLACE_NEW_PASSWORD: .*10 caracteres/]
	])('refuses %j %j with status %i', async (args, env, status, message) => {
		const run = await resetPassword(args, { DATA_DIR: s.dataDir, ...env });
		expect(run.code).toBe(status);
		expect(run.stderr).toMatch(message);
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(await s.login(ADMIN_EMAIL, 'una-clave-nueva-2026')).toEqual(expect.any(String));
	});
});

describe('reset-password with the server stopped', () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-reset-'));
	afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

	it('sets the password in the database file and deletes the sessions', async () => {
		const db = openDb(`file:${path.join(dataDir, 'enlace.db')}`);
		await migrate(db);
		const user = await createUser(db, {
			email: 'tecnica@enlace.test',
			name: 'Técnica',
			role: 'technician',
			password: 'clave-olvidada-1'
		});
		const token = await createSession(db, user.id, 1);
		db.close();

		const run = await resetPassword(['tecnica@enlace.test'], {
			DATA_DIR: dataDir,
			ENLACE_NEW_PASSWORD: 'clave-recuperada-1'
		});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);

		const after = openDb(`file:${path.join(dataDir, 'enlace.db')}`);
		try {
			const row = await after.client.execute({
				sql: 'SELECT password_hash FROM users WHERE id = ?',
				args: [user.id]
			});
			expect(await verifyPassword('clave-recuperada-1', String(row.rows[0].password_hash))).toBe(
				true
			);
			expect(await verifyPassword('clave-olvidada-1', String(row.rows[0].password_hash))).toBe(
				false
			);
			expect(await sessionUser(after, token)).toBeUndefined();
		} finally {
			after.close();
		}
	});

	it('does not create a database where there is none', async () => {
		const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-reset-'));
		const run = await resetPassword(['a@b.es'], { DATA_DIR: empty });
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/no existe la base de datos/);
		expect(fs.readdirSync(empty)).toEqual([]);
		fs.rmSync(empty, { recursive: true });
	});
});
