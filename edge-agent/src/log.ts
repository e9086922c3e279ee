/**
 * One line per event: `<ISO time> <LEVEL> <event> key=value …`, easy to grep in journald. The
 * agent holds the server token and every router's admin password, so the logger scrubs them
 * itself rather than trusting each call site: fields whose key looks like a credential are
 * replaced, so are `key=value` pairs with such a key inside any text (error messages included),
 * and so is every registered secret where it stands as a value of its own. Only as a value: a
 * router password `secret` must not turn `kind=secret.ensure` into `kind=***.ensure`, which
 * garbles the log and tells anyone who knows the job names what the password is.
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
	/** Never print this string again where it stands as a value (not inside other words). */
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
/** A `key=` or `key:` starting a word; the regexes stay linear on any text (no nested stars). */
const PAIR_KEY = /(?<![\w.-])([\w.-]+)(\s*[=:]\s*)/g;
/** The value after a credential key: a quoted text, `Bearer x`, or one bare word. */
const PAIR_VALUE = /^(?:(?:bearer|basic)\s+)?(?:"[^"]*"|[^\s,;&)"']+)/i;

/** `password=x`, `token: x`, `Authorization: Bearer x` inside free text: the value replaced. */
function redactPairs(text: string): string {
	let out = '';
	let from = 0;
	PAIR_KEY.lastIndex = 0;
	for (let m = PAIR_KEY.exec(text); m; m = PAIR_KEY.exec(text)) {
		if (!CREDENTIAL_KEY.test(m[1])) continue;
		const valueAt = m.index + m[0].length;
		const value = PAIR_VALUE.exec(text.slice(valueAt));
		if (!value) continue;
		out += text.slice(from, valueAt) + REDACTED;
		from = valueAt + value[0].length;
		PAIR_KEY.lastIndex = from;
	}
	return out + text.slice(from);
}

/** Characters that continue a word: a secret touching one is part of another word, not a value. */
const WORD_CHAR = /[\p{L}\p{N}_.-]/u;

const continuesWord = (char: string | undefined): boolean =>
	char !== undefined && WORD_CHAR.test(char);

/**
 * Whether `text[at, end)` stands on its own: not glued to a word on either side. A trailing `.`
 * or `-` that ends the text or a word (the end of a sentence) does not glue.
 */
function standsAlone(text: string, at: number, end: number): boolean {
	if (continuesWord(text[at]) && continuesWord(text[at - 1])) return false;
	if (!continuesWord(text[end - 1]) || !continuesWord(text[end])) return true;
	return /[.-]/.test(text[end]) && !continuesWord(text[end + 1]);
}

/** `text` with every occurrence of `secret` that stands as a value of its own replaced. */
function cutSecret(text: string, secret: string): string {
	let out = '';
	let from = 0;
	for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
		if (at < from) continue;
		const end = at + secret.length;
		if (!standsAlone(text, at, end)) continue;
		out += text.slice(from, at) + REDACTED;
		from = end;
	}
	return out + text.slice(from);
}

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
		let out = redactPairs(text);
		for (const secret of secrets) out = cutSecret(out, secret);
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
