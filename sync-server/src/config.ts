import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_PULL_PAGE_BYTES, Password, User } from '@enlace/shared';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');

/** A setting with a bad value: start-up stops with this one line, which names the variable. */
export class ConfigError extends Error {
	constructor(
		readonly variable: string,
		problem: string
	) {
		super(`${variable}: ${problem}`);
		this.name = 'ConfigError';
	}
}

export type Parse<T> = (raw: string, from: 'env' | 'default') => T;

export type Setting<T> = {
	variable: string;
	/**
	 * The value used when the variable is unset or empty, read exactly as if it had been set to it;
	 * `$NAME` stands for the value of an earlier setting. Absent: the setting stays undefined.
	 */
	default?: string;
	/** What README's table shows as the default when there is none to read (`—`, `off`…). */
	shownDefault?: string;
	meaning: string;
	parse: Parse<T>;
};

export const setting = <T>(s: Setting<T> & { default: string }) => s;
/** A setting with no default: undefined unless its variable is set. */
export const optional = <T>(s: Omit<Setting<T>, 'default'>) => ({ ...s, optional: true as const });

// ---------------------------------------------------------------------------------------------
// Parsers: each throws a message saying what is wrong (the variable is added by the caller).

/** What is wrong with a value; readSettings adds the variable's name. */
export class Problem extends Error {}

const quoted = (raw: string) => `«${raw.length > 60 ? `${raw.slice(0, 57)}…` : raw}»`;

export function integer(min: number, max: number, unit: string): Parse<number> {
	return (raw) => {
		const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
		if (!Number.isSafeInteger(n) || n < min || n > max) {
			const range = `de ${min} a ${max}${unit ? ` ${unit}` : ''}`;
			throw new Problem(`debe ser un número entero ${range}, no ${quoted(raw)}`);
		}
		return n;
	};
}

const positive: (unit: string) => Parse<number> = (unit) => (raw) => {
	const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
	if (!(n > 0)) throw new Problem(`debe ser un número de ${unit} mayor que 0, no ${quoted(raw)}`);
	return n;
};

/** A path relative to the working directory, or to the repository for the written default. */
export const directory: Parse<string> = (raw, from) =>
	path.resolve(from === 'default' ? REPO_ROOT : process.cwd(), raw);

const text: Parse<string> = (raw) => raw;

const host: Parse<string> = (raw) => {
	if (/\s|\//.test(raw)) throw new Problem(`no es un nombre o dirección de red: ${quoted(raw)}`);
	return raw;
};

const DATABASE_SCHEMES = ['file:', 'http:', 'https:', 'libsql:', 'ws:', 'wss:'];

/** The URL's text may hold a password, so it is never repeated in the message. */
const databaseUrl: Parse<string> = (raw) => {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw new Problem(
			'no es una URL: use file:/ruta/enlace.db, http://servidor:8080 o libsql://base.turso.io'
		);
	}
	if (!DATABASE_SCHEMES.includes(url.protocol)) {
		throw new Problem(
			`el esquema ${url.protocol} no es de libSQL: use ${DATABASE_SCHEMES.join(', ')}`
		);
	}
	if (url.protocol === 'file:' && raw.slice('file:'.length).trim() === '') {
		throw new Problem('falta la ruta del fichero tras file:');
	}
	if (url.protocol !== 'file:' && !url.hostname) throw new Problem('falta el servidor en la URL');
	return raw;
};

const email: Parse<string> = (raw) => {
	if (!User.shape.email.safeParse(raw.trim()).success) {
		throw new Problem(`no es un correo electrónico válido: ${quoted(raw)}`);
	}
	return raw.trim();
};

/** Checked like any user's password; never repeated in the message. */
const password: Parse<string> = (raw) => {
	const checked = Password.safeParse(raw);
	if (!checked.success) throw new Problem(checked.error.issues[0].message);
	return raw;
};

const FLAGS: Record<string, boolean> = {
	'1': true,
	true: true,
	on: true,
	'0': false,
	false: false,
	off: false
};

const flag: Parse<boolean> = (raw) => {
	const value = FLAGS[raw.toLowerCase()];
	if (value === undefined) throw new Problem(`debe ser 1 u 0, no ${quoted(raw)}`);
	return value;
};

// ---------------------------------------------------------------------------------------------

/**
 * Every setting of the server, in the order they are read: its variable, its default and what it
 * means. README's configuration table shows these rows (a test keeps it so).
 */
