/**
 * RouterOS API client (the protocol facts it relies on: docs/router-work.md › RouterOS API facts):
 * one TCP or TLS connection, every command tagged so several can be in flight, a deadline per
 * command that sends `/cancel`, and every failure surfaced as a rejected promise (never as a thrown
 * exception in a socket handler, which is how node-routeros takes the process down).
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { SentenceDecoder, encodeSentence, parseAttributeWord } from './codec';
import {
	RouterOsConnectionError,
	RouterOsError,
	RouterOsFatalError,
	RouterOsLoginError,
	RouterOsTimeoutError,
	RouterOsTrapError
} from './errors';

export type RouterOsRow = Record<string, string>;

/** Everything a command returned: `!re` rows, the `!done` attributes, whether `!empty` came. */
export type RouterOsReply = { rows: RouterOsRow[]; done: RouterOsRow; empty: boolean };

export type ParamValue = string | number | boolean | null | undefined;
/** Attribute words; booleans become `yes`/`no`, `null`/`undefined` are left out. */
export type CommandParams = Readonly<Record<string, ParamValue>>;

export type CommandOptions = {
	/** Deadline for this command; `0` or `Infinity` means none. Default: `commandTimeoutMs`. */
	timeoutMs?: number;
};

export type PrintQuery = {
	/** Equality filters, sent as `?name=value` (all must match). */
	where?: CommandParams;
	/** Properties to return, sent as `=.proplist=a,b` (the doc says always send one). */
	proplist?: readonly string[];
	/** Raw query words (`?>comment=`, `?#|`), appended after `where`. */
	query?: readonly string[];
};

export type RouterOsClientOptions = {
	host: string;
	/** Default 8728, or 8729 with `tls`. */
	port?: number;
	user: string;
	password: string;
	/** Use api-ssl. */
	tls?: boolean;
	/** Verify the router certificate (default true); ignored with `anonymousDh`. */
	rejectUnauthorized?: boolean;
	/** Trusted CA or the router's own self-signed certificate (PEM), to pin it. */
	ca?: string | Buffer | readonly (string | Buffer)[];
	/**
	 * SHA-256 fingerprint of the router's own certificate (hex, any case, colons optional): pins
	 * that certificate instead of checking a CA chain, for a self-signed router certificate whose
	 * PEM is not at hand. A different certificate fails the connect before the login is sent.
	 */
	fingerprint256?: string;
	/** TLS server name when it differs from `host`. */
	servername?: string;
	/**
	 * api-ssl on a router without a certificate: only anonymous DH is offered (docs/router-work.md ›
	 * Transport). Offers no authentication of the router, so prefer a certificate.
	 */
	anonymousDh?: boolean;
	/** TCP/TLS connect plus login (default 5000). */
	connectTimeoutMs?: number;
	/** Default deadline per command (default 30000). */
	commandTimeoutMs?: number;
	/** How long the router gets to acknowledge `/cancel` before the connection is dropped (2000). */
	cancelTimeoutMs?: number;
	/** Called once per connection attempt when it ends (also a failed connect); `undefined` after `close()`. */
	onClose?: (error: RouterOsError | undefined) => void;
	/** Called for reply words we do not know (future `!xxx`), which are otherwise ignored. */
	onUnknownReply?: (sentence: readonly string[]) => void;
};

type Settle = {
	resolve: (reply: RouterOsReply) => void;
	reject: (error: RouterOsError) => void;
};

type Pending = {
	command: string;
	rows: RouterOsRow[];
	empty: boolean;
	trap: RouterOsTrapError | undefined;
	timer: NodeJS.Timeout | undefined;
	/** Undefined once the caller has been answered (deadline passed) or for our own `/cancel`. */
	settle: Settle | undefined;
};

const ANONYMOUS_DH_CIPHERS = 'ADH:@SECLEVEL=0';

/** `ab:CD…` or `abcd…` → `AB:CD:…`, the form Node gives `fingerprint256` in. */
export const normalizeFingerprint = (hex: string): string =>
	(
		hex
			.replace(/[^0-9a-f]/gi, '')
			.toUpperCase()
			.match(/../g) ?? []
	).join(':');

