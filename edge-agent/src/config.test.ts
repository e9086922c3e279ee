import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from './config';

const SECRET = 'Sup3r-R0uter-pw';

const valid = () => ({
	serverUrl: 'https://enlace.example.net/',
	token: 'agt_0123456789',
	routers: [
		{ name: 'torre-1', host: '10.0.0.1', user: 'enlace', password: SECRET },
		{ name: 'torre-2', host: '10.0.0.2', tls: true, user: 'enlace', password: SECRET }
	]
});

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(content: string): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'enlace-agent-config-'));
	dirs.push(dir);
	const p = path.join(dir, 'agent.json');
	writeFileSync(p, content);
	return p;
}

function configError(fn: () => unknown): ConfigError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return error as ConfigError;
	}
	throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
	it('fills defaults', () => {
		const c = parseConfig(valid());
		expect(c.serverUrl).toBe('https://enlace.example.net');
		expect(c.routers[0]).toEqual({
			name: 'torre-1',
			host: '10.0.0.1',
			port: 8728,
			tls: false,
			user: 'enlace',
			password: SECRET,
			rejectUnauthorized: true
		});
		expect(c.routers[1].port).toBe(8729);
		expect(c.commandTimeoutMs).toBe(10_000);
		expect(c.statusIntervalSeconds).toBeUndefined();
		expect(c.reconnect).toEqual({ initialMs: 1000, maxMs: 60_000, failureThreshold: 3 });
		expect(c.logLevel).toBe('info');
	});

	it('lets the environment override the server URL and the token', () => {
		const c = parseConfig(
			{ ...valid(), token: undefined },
			{ ENLACE_SERVER_URL: 'http://127.0.0.1:8787', ENLACE_AGENT_TOKEN: 'from-env' }
		);
		expect(c.serverUrl).toBe('http://127.0.0.1:8787');
		expect(c.token).toBe('from-env');
	});

	it('lists every problem by field and never echoes a value', () => {
		const raw = {
			serverUrl: 'ftp://nope',
			routers: [
				{ name: 'torre 1', host: '', user: 'enlace', password: SECRET, port: 70000 },
				{ name: 'torre-2', host: 'h', user: 'enlace', password: 42 },
				{ name: 'torre-2', host: 'h', user: 'enlace', password: SECRET, extra: SECRET }
			],
			commandTimeoutMs: -1
		};
		const error = configError(() => parseConfig(raw, {}, 'agent.json'));
		const lines = error.message.split('\n').map((l) => l.trim());
		expect(lines[0]).toBe('agent.json: invalid configuration');
		expect(lines).toEqual(
			expect.arrayContaining([
				'serverUrl must be an http(s) URL',
				'token is required',
				'routers[0].name must be 1–64 letters, digits, dot, dash or underscore',
				'routers[0].host must not be empty',
				'routers[0].port must be 1–65535',
				'routers[1].password must be a text',
				'routers[2]: unknown field(s) extra',
				'commandTimeoutMs must be at least 1'
			])
		);
		expect(error.message).not.toContain(SECRET);
		expect(error.message).not.toContain('nope');
	});

	it('refuses duplicate router names and an empty router list', () => {
		const dup = valid();
		dup.routers[1].name = 'torre-1';
		expect(configError(() => parseConfig(dup)).message).toContain(
			'routers[1].name duplicates router name "torre-1"'
		);
		expect(configError(() => parseConfig({ ...valid(), routers: [] })).message).toContain(
			'routers must declare at least one router'
		);
		expect(configError(() => parseConfig([])).message).toContain('must be a JSON object');
	});
});

describe('loadConfig', () => {
	it('reads ENLACE_AGENT_CONFIG', () => {
		const p = file(JSON.stringify(valid()));
		expect(loadConfig({ ENLACE_AGENT_CONFIG: p }).routers).toHaveLength(2);
	});

	it('reports a missing file and bad JSON without quoting the file', () => {
		expect(
			configError(() => loadConfig({ ENLACE_AGENT_CONFIG: '/nonexistent/agent.json' })).message
		).toContain('/nonexistent/agent.json: not found');
		const p = file(`{\n  "token": "abc",\n  "password": "${SECRET}" oops\n}`);
		const error = configError(() => loadConfig({ ENLACE_AGENT_CONFIG: p }));
		expect(error.message).toMatch(/not valid JSON \(line 3, column \d+\)/);
		expect(error.message).not.toContain(SECRET);
	});
});

describe('server URL and router certificates', () => {
	it('refuses a plain http server other than loopback unless told so', () => {
		for (const serverUrl of ['http://enlace.example.net', 'http://192.168.1.10:8080']) {
			const error = configError(() => parseConfig({ ...valid(), serverUrl }));
			expect(error.message).toContain('serverUrl must use https://');
			expect(error.message).toContain('allowInsecureServer');
			expect(parseConfig({ ...valid(), serverUrl, allowInsecureServer: true }).serverUrl).toBe(
				serverUrl
			);
		}
		for (const serverUrl of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:80']) {
			expect(parseConfig({ ...valid(), serverUrl }).serverUrl).toBe(serverUrl);
		}
		const fromEnv = configError(() =>
			parseConfig(valid(), { ENLACE_SERVER_URL: 'http://enlace.example.net' })
		);
		expect(fromEnv.message).toContain('serverUrl must use https://');
	});

	it('reads a CA file (relative to the config file) and takes a fingerprint for api-ssl', () => {
		const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
		const configPath = file(
			JSON.stringify({
				...valid(),
				routers: [
					{ ...valid().routers[1], caFile: 'router-ca.pem' },
					{
						...valid().routers[1],
						name: 'torre-3',
						fingerprint: 'AA:BB:' + '00:'.repeat(29) + 'FF'
					}
				]
			})
		);
		writeFileSync(path.join(path.dirname(configPath), 'router-ca.pem'), pem);
		const c = loadConfig({ ENLACE_AGENT_CONFIG: configPath });
		expect(c.routers[0].ca).toBe(pem);
		expect(c.routers[1].fingerprint256).toBe('AA:BB:' + '00:'.repeat(29) + 'FF');
		expect(c.routers[1].ca).toBeUndefined();
	});

	it('explains a missing CA file, a bad fingerprint, and either without api-ssl', () => {
		const router = valid().routers[1];
		const error = configError(() =>
			parseConfig({
				...valid(),
				routers: [
					{ ...router, name: 'b', fingerprint: 'not-hex' },
					{ ...router, name: 'c', tls: false, fingerprint: 'ab'.repeat(32) },
					{ ...router, name: 'd', caFile: '/nonexistent/ca.pem', fingerprint: 'ab'.repeat(32) }
				]
			})
		);
		expect(error.message).toContain('routers[0].fingerprint must be the SHA-256');
		expect(error.message).toContain('routers[1] needs tls: true');
		expect(error.message).toContain('routers[2] takes caFile or fingerprint, not both');
		const missing = configError(() =>
			parseConfig({ ...valid(), routers: [{ ...router, caFile: '/nonexistent/ca.pem' }] })
		);
		expect(missing.message).toContain('routers[0].caFile cannot be read (ENOENT)');
		expect(error.message).not.toContain(SECRET);
		// 64 hex digits, with or without colons, any case: one form.
		const c = parseConfig({ ...valid(), routers: [{ ...router, fingerprint: 'ab'.repeat(32) }] });
		expect(c.routers[0].fingerprint256).toBe('AB:'.repeat(32).slice(0, -1));
	});
});
