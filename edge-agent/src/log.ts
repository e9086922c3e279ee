/**
 * One line per event: `<ISO time> <LEVEL> <event> key=value …`, easy to grep in journald. The
 * agent holds the server token and every router's admin password, so the logger scrubs them
 * itself rather than trusting each call site: fields whose key looks like a credential are
 * replaced, and any registered secret is cut out of every value (error messages included).
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export type Logger = {
	debug(event: string, fields?: LogFields): void;
	info(event: string, fields?: LogFields): void;
	warn(event: string, fields?: LogFields): void;
	error(event: string, fields?: LogFields): void;
	/** A logger that adds `fields` to every line (e.g. `router=`). Shares level and secrets. */
	child(fields: LogFields): Logger;
	/** Never print this string again, wherever it shows up. */
	addSecret(secret: string): void;
};

export type LoggerOptions = {
	level?: LogLevel;
	/** Where lines go; default stdout (debug, info) and stderr (warn, error). */
	write?: (line: string, level: LogLevel) => void;
	now?: () => Date;
};

const CREDENTIAL_KEY = /pass(word)?|token|authorization|cookie|credential/i;
const REDACTED = '***';

export function isLogLevel(value: string): value is LogLevel {
	return (LOG_LEVELS as readonly string[]).includes(value);
}

function defaultWrite(line: string, level: LogLevel): void {
	if (level === 'warn' || level === 'error') process.stderr.write(line + '\n');
	else process.stdout.write(line + '\n');
}

function describe(value: unknown): string {
	if (value instanceof Error) return value.message;
	if (typeof value === 'string') return value;
	if (value === undefined) return 'undefined';
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
		return String(value);
	}
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		// Cycles and BigInts: the type is better than nothing and never a reason to lose the line.
		return Object.prototype.toString.call(value);
	}
}

/** Bare when it is one plain token, JSON-quoted otherwise, so lines stay machine-splittable. */
function quote(text: string): string {
	return /^[\w.:/@*+-]+$/.test(text) ? text : JSON.stringify(text);
}

export function createLogger(options: LoggerOptions = {}): Logger {
	const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
	const write = options.write ?? defaultWrite;
	const now = options.now ?? (() => new Date());
	// Shared by every child, so a secret registered once is scrubbed everywhere.
	const secrets = new Set<string>();

	const scrub = (text: string): string => {
		let out = text;
		for (const secret of secrets) out = out.split(secret).join(REDACTED);
		return out;
	};

	const make = (base: LogFields): Logger => {
		const emit = (level: LogLevel, event: string, fields: LogFields = {}): void => {
			if (LOG_LEVELS.indexOf(level) < threshold) return;
			const parts = [now().toISOString(), level.toUpperCase().padEnd(5), scrub(event)];
			for (const [key, value] of Object.entries({ ...base, ...fields })) {
				if (value === undefined) continue;
				const text = CREDENTIAL_KEY.test(key) ? REDACTED : scrub(describe(value));
				parts.push(`${key}=${quote(text)}`);
			}
			write(parts.join(' '), level);
		};
		return {
			debug: (event, fields) => emit('debug', event, fields),
			info: (event, fields) => emit('info', event, fields),
			warn: (event, fields) => emit('warn', event, fields),
			error: (event, fields) => emit('error', event, fields),
			child: (fields) => make({ ...base, ...fields }),
			addSecret: (secret) => {
				// Very short strings would shred ordinary words; such a secret is not worth hiding.
				if (secret.length >= 4) secrets.add(secret);
			}
		};
	};
	return make({});
}

/** For tests and embedding: drops everything. */
export const silentLogger: Logger = createLogger({ write: () => undefined, level: 'error' });
