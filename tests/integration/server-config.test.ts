// The server as `npm run serve` starts it, with a bad setting: it must stop before touching the
// database, with one line on stderr that names the variable, and a non-zero exit status.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../sync-server/src/config';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-config-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function startServer(env: Record<string, string>) {
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
		const child = execFile(
			process.execPath,
			['--import', 'tsx', 'sync-server/src/index.ts'],
			{
				cwd: REPO_ROOT,
				env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', ...env },
				timeout: 20_000
			},
			(_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr })
		);
	});
}

describe('server start-up with a bad setting', () => {
	it.each([
		['PORT', 'abc', /^enlace: configuración no válida: PORT: .*«abc»\n$/],
		['SESSION_DAYS', '-1', /^enlace: configuración no válida: SESSION_DAYS: .*mayor que 0.*\n$/],
		['DATABASE_URL', 'mysql://u:pw@db/enlace', /^enlace: configuración no válida: DATABASE_URL: /]
	])('%s=%s: one line naming it, exit status 2, nothing written', async (variable, value, line) => {
		const { code, stdout, stderr } = await startServer({ [variable]: value });
		expect(stderr).toMatch(line);
		expect(stderr.trim().split('\n')).toHaveLength(1);
		expect(stderr).not.toContain('    at ');
		expect(stdout).toBe('');
		expect(code).toBe(2);
		expect(fs.readdirSync(dataDir)).toEqual([]);
	});
});
