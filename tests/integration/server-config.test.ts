// The server as `npm run serve` starts it, with a bad setting: it must stop before touching the
// database, with one line on stderr that names the variable, and a non-zero exit status.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_SETTINGS, demoConfig } from '../../scripts/demo/settings';
import { ConfigError, REPO_ROOT, readmeRow } from '../../sync-server/src/config';

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

describe('npm run demo settings', () => {
	const admin = { email: 'admin@enlace.demo', password: 'demo-enlace' };

	it('puts the demo inside DATA_DIR, on its own embedded database, with its administrator', () => {
		const { server, demo } = demoConfig({ DATA_DIR: '/srv/enlace', PORT: '9000' }, admin);
		expect(demo.dataDir).toBe('/srv/enlace/demo');
		expect(server).toMatchObject({
			port: 9000,
			dataDir: '/srv/enlace/demo',
			databaseUrl: 'file:/srv/enlace/demo/enlace.db',
			adminEmail: admin.email,
			adminPassword: admin.password
		});
		expect(demo).toMatchObject({ routerPort: 8728, agentLog: 'warn' });
	});

	it('DEMO_DATA_DIR wins over DATA_DIR, and the default is ./data/demo', () => {
		const chosen = demoConfig({ DATA_DIR: '/srv/enlace', DEMO_DATA_DIR: '/tmp/prueba' }, admin);
		expect(chosen.server.databaseUrl).toBe('file:/tmp/prueba/enlace.db');
		expect(demoConfig({}, admin).demo.dataDir).toBe(path.join(REPO_ROOT, 'data', 'demo'));
	});

	it.each([
		['DEMO_ROUTER_PORT', 'x'],
		['DEMO_AGENT_LOG', 'verbose'],
		['PORT', 'abc']
	])('%s=%s is refused naming the variable', (variable, value) => {
		expect(() => demoConfig({ [variable]: value }, admin)).toThrow(ConfigError);
		expect(() => demoConfig({ [variable]: value }, admin)).toThrow(new RegExp(`^${variable}: `));
	});

	it("README's configuration table shows the demo's settings as declared", () => {
		const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
		const table = readme.slice(readme.indexOf('## Configuration'));
		for (const s of Object.values(DEMO_SETTINGS)) expect(table).toContain(`\n${readmeRow(s)}\n`);
	});
});
