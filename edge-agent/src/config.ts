/**
 * The agent's configuration: one JSON file (ENLACE_AGENT_CONFIG, default ./agent.json) holding the
 * server URL, the agent token and every router's admin credentials, which never leave this box
 * (docs/router-work.md › Hello, routers and status). ENLACE_SERVER_URL and ENLACE_AGENT_TOKEN override the file, so the
 * token can come from a systemd credential or an environment file instead.
 *
 * Error messages name the field and the rule, never the value: the file holds passwords.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isLogLevel, type LogLevel } from './log';
import { normalizeFingerprint } from './routeros/client';

const ROUTER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** zod's wrong-type text, split into "missing" and "wrong type" (neither shows the value). */
const expected = (what: string) => (issue: { input?: unknown }) =>
	issue.input === undefined ? 'is required' : `must be ${what}`;

const RouterConfigSchema = z
	.object({
		name: z
			.string({ error: expected('a text') })
			.regex(ROUTER_NAME, 'must be 1–64 letters, digits, dot, dash or underscore'),
		host: z
			.string({ error: expected('a text') })
			.trim()
			.min(1, 'must not be empty')
			.max(255, 'is too long'),
		port: z
			.number({ error: expected('a number') })
			.int('must be a whole number')
			.min(1, 'must be 1–65535')
			.max(65535, 'must be 1–65535')
			.optional(),
		tls: z.boolean({ error: expected('true or false') }).optional(),
		user: z.string({ error: expected('a text') }).min(1, 'must not be empty'),
		password: z.string({ error: expected('a text') }),
		rejectUnauthorized: z.boolean({ error: expected('true or false') }).optional(),
		/** PEM file of the CA that signed the router's certificate, or of that certificate itself. */
		caFile: z
			.string({ error: expected('a text') })
			.min(1, 'must not be empty')
			.optional(),
		/** SHA-256 fingerprint of the router's certificate (64 hex digits, colons optional). */
		fingerprint: z
			.string({ error: expected('a text') })
			.refine(
				(s) => /^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i.test(s.trim()),
				'must be the SHA-256 fingerprint of the router certificate (64 hex digits, colons optional)'
			)
			.optional()
	})
	.strict();

/** Loopback hosts, where plain http never leaves the box. */
function isLoopback(url: string): boolean {
	const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

const positiveInt = (max: number) =>
	z
		.number({ error: expected('a number') })
		.int('must be a whole number')
		.min(1, 'must be at least 1')
		.max(max, `must be at most ${max}`);

const ConfigSchema = z
	.object({
		serverUrl: z
			.string({ error: expected('a text') })
			.refine((s) => /^https?:\/\/[^/]/.test(s) && URL.canParse(s), 'must be an http(s) URL'),
		token: z.string({ error: expected('a text') }).min(1, 'must not be empty'),
		routers: z
			.array(RouterConfigSchema, { error: expected('a list of routers') })
			.min(1, 'must declare at least one router')
			.max(500, 'must declare at most 500 routers'),
		statusIntervalSeconds: positiveInt(3600).optional(),
		commandTimeoutMs: positiveInt(600_000).optional(),
		connectTimeoutMs: positiveInt(600_000).optional(),
		/** Advanced: reconnect backoff and circuit breaker of each router. */
		reconnect: z
			.object({
				initialMs: positiveInt(3_600_000).optional(),
				maxMs: positiveInt(3_600_000).optional(),
				failureThreshold: positiveInt(1000).optional()
			})
			.strict()
			.optional(),
		logLevel: z
			.string({ error: expected('a text') })
			.refine(isLogLevel, 'must be debug, info, warn or error')
			.optional(),
		/** Accept a plain `http://` server URL that is not loopback (the token would travel in clear). */
		allowInsecureServer: z.boolean({ error: expected('true or false') }).optional()
	})
	.strict()
	.superRefine((config, ctx) => {
		if (
			config.serverUrl.startsWith('http://') &&
			!isLoopback(config.serverUrl) &&
			config.allowInsecureServer !== true
		) {
			ctx.addIssue({
				code: 'custom',
				path: ['serverUrl'],
				message:
					'must use https:// (the token would travel in clear; http:// only for loopback, or set allowInsecureServer: true)'
			});
		}
		const seen = new Set<string>();
		config.routers.forEach((router, i) => {
			if ((router.caFile || router.fingerprint) && router.tls !== true) {
				ctx.addIssue({
					code: 'custom',
					path: ['routers', i],
					message: 'needs tls: true for caFile or fingerprint (they are for api-ssl)'
				});
			}
			if (router.caFile && router.fingerprint) {
				ctx.addIssue({
					code: 'custom',
					path: ['routers', i],
					message: 'takes caFile or fingerprint, not both'
				});
			}
			if (seen.has(router.name)) {
				ctx.addIssue({
					code: 'custom',
					path: ['routers', i, 'name'],
					message: `duplicates router name "${router.name}"`
				});
			}
			seen.add(router.name);
		});
	});

export type RouterConfig = {
	name: string;
	host: string;
	port: number;
	tls: boolean;
	user: string;
	password: string;
	rejectUnauthorized: boolean;
	/** PEM text read from `caFile`: the router certificate is checked against it. */
	ca?: string;
	/** From `fingerprint`, as `AB:CD:…`: the router certificate must be exactly this one. */
	fingerprint256?: string;
};

export type ReconnectConfig = { initialMs: number; maxMs: number; failureThreshold: number };

export type AgentConfig = {
	serverUrl: string;
	token: string;
	routers: RouterConfig[];
	/** Overrides the server's interval from the hello reply when set. */
	statusIntervalSeconds?: number;
	commandTimeoutMs: number;
	connectTimeoutMs: number;
	reconnect: ReconnectConfig;
	logLevel: LogLevel;
};

export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_RECONNECT: ReconnectConfig = {
	initialMs: 1000,
	maxMs: 60_000,
	failureThreshold: 3
};

export class ConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ConfigError';
	}
}