/**
 * Pre-6.43 login: `00` + hex(MD5(0x00 + password + unhex(challenge))) (docs/router-work.md ›
 * Login).
 */
export function legacyLoginResponse(password: string, challengeHex: string): string {
	const hash = createHash('md5')
		.update(Buffer.from([0]))
		.update(Buffer.from(password, 'utf8'))
		.update(Buffer.from(challengeHex, 'hex'))
		.digest('hex');
	return '00' + hash;
}

function paramValue(value: string | number | boolean): string {
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	return String(value);
}

/** `path` + `verb` → command word; accepts `/ppp/secret` and `/ppp/secret/`. */
export function commandWord(path: string, verb?: string): string {
	if (!path.startsWith('/')) throw new TypeError(`RouterOS path must start with /: ${path}`);
	const base = path.replace(/\/+$/, '');
	return verb === undefined ? base || '/' : `${base}/${verb}`;
}

/** `(path, params)` → words: the command word then one `=name=value` per defined param. */
export function toWords(path: string, params: CommandParams = {}): string[] {
	const words = [commandWord(path)];
	for (const [name, value] of Object.entries(params)) {
		if (value === undefined || value === null) continue;
		words.push(`=${name}=${paramValue(value)}`);
	}
	return words;
}

function rowOf(words: readonly string[]): {
	tag: string | undefined;
	row: RouterOsRow;
	bare: string[];
} {
	let tag: string | undefined;
	const row: RouterOsRow = {};
	const bare: string[] = [];
	for (const word of words) {
		if (word.startsWith('.tag=')) {
			tag = word.slice(5);
			continue;
		}
		const attr = parseAttributeWord(word);
		if (attr) row[attr[0]] = attr[1];
		else bare.push(word);
	}
	return { tag, row, bare };
}

export class RouterOsClient {
	readonly host: string;
	readonly port: number;
	readonly user: string;
	// Private field: util.inspect and JSON.stringify never show it, so logging the client is safe.
	readonly #password: string;
	readonly #options: Omit<RouterOsClientOptions, 'password'>;
	#socket: net.Socket | undefined;
	#decoder = new SentenceDecoder();
	#pending = new Map<string, Pending>();
	#nextTag = 0;
	#ready = false;
	#connecting: Promise<void> | undefined;
	#socketError: Error | undefined;
	/** Rejects a connect() that is still waiting for the TCP/TLS handshake. */
	#abortConnect: ((error: RouterOsError) => void) | undefined;
	#closedByUs = false;

	constructor(options: RouterOsClientOptions) {
		const { password, ...rest } = options;
		this.#password = password;
		this.#options = rest;
		this.host = options.host;
		this.port = options.port ?? (options.tls ? 8729 : 8728);
		this.user = options.user;
	}

	/** Logged in and the socket is open. */
	get connected(): boolean {
		return this.#ready && this.#socket !== undefined;
	}

	/** Number of commands awaiting their `!done` (including abandoned ones and `/cancel`s). */
	get inFlight(): number {
		return this.#pending.size;
	}