export const SETTINGS = {
	port: setting({
		variable: 'PORT',
		default: '8787',
		meaning: 'HTTP port of the server (app + API)',
		parse: integer(0, 65535, '')
	}),
	host: setting({
		variable: 'HOST',
		default: '0.0.0.0',
		meaning: 'interface to listen on',
		parse: host
	}),
	dataDir: setting({
		variable: 'DATA_DIR',
		default: './data',
		meaning: 'where the embedded database and files live',
		parse: directory
	}),
	databaseUrl: setting({
		variable: 'DATABASE_URL',
		default: 'file:$DATA_DIR/enlace.db',
		meaning: 'libSQL URL: `file:` (embedded, WAL), or `http://…` / `libsql://…` for sqld or Turso',
		parse: databaseUrl
	}),
	databaseAuthToken: optional({
		variable: 'DATABASE_AUTH_TOKEN',
		shownDefault: '—',
		meaning: 'token for a remote libSQL server (Turso)',
		parse: text
	}),
	staticDir: setting({
		variable: 'STATIC_DIR',
		default: './app/build',
		meaning: 'the built PWA the server serves',
		parse: directory
	}),
	adminEmail: setting({
		variable: 'ADMIN_EMAIL',
		default: 'admin@enlace.local',
		meaning: 'administrator created on first start with no users',
		parse: email
	}),
	adminPassword: optional({
		variable: 'ADMIN_PASSWORD',
		shownDefault: 'generated, printed once',
		meaning: "that administrator's password (at least 10 characters)",
		parse: password
	}),
	sessionDays: setting({
		variable: 'SESSION_DAYS',
		default: '30',
		meaning: 'how long a sign-in lasts',
		parse: positive('días')
	}),
	seqPollMs: setting({
		variable: 'SEQ_POLL_MS',
		default: '1000',
		meaning: "with a remote database, how often to look for other instances' writes (for SSE)",
		parse: integer(1, 3_600_000, 'ms')
	}),
	jobLeaseSeconds: setting({
		variable: 'JOB_LEASE_SECONDS',
		default: '60',
		meaning: 'how long a router job claimed by an agent stays its own',
		parse: integer(1, 86_400, 's')
	}),
	jobRetentionDays: setting({
		variable: 'JOB_RETENTION_DAYS',
		default: '30',
		meaning:
			'days a finished router job is kept; then it is deleted, on devices too (its Historial lines stay); `0` keeps them',
		parse: integer(0, 36_500, 'días')
	}),
	statusIntervalSeconds: setting({
		variable: 'STATUS_INTERVAL_SECONDS',
		default: '5',
		meaning: 'how often agents report who is online',
		parse: integer(1, 3_600, 's')
	}),
	loginFailuresPerAccount: setting({
		variable: 'LOGIN_FAILURES_PER_ACCOUNT',
		default: '10',
		meaning: 'wrong passwords for one email before its logins answer 429 until the window ends',
		parse: integer(1, 1_000_000, '')
	}),
	loginFailuresPerIp: setting({
		variable: 'LOGIN_FAILURES_PER_IP',
		default: '50',
		meaning: 'failed logins from one client address before its logins answer 429',
		parse: integer(1, 1_000_000, '')
	}),
	loginWindowMinutes: setting({
		variable: 'LOGIN_WINDOW_MINUTES',
		default: '15',
		meaning: 'how long failed logins are counted, from the first',
		parse: integer(1, 10_080, 'min')
	}),
	trustProxy: setting({
		variable: 'TRUST_PROXY',
		default: '0',
		shownDefault: 'off',
		meaning:
			'`1`: behind one reverse proxy, whose `X-Forwarded-For`, `-Proto` and `-Host` are believed',
		parse: flag
	}),
	cookieSecure: setting({
		variable: 'COOKIE_SECURE',
		default: '0',
		shownDefault: 'off',
		meaning: '`1`: the server is reached over HTTPS, the session cookie is `Secure`',
		parse: flag
	}),
	pullPageBytes: setting({
		variable: 'PULL_PAGE_BYTES',
		default: String(MAX_PULL_PAGE_BYTES),
		shownDefault: '`4194304` (4 MB)',
		meaning: 'a pull page stops before its changes pass this size (one row always goes)',
		parse: integer(1024, 64 * 1024 * 1024, 'bytes')
	}),
	windowDaysTechnician: setting({
		variable: 'HISTORY_WINDOW_DAYS_TECHNICIAN',
		default: '7',
		meaning:
			"days of Historial and finished router jobs a technician's device holds (besides the customers it opened lately)",
		parse: integer(1, 3650, 'días')
	}),
	windowDaysOffice: setting({
		variable: 'HISTORY_WINDOW_DAYS_OFFICE',
		default: '14',
		meaning:
			'days of Historial and finished router jobs an office or admin device holds (besides the customers it opened lately)',
		parse: integer(1, 3650, 'días')
	}),
	filesDir: setting({
		variable: 'FILES_DIR',
		default: '$DATA_DIR/files',
		meaning: "where uploaded files' bytes live when no S3 bucket is configured",
		parse: directory
	}),
	filesMaxBytes: setting({
		variable: 'FILES_MAX_BYTES',
		default: String(100 * 1024 * 1024),
		shownDefault: '`104857600` (100 MB)',
		meaning: 'the largest file an upload may have',
		parse: integer(1, 1024 ** 4, 'bytes')
	}),
	filesSweepSeconds: setting({
		variable: 'FILES_SWEEP_SECONDS',
		default: '60',
		meaning: 'how often the bytes of deleted files are removed from the disk or the bucket',
		parse: integer(1, 86_400, 's')
	}),
	s3Bucket: optional({
		variable: 'S3_BUCKET',
		shownDefault: '—',
		meaning:
			'an S3-compatible bucket for the files instead of `FILES_DIR` (several server instances share it)',
		parse: text
	}),
	s3Endpoint: optional({
		variable: 'S3_ENDPOINT',
		shownDefault: "AWS's",
		meaning: 'URL of the S3-compatible service (MinIO, Garage, a cloud provider…)',
		parse: text
	}),
	s3Region: setting({
		variable: 'S3_REGION',
		default: 'us-east-1',
		meaning: "the bucket's region",
		parse: text
	}),
	s3AccessKeyId: optional({
		variable: 'S3_ACCESS_KEY_ID',
		shownDefault: '—',
		meaning: 'access key of the bucket (else the usual AWS credential chain)',
		parse: text
	}),
	s3SecretAccessKey: optional({
		variable: 'S3_SECRET_ACCESS_KEY',
		shownDefault: '—',
		meaning: 'its secret',
		parse: text
	}),
	s3ForcePathStyle: setting({
		variable: 'S3_FORCE_PATH_STYLE',
		default: '1',
		shownDefault: 'on',
		meaning:
			'`1`: `endpoint/bucket/key` URLs (MinIO and most self-hosted services); `0`: virtual-hosted',
		parse: flag
	}),
	mailEnabled: setting({
		variable: 'MAIL',
		default: '1',
		shownDefault: 'on',
		meaning:
			'`0`: this instance neither sends nor receives mail (with several instances, leave it on in one)',
		parse: flag
	}),
	mailPollSeconds: setting({
		variable: 'MAIL_POLL_SECONDS',
		default: '60',
		meaning:
			'how often every watched IMAP folder is looked at, besides the IDLE announcements of the first',
		parse: integer(1, 86_400, 's')
	}),
	mailMaxAttempts: setting({
		variable: 'MAIL_MAX_ATTEMPTS',
		default: '8',
		meaning:
			'tries of a message the SMTP server could not take (unreachable, 4xx) before it is `fallido`',
		parse: integer(1, 100, '')
	}),
	mailRetrySeconds: setting({
		variable: 'MAIL_RETRY_SECONDS',
		default: '30',
		meaning: 'wait before the second try of a message; doubled after each try, at most an hour',
		parse: integer(1, 3_600, 's')
	}),
	mailRatePerMinute: setting({
		variable: 'MAIL_RATE_PER_MINUTE',
		default: '30',
		meaning:
			'messages the outbox hands to the SMTP server per minute at most, per instance (Enviar facturas keeps under the provider’s limit); `0`: no limit',
		parse: integer(0, 100_000, '')
	}),
	logRequests: setting({
		variable: 'LOG_REQUESTS',
		default: '0',
		shownDefault: 'off',
		meaning: '`1` logs every request with its time',
		parse: flag
	})
};