function fieldPath(parts: readonly PropertyKey[]): string {
	let out = '';
	for (const part of parts) {
		out += typeof part === 'number' ? `[${part}]` : out ? `.${String(part)}` : String(part);
	}
	return out || '(root)';
}

/**
 * Validates parsed JSON plus the environment overrides. Throws `ConfigError` listing every problem
 * as `<file>: <field> <rule>`; values are never echoed (zod's own texts for unknown keys and wrong
 * types name keys and types only).
 */
export function parseConfig(
	raw: unknown,
	env: NodeJS.ProcessEnv = {},
	source = 'configuration'
): AgentConfig {
	let merged = raw;
	if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
		const object: Record<string, unknown> = { ...raw };
		if (env.ENLACE_SERVER_URL) object.serverUrl = env.ENLACE_SERVER_URL;
		if (env.ENLACE_AGENT_TOKEN) object.token = env.ENLACE_AGENT_TOKEN;
		merged = object;
	}
	const result = ConfigSchema.safeParse(merged);
	if (!result.success) {
		const lines = result.error.issues.map((issue) => {
			if (issue.code === 'unrecognized_keys') {
				return `${fieldPath(issue.path)}: unknown field(s) ${issue.keys.join(', ')}`;
			}
			if (issue.path.length === 0) return 'must be a JSON object';
			return `${fieldPath(issue.path)} ${issue.message}`;
		});
		throw new ConfigError(`${source}: invalid configuration\n  ${lines.join('\n  ')}`);
	}
	const c = result.data;
	// Relative CA paths are read next to the config file, as an admin writing it would expect.
	const baseDir = source === 'configuration' ? process.cwd() : path.dirname(source);
	const problems: string[] = [];
	const cas = c.routers.map((r, i) => {
		if (!r.caFile) return undefined;
		try {
			return readFileSync(path.resolve(baseDir, r.caFile), 'utf8');
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
			problems.push(`routers[${i}].caFile cannot be read (${code})`);
			return undefined;
		}
	});
	if (problems.length) {
		throw new ConfigError(`${source}: invalid configuration\n  ${problems.join('\n  ')}`);
	}
	return {
		// One form of the URL, so `${serverUrl}/api/…` never has a double slash.
		serverUrl: c.serverUrl.replace(/\/+$/, ''),
		token: c.token,
		routers: c.routers.map((r, i) => ({
			name: r.name,
			host: r.host,
			tls: r.tls ?? false,
			port: r.port ?? (r.tls ? 8729 : 8728),
			user: r.user,
			password: r.password,
			rejectUnauthorized: r.rejectUnauthorized ?? true,
			...(cas[i] === undefined ? {} : { ca: cas[i] }),
			...(r.fingerprint ? { fingerprint256: normalizeFingerprint(r.fingerprint) } : {})
		})),
		statusIntervalSeconds: c.statusIntervalSeconds,
		commandTimeoutMs: c.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
		connectTimeoutMs: c.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
		reconnect: { ...DEFAULT_RECONNECT, ...c.reconnect },
		logLevel: (c.logLevel as LogLevel | undefined) ?? 'info'
	};
}

/** Reads the file named by ENLACE_AGENT_CONFIG (default ./agent.json) and validates it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
	const file = path.resolve(env.ENLACE_AGENT_CONFIG || 'agent.json');
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new ConfigError(
			code === 'ENOENT'
				? `${file}: not found (set ENLACE_AGENT_CONFIG or copy agent.example.json)`
				: `${file}: cannot be read (${code ?? 'unknown error'})`
		);
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		// V8 quotes the text around the mistake, which may be a password: keep only the position.
		const at = /position (\d+)/.exec((error as Error).message)?.[1];
		const where = at === undefined ? '' : ` (${lineColumn(text, Number(at))})`;
		throw new ConfigError(`${file}: not valid JSON${where}`);
	}
	return parseConfig(raw, env, file);
}

function lineColumn(text: string, offset: number): string {
	const before = text.slice(0, offset).split('\n');
	return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}
