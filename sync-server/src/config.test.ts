import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, REPO_ROOT, SETTINGS, loadConfig, readmeRow } from './config';

/** The ConfigError loadConfig throws for `env`; fails the test if it throws none. */
function configError(env: Record<string, string>): ConfigError {
	try {
		loadConfig(env);
	} catch (e) {
		if (e instanceof ConfigError) return e;
		throw e;
	}
	throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
	it('gives every default on an empty environment', () => {
		const config = loadConfig({});
		expect(config).toEqual({
			port: 8787,
			host: '0.0.0.0',
			dataDir: path.join(REPO_ROOT, 'data'),
			databaseUrl: `file:${path.join(REPO_ROOT, 'data', 'enlace.db')}`,
			databaseAuthToken: undefined,
			staticDir: path.join(REPO_ROOT, 'app', 'build'),
			adminEmail: 'admin@enlace.local',
			adminPassword: undefined,
			sessionDays: 30,
			seqPollMs: 1000,
			jobLeaseSeconds: 60,
			jobRetentionDays: 30,
			statusIntervalSeconds: 5,
			loginFailuresPerAccount: 10,
			loginFailuresPerIp: 50,
			loginWindowMinutes: 15,
			trustProxy: false,
			cookieSecure: false,
			pullPageBytes: 4 * 1024 * 1024,
			windowDaysTechnician: 7,
			windowDaysOffice: 14,
			filesDir: path.join(REPO_ROOT, 'data/files'),
			filesMaxBytes: 100 * 1024 * 1024,
			filesSweepSeconds: 60,
			s3Bucket: undefined,
			s3Endpoint: undefined,
			s3Region: 'us-east-1',
			s3AccessKeyId: undefined,
			s3SecretAccessKey: undefined,
			s3ForcePathStyle: true,
			mailEnabled: true,
			mailPollSeconds: 60,
			mailMaxAttempts: 8,
			mailRetrySeconds: 30,
			mailRatePerMinute: 30,
			logRequests: false
		});
	});

	it('reads every variable, and an empty one counts as unset', () => {
		const config = loadConfig({
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: '/srv/enlace',
			DATABASE_URL: 'libsql://db-acme.turso.io',
			DATABASE_AUTH_TOKEN: 'tok',
			STATIC_DIR: '/srv/www',
			ADMIN_EMAIL: ' jefa@isp.es ',
			ADMIN_PASSWORD: 'una-clave-larga',
			SESSION_DAYS: '0.5',
			SEQ_POLL_MS: '250',
			JOB_LEASE_SECONDS: '90',
			STATUS_INTERVAL_SECONDS: '10',
			LOGIN_FAILURES_PER_ACCOUNT: '5',
			LOGIN_FAILURES_PER_IP: '20',
			LOGIN_WINDOW_MINUTES: '30',
			TRUST_PROXY: '1',
			COOKIE_SECURE: 'on',
			LOG_REQUESTS: '1'
		});
		expect(config).toMatchObject({
			port: 0,
			host: '127.0.0.1',
			dataDir: '/srv/enlace',
			databaseUrl: 'libsql://db-acme.turso.io',
			databaseAuthToken: 'tok',
			staticDir: '/srv/www',
			adminEmail: 'jefa@isp.es',
			adminPassword: 'una-clave-larga',
			sessionDays: 0.5,
			seqPollMs: 250,
			jobLeaseSeconds: 90,
			statusIntervalSeconds: 10,
			loginFailuresPerAccount: 5,
			loginFailuresPerIp: 20,
			loginWindowMinutes: 30,
			trustProxy: true,
			cookieSecure: true,
			logRequests: true
		});
		expect(loadConfig({ PORT: '', ADMIN_PASSWORD: '' })).toMatchObject({
			port: 8787,
			adminPassword: undefined
		});
	});

	it('puts the default database inside DATA_DIR, resolved from the working directory', () => {
		const config = loadConfig({ DATA_DIR: 'datos' });
		expect(config.dataDir).toBe(path.resolve('datos'));
		expect(config.databaseUrl).toBe(`file:${path.resolve('datos', 'enlace.db')}`);
	});

	it.each([
		['PORT', 'abc', 'PORT: debe ser un número entero de 0 a 65535, no «abc»'],
		['PORT', '70000', 'PORT: debe ser un número entero de 0 a 65535, no «70000»'],
		['PORT', '80.5', 'PORT: debe ser un número entero de 0 a 65535, no «80.5»'],
		['SESSION_DAYS', '-1', 'SESSION_DAYS: debe ser un número de días mayor que 0, no «-1»'],
		['SESSION_DAYS', '0', 'SESSION_DAYS: debe ser un número de días mayor que 0, no «0»'],
		['SEQ_POLL_MS', '1e3', 'SEQ_POLL_MS: debe ser un número entero de 1 a 3600000 ms, no «1e3»'],
		[
			'JOB_LEASE_SECONDS',
			'0',
			'JOB_LEASE_SECONDS: debe ser un número entero de 1 a 86400 s, no «0»'
		],
		[
			'STATUS_INTERVAL_SECONDS',
			'cinco',
			'STATUS_INTERVAL_SECONDS: debe ser un número entero de 1 a 3600 s, no «cinco»'
		],
		['HOST', 'http://x', 'HOST: no es un nombre o dirección de red: «http://x»'],
		['ADMIN_EMAIL', 'admin', 'ADMIN_EMAIL: no es un correo electrónico válido: «admin»'],
		['ADMIN_PASSWORD', 'corta', 'ADMIN_PASSWORD: La contraseña debe tener al menos 10 caracteres'],
		['LOG_REQUESTS', 'yes', 'LOG_REQUESTS: debe ser 1 u 0, no «yes»']
	])('%s=%s stops with one line naming it', (variable, value, message) => {
		const error = configError({ [variable]: value });
		expect(error.variable).toBe(variable);
		expect(error.message).toBe(message);
		expect(error.message).not.toContain('\n');
	});

	it.each([
		['postgres://u:secreto@db/enlace', 'el esquema postgres: no es de libSQL'],
		['enlace.db', 'no es una URL'],
		['file:', 'falta la ruta del fichero'],
		['http://:secreto@', 'no es una URL'],
		['libsql://', 'falta el servidor']
	])('a malformed DATABASE_URL (%s) is named, without repeating its text', (url, problem) => {
		const error = configError({ DATABASE_URL: url });
		expect(error.message).toMatch(new RegExp(`^DATABASE_URL: ${problem}`));
		expect(error.message).not.toContain('secreto');
	});

	it('accepts the libSQL URLs the README names', () => {
		for (const url of [
			'file:/tmp/enlace.db',
			'file:data/enlace.db',
			'http://127.0.0.1:8080',
			'https://db.example.es',
			'libsql://db-acme.turso.io'
		]) {
			expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
		}
	});
});

describe('README', () => {
	it("configuration table shows every setting's row as the code declares it", () => {
		const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
		const table = readme.slice(readme.indexOf('## Configuration'));
		for (const s of Object.values(SETTINGS)) expect(table).toContain(`\n${readmeRow(s)}\n`);
	});
});