type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** The values read from a table of settings. */
export type SettingValues<Table extends Record<string, Setting<unknown>>> = {
	[K in keyof Table]: Table[K] extends { optional: true }
		? ValueOf<Table[K]> | undefined
		: ValueOf<Table[K]>;
};

/** Every setting: a default that works on one machine, and an environment variable. */
export type Config = SettingValues<typeof SETTINGS>;

/** README's row for one setting: `| \`PORT\` | \`8787\` | HTTP port … |`. */
export function readmeRow(s: Setting<unknown>): string {
	const shown = s.shownDefault ?? (s.default === undefined ? '—' : `\`${s.default}\``);
	return `| \`${s.variable}\` | ${shown} | ${s.meaning} |`;
}

/**
 * Reads every setting of `table` from `env`; an empty variable counts as unset. A bad value throws
 * a ConfigError naming the variable and what is wrong with it. `known` gives `$NAME`s of defaults
 * that are not in the table.
 */
export function readSettings<Table extends Record<string, Setting<unknown>>>(
	table: Table,
	env: NodeJS.ProcessEnv,
	known: Record<string, unknown> = {}
): SettingValues<Table> {
	const read: Record<string, unknown> = {};
	const byVariable: Record<string, unknown> = { ...known };
	for (const [key, s] of Object.entries(table)) {
		const given = env[s.variable];
		const from = given === undefined || given === '' ? 'default' : 'env';
		const raw =
			from === 'env'
				? given!
				: s.default?.replace(/\$([A-Z_]+)/g, (_, name: string) => String(byVariable[name]));
		let value: unknown;
		if (raw !== undefined) {
			try {
				value = s.parse(raw, from);
			} catch (e) {
				if (!(e instanceof Problem)) throw e;
				throw new ConfigError(s.variable, e.message);
			}
		}
		read[key] = value;
		byVariable[s.variable] = value;
	}
	return read as SettingValues<Table>;
}

/** The server's settings from `env` (see SETTINGS); throws ConfigError on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	return readSettings(SETTINGS, env);
}