	/** Opens the connection and logs in; a no-op when connected, shared while connecting. */
	connect(): Promise<void> {
		if (this.connected) return Promise.resolve();
		this.#connecting ??= this.#open().finally(() => {
			this.#connecting = undefined;
		});
		return this.#connecting;
	}

	/** Ends the connection; commands still in flight reject with `RouterOsConnectionError`. */
	async close(): Promise<void> {
		const socket = this.#socket;
		if (!socket) return;
		this.#closedByUs = true;
		const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
		this.#teardown(new RouterOsConnectionError('connection closed by the client'));
		await closed;
	}

	/** Runs a command and returns its `!re` rows (`[]` for `!empty` or a bare `!done`). */
	command(words: readonly string[], options?: CommandOptions): Promise<RouterOsRow[]>;
	command(path: string, params?: CommandParams, options?: CommandOptions): Promise<RouterOsRow[]>;
	async command(
		wordsOrPath: readonly string[] | string,
		paramsOrOptions?: CommandParams | CommandOptions,
		maybeOptions?: CommandOptions
	): Promise<RouterOsRow[]> {
		const reply =
			typeof wordsOrPath === 'string'
				? await this.run(toWords(wordsOrPath, paramsOrOptions as CommandParams), maybeOptions)
				: await this.run(wordsOrPath, paramsOrOptions as CommandOptions);
		return reply.rows;
	}

	/** Runs a command and returns everything it answered, including `!done` attributes. */
	async run(words: readonly string[], options: CommandOptions = {}): Promise<RouterOsReply> {
		if (words.length === 0 || !words[0].startsWith('/')) {
			throw new TypeError('the first word must be a command such as /ppp/secret/print');
		}
		if (words.some((w) => w.startsWith('.tag='))) {
			throw new TypeError('.tag is set by the client');
		}
		if (!this.connected) throw new RouterOsConnectionError('not connected');
		return this.#send(words, options.timeoutMs ?? this.#options.commandTimeoutMs ?? 30_000);
	}

	/** `<path>/print` with optional filters and property list. */
	print(path: string, query: PrintQuery = {}, options?: CommandOptions): Promise<RouterOsRow[]> {
		const words = [commandWord(path, 'print')];
		if (query.proplist) words.push(`=.proplist=${query.proplist.join(',')}`);
		for (const [name, value] of Object.entries(query.where ?? {})) {
			if (value === undefined || value === null) continue;
			words.push(`?${name}=${paramValue(value)}`);
		}
		for (const word of query.query ?? []) {
			if (!word.startsWith('?')) throw new TypeError(`not a query word: ${word}`);
			words.push(word);
		}
		return this.command(words, options);
	}

	/** `<path>/add`; resolves with the new item's `.id` (`!done =ret=`). */
	async add(path: string, props: CommandParams, options?: CommandOptions): Promise<string> {
		const reply = await this.run(toWords(commandWord(path, 'add'), props), options);
		const id = reply.done.ret;
		if (id === undefined) throw new RouterOsError(`${commandWord(path, 'add')}: no id returned`);
		return id;
	}

	/** `<path>/set =.id=<id>` (an `*ID`, a comma list, or the name on named menus). */
	async set(
		path: string,
		id: string,
		props: CommandParams,
		options?: CommandOptions
	): Promise<void> {
		await this.run(toWords(commandWord(path, 'set'), { '.id': id, ...props }), options);
	}

	/** `<path>/unset =.id=<id> =value-name=<name>`, e.g. to drop a static remote-address. */
	async unset(
		path: string,
		id: string,
		valueName: string,
		options?: CommandOptions
	): Promise<void> {
		await this.run(
			toWords(commandWord(path, 'unset'), { '.id': id, 'value-name': valueName }),
			options
		);
	}

	/** `<path>/remove =.id=<ids>`; traps `no such item` when one is missing. */
	async remove(
		path: string,
		id: string | readonly string[],
		options?: CommandOptions
	): Promise<void> {
		const ids = typeof id === 'string' ? id : id.join(',');
		await this.run(toWords(commandWord(path, 'remove'), { '.id': ids }), options);
	}

	async #open(): Promise<void> {
		const connectTimeoutMs = this.#options.connectTimeoutMs ?? 5000;
		const socket = this.#createSocket();
		this.#socket = socket;
		this.#decoder = new SentenceDecoder();
		this.#socketError = undefined;
		this.#closedByUs = false;
		this.#ready = false;
		socket.setNoDelay(true);
		// Detects a router that vanished while the connection sits idle; never fires an exception.
		socket.setKeepAlive(true, 30_000);
		socket.on('data', (chunk: Buffer) => this.#onData(socket, chunk));
		socket.on('error', (error: Error) => {
			// Only the first error of the current socket explains its close; later ones are echoes.
			if (socket === this.#socket) this.#socketError ??= error;
		});
		socket.on('close', () => this.#onSocketClose(socket));

		const started = Date.now();
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#teardown(
					new RouterOsConnectionError(`connect to ${this.host}:${this.port} timed out`, {
						code: 'ETIMEDOUT'
					})
				);
			}, connectTimeoutMs);
			this.#abortConnect = (error) => {
				clearTimeout(timer);
				this.#abortConnect = undefined;
				reject(error);
			};
			socket.once(this.#options.tls ? 'secureConnect' : 'connect', () => {
				const pinned = this.#options.fingerprint256;
				if (pinned !== undefined) {
					const seen = (socket as tls.TLSSocket).getPeerCertificate().fingerprint256 ?? '';
					if (normalizeFingerprint(seen) !== normalizeFingerprint(pinned)) {
						// Before the login goes out: the password is not for whoever this is.
						this.#teardown(
							new RouterOsConnectionError(
								`router certificate fingerprint does not match the configured one (got ${seen || 'none'})`,
								{ code: 'ERR_TLS_CERT_FINGERPRINT' }
							)
						);
						return;
					}
				}
				clearTimeout(timer);
				this.#abortConnect = undefined;
				resolve();
			});
		});

		const loginTimeout = Math.max(1, connectTimeoutMs - (Date.now() - started));
		try {
			await this.#login(loginTimeout);
		} catch (error) {
			this.#teardown(
				error instanceof RouterOsError ? error : new RouterOsConnectionError('login failed')
			);
			throw error;
		}
		this.#ready = true;
	}

	#createSocket(): net.Socket {
		const { host } = this;
		if (!this.#options.tls) return net.connect({ host, port: this.port });
		const anonymous = this.#options.anonymousDh === true;
		// A pinned fingerprint replaces the CA check (done on secureConnect, in #open).
		const pinned = this.#options.fingerprint256 !== undefined;
		return tls.connect({
			host,
			port: this.port,
			// An IP address is not a valid SNI name (Node warns), so only send real host names.
			servername: this.#options.servername ?? (net.isIP(host) ? undefined : host),
			ca: this.#options.ca as tls.ConnectionOptions['ca'],
			rejectUnauthorized: anonymous || pinned ? false : (this.#options.rejectUnauthorized ?? true),
			...(anonymous ? { ciphers: ANONYMOUS_DH_CIPHERS, maxVersion: 'TLSv1.2' as const } : {})
		});
	}

	async #login(timeoutMs: number): Promise<void> {
		const first = await this.#loginStep(
			['/login', `=name=${this.user}`, `=password=${this.#password}`],
			timeoutMs
		);
		const challenge = first.done.ret;
		// A pre-6.43 router ignores the password and answers with a challenge (docs/router-work.md ›
		// Login).
		if (challenge === undefined) return;
		const response = legacyLoginResponse(this.#password, challenge);
		await this.#loginStep(['/login', `=name=${this.user}`, `=response=${response}`], timeoutMs);
	}

	async #loginStep(words: string[], timeoutMs: number): Promise<RouterOsReply> {
		try {
			return await this.#send(words, timeoutMs);
		} catch (error) {
			if (error instanceof RouterOsTrapError) throw new RouterOsLoginError(error.routerMessage);
			throw error;
		}
	}

	#send(words: readonly string[], timeoutMs: number): Promise<RouterOsReply> {
		const socket = this.#socket;
		if (!socket) return Promise.reject(new RouterOsConnectionError('not connected'));
		const tag = String(++this.#nextTag);
		const command = words[0];
		return new Promise<RouterOsReply>((resolve, reject) => {
			const entry: Pending = {
				command,
				rows: [],
				empty: false,
				trap: undefined,
				timer: undefined,
				settle: { resolve, reject }
			};
			if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
				entry.timer = setTimeout(() => this.#expire(tag, entry, timeoutMs), timeoutMs);
			}
			this.#pending.set(tag, entry);
			socket.write(encodeSentence([...words, `.tag=${tag}`]));
		});
	}

	/** Deadline passed: answer the caller now, ask the router to stop, forget the tag at `!done`. */
	#expire(tag: string, entry: Pending, timeoutMs: number): void {
		entry.timer = undefined;
		entry.settle?.reject(new RouterOsTimeoutError(entry.command, timeoutMs));
		entry.settle = undefined;
		const socket = this.#socket;
		if (!socket) return;
		const cancelTag = String(++this.#nextTag);
		const cancel: Pending = {
			command: '/cancel',
			rows: [],
			empty: false,
			trap: undefined,
			settle: undefined,
			// A router that cannot even acknowledge /cancel is wedged: drop the connection so the
			// caller reconnects instead of queueing more commands behind it.
			timer: setTimeout(() => {
				this.#teardown(
					new RouterOsConnectionError('router did not answer /cancel; connection dropped', {
						code: 'ETIMEDOUT'
					})
				);
			}, this.#options.cancelTimeoutMs ?? 2000)
		};
		this.#pending.set(cancelTag, cancel);
		socket.write(encodeSentence(['/cancel', `=tag=${tag}`, `.tag=${cancelTag}`]));
	}

	#onData(socket: net.Socket, chunk: Buffer): void {
		if (socket !== this.#socket) return;
		let sentences: string[][];
		try {
			sentences = this.#decoder.push(chunk);
		} catch (error) {
			this.#teardown(new RouterOsConnectionError('protocol error from router', { cause: error }));
			return;
		}
		for (const sentence of sentences) {
			// A !fatal earlier in the same chunk has already closed this connection.
			if (socket !== this.#socket) return;
			this.#dispatch(sentence);
		}
	}

	#dispatch(sentence: string[]): void {
		const [reply, ...words] = sentence;
		const { tag, row, bare } = rowOf(words);
		if (reply === '!fatal') {
			// Real routers send the reason as a bare word; some fakes use =message= (docs/router-work.md
			// › Replies).
			this.#teardown(new RouterOsFatalError(row.message ?? bare.join(' ')));
			return;
		}
		const entry = tag === undefined ? undefined : this.#pending.get(tag);
		if (!entry || tag === undefined) {
			// Untagged or already forgotten (late answer to a cancelled command): nothing waits.
			if (!['!re', '!done', '!trap', '!empty'].includes(reply))
				this.#options.onUnknownReply?.(sentence);
			return;
		}
		switch (reply) {
			case '!re':
				entry.rows.push(row);
				return;
			case '!empty':
				// RouterOS 7.18+: "nothing matched"; the !done still follows.
				entry.empty = true;
				return;
			case '!trap': {
				const category = row.category === undefined ? undefined : Number(row.category);
				entry.trap ??= new RouterOsTrapError(
					row.message ?? '',
					Number.isInteger(category) ? category : undefined,
					entry.command
				);
				return;
			}
			case '!done':
				this.#pending.delete(tag);
				clearTimeout(entry.timer);
				if (!entry.settle) return;
				if (entry.trap) entry.settle.reject(entry.trap);
				else entry.settle.resolve({ rows: entry.rows, done: row, empty: entry.empty });
				return;
			default:
				this.#options.onUnknownReply?.(sentence);
		}
	}

	#onSocketClose(socket: net.Socket): void {
		if (socket !== this.#socket) return;
		const cause = this.#socketError;
		const code = (cause as NodeJS.ErrnoException | undefined)?.code;
		const message = cause
			? `connection to ${this.host}:${this.port} failed: ${cause.message}`
			: `connection to ${this.host}:${this.port} closed by the router`;
		this.#teardown(new RouterOsConnectionError(message, { cause, code }));
	}

	/** Ends the current connection once: rejects everything in flight and reports the close. */
	#teardown(error: RouterOsError): void {
		const socket = this.#socket;
		if (!socket) return;
		this.#socket = undefined;
		this.#ready = false;
		const byUs = this.#closedByUs;
		if (byUs) socket.end();
		else socket.destroy();
		// end() lets the FIN go out cleanly; make sure the socket still goes away if the peer
		// never answers it.
		if (byUs) setTimeout(() => socket.destroy(), 1000).unref();
		const pending = [...this.#pending.values()];
		this.#pending.clear();
		for (const entry of pending) {
			clearTimeout(entry.timer);
			// A command that already got its !trap failed for that reason, whatever came next.
			entry.settle?.reject(entry.trap ?? error);
		}
		this.#abortConnect?.(error);
		const onClose = this.#options.onClose;
		if (onClose) queueMicrotask(() => onClose(byUs ? undefined : error));
	}
}
