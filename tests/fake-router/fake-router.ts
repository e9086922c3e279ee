/**
 * Fake RouterOS API server for tests and the demo (loopback only). It follows the documented
 * transcripts recorded in docs/router-work.md › RouterOS API facts: both login styles, `!trap` then
 * `!done`, `!empty` + `!done` for prints that match nothing on 7.18+, a bare-word `!fatal`, the
 * `/cancel` order, `!done =ret=*ID` on add, the query stack and the documented error texts. Error
 * texts MikroTik does not document are marked "undocumented".
 *
 * The framing reuses the agent's codec; that codec has golden-vector tests of its own, and the
 * conformance suite drives this fake with two independent clients (node-routeros, librouteros),
 * so a shared framing bug would not go unnoticed.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import {
	SentenceDecoder,
	encodeSentence,
	encodeWord,
	parseAttributeWord
} from '../../edge-agent/src/routeros/codec';

export type FakeRouterVersion = '6.42' | '6.49' | '7.18';
export type FakeUser = { name: string; password: string };
export type FakeMenu =
	'/ppp/secret' | '/ppp/profile' | '/ppp/active' | '/ip/pool' | '/ip/firewall/address-list';
/** One item as the router prints it, `.id` included. */
export type FakeRow = Record<string, string>;

export type FakeFault =
	/**
	 * Destroy the socket when the next command arrives (`reset` sends an RST instead of a FIN).
	 * With `afterCommands`, until cleared: every connection is destroyed when its n-th command
	 * (`/login` included) arrives, a router that fails every connection part-way.
	 */
	| { kind: 'drop'; reset?: boolean; command?: string; afterCommands?: number }
	/** Never answer the next command; `/cancel` still works unless `ignoreCancel`. */
	| { kind: 'stall'; ignoreCancel?: boolean; command?: string }
	/**
	 * Until cleared: every word (or, with `bytes`, every byte) in its own write, `delayMs` apart
	 * (default 1; 0 = next event-loop turn via setImmediate).
	 */
	| { kind: 'split'; bytes?: boolean; delayMs?: number }
	/** Answer the next command with `!fatal <reason>` (bare word; `null` = no reason) and close. */
	| { kind: 'fatal'; reason?: string | null; command?: string }
	/** Stop listening (connections refused) until `setFault(null)` reopens the same port. */
	| { kind: 'refuse' };

export type FakeLogEntry = {
	seq: number;
	connection: number;
	command: string;
	/** All words, `=password=` and `=response=` values replaced by `***`. */
	words: string[];
	tag: string | undefined;
	/** Reply words sent for this command so far (`!re`, `!empty`, `!trap`, `!done`). */
	replies: string[];
};

export type FakeActiveSession = {
	name: string;
	address?: string;
	callerId?: string;
	service?: string;
	uptime?: string;
};

export type FakeRouterOptions = {
	/** Default '7.18'. <6.43 logs in by MD5 challenge; ≥7.18 answers empty prints with `!empty`. */
	version?: FakeRouterVersion;
	host?: string;
	/** Default 0 (any free port). */
	port?: number;
	/** Default one user `admin` / `admin`. */
	users?: readonly FakeUser[];
	identity?: string;
	/** Time between `/ping` replies (default 20 ms; a real router waits `interval`, 1 s). */
	pingIntervalMs?: number;
	/** Addresses that answer `/ping` besides 127.0.0.0/8 and active PPP sessions. */
	reachableAddresses?: readonly string[];
	/** api-ssl: without a certificate (anonymous DH, like a stock router) or a self-signed one. */
	tls?: 'anonymous' | 'certificate';
	/** Initial items per menu (without `.id`). */
	seed?: Partial<Record<FakeMenu, readonly Record<string, string>[]>>;
	/** Fixed legacy-login challenge (32 hex digits), for golden-vector tests. */
	legacyChallenge?: string;
	/** Called after each command has been handled (its synchronous replies are queued). */
	onCommand?: (entry: FakeLogEntry, state: FakeRouterState) => void;
};

export type FakeRouter = {
	readonly host: string;
	readonly port: number;
	readonly version: FakeRouterVersion;
	readonly users: readonly FakeUser[];
	readonly state: FakeRouterState;
	/** PEM of the self-signed certificate with `tls: 'certificate'`. */
	readonly certificate: string | undefined;
	setFault(fault: FakeFault | null): Promise<void>;
	addActiveSession(session: FakeActiveSession): string;
	/** By name or `.id`; returns how many sessions were removed. */
	removeActiveSession(nameOrId: string): number;
	/** Drops every open client connection (an idle router restart). */
	dropConnections(options?: { reset?: boolean }): void;
	close(): Promise<void>;
};

type MenuSchema = {
	/** Properties accepted by add/set, in print order. */
	writable: readonly string[];
	defaults: Readonly<Record<string, string>>;
	required: readonly string[];
	/** Properties whose combination must be unique, with the trap text for a duplicate. */
	unique?: { keys: readonly string[]; message: string };
	booleans?: readonly string[];
	/** `.id` may also be given as the item's name. */
	named: boolean;
	canAdd: boolean;
	canSet: boolean;
};

const MENUS: Record<FakeMenu, MenuSchema> = {
	'/ppp/secret': {
		writable: [
			'name',
			'service',
			'caller-id',
			'password',
			'profile',
			'local-address',
			'remote-address',
			'routes',
			'limit-bytes-in',
			'limit-bytes-out',
			'disabled',
			'comment'
		],
		defaults: { service: 'any', profile: 'default', disabled: 'false' },
		required: ['name'],
		unique: { keys: ['name'], message: 'failure: secret with the same name already exists' },
		booleans: ['disabled'],
		named: true,
		canAdd: true,
		canSet: true
	},
	'/ppp/profile': {
		writable: [
			'name',
			'local-address',
			'remote-address',
			'rate-limit',
			'only-one',
			'address-list',
			'dns-server',
			'idle-timeout',
			'session-timeout',
			'comment'
		],
		defaults: { 'only-one': 'default' },
		required: ['name'],
		// Undocumented (node-routeros issue #26 quotes it for a duplicate name).
		unique: { keys: ['name'], message: 'failure: already have such name' },
		named: true,
		canAdd: true,
		canSet: true
	},
	'/ppp/active': {
		writable: [],
		defaults: {},
		required: [],
		named: false,
		canAdd: false,
		canSet: false
	},
	'/ip/pool': {
		writable: ['name', 'ranges', 'next-pool', 'comment'],
		defaults: {},
		required: ['name', 'ranges'],
		unique: { keys: ['name'], message: 'failure: already have such name' },
		named: true,
		canAdd: true,
		canSet: true
	},
	'/ip/firewall/address-list': {
		writable: ['list', 'address', 'timeout', 'comment', 'disabled'],
		defaults: { disabled: 'false', dynamic: 'false' },
		required: ['list', 'address'],
		unique: { keys: ['list', 'address'], message: 'failure: already have such entry' },
		booleans: ['disabled'],
		named: false,
		canAdd: true,
		canSet: true
	}
};

const ACTIVE_ORDER = [
	'name',
	'service',
	'caller-id',
	'address',
	'uptime',
	'encoding',
	'session-id',
	'radius'
];

const MENU_NAMES = Object.keys(MENUS) as FakeMenu[];

/** Built-in profiles with their real `.id`s; they cannot be removed. */
const BUILTIN_PROFILES: FakeRow[] = [
	{ '.id': '*0', name: 'default', 'only-one': 'default' },
	{ '.id': '*FFFFFFFE', name: 'default-encryption', 'only-one': 'default' }
];

class TrapSignal {
	constructor(
		readonly message: string,
		readonly category?: number
	) {}
}

const trap = (message: string, category?: number): TrapSignal => new TrapSignal(message, category);

function redact(word: string): string {
	if (word.startsWith('=password=')) return '=password=***';
	if (word.startsWith('=response=')) return '=response=***';
	return word;
}

function formatDuration(ms: number): string {
	let s = Math.floor(ms / 1000);
	const parts: [number, string][] = [];
	for (const [size, unit] of [
		[604800, 'w'],
		[86400, 'd'],
		[3600, 'h'],
		[60, 'm']
	] as const) {
		parts.push([Math.floor(s / size), unit]);
		s %= size;
	}
	const text = parts
		.filter(([n]) => n > 0)
		.map(([n, u]) => `${n}${u}`)
		.join('');
	return `${text}${s}s`;
}

function compareValues(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * RouterOS query stack (docs/router-work.md › print, .proplist and queries): each word pushes a
 * boolean; `?#` operators combine them; the stack starts as infinitely many `true` (so popping an
 * empty stack gives `true`); an item matches when no `false` is left. `?#<n>` pushes a copy of the
 * n-th value from the top (0 = top).
 */
export function matchesQuery(row: FakeRow, queries: readonly string[]): boolean {
	const stack: boolean[] = [];
	const pop = (): boolean => (stack.length > 0 ? (stack.pop() as boolean) : true);
	for (const word of queries) {
		const body = word.slice(1);
		if (body.startsWith('#')) {
			for (const op of body.slice(1).match(/\d+|./g) ?? []) {
				if (op === '!') stack.push(!pop());
				else if (op === '&') stack.push(pop() && pop());
				else if (op === '|') {
					const a = pop();
					const b = pop();
					stack.push(a || b);
				} else if (op === '.') pop();
				else if (/^\d+$/.test(op)) {
					const i = stack.length - 1 - Number(op);
					stack.push(i >= 0 ? stack[i] : true);
				}
			}
			continue;
		}
		if (body.startsWith('-')) {
			const value = row[body.slice(1)];
			stack.push(value === undefined || value === '');
			continue;
		}
		const op = body[0] === '<' || body[0] === '>' || body[0] === '=' ? body[0] : '';
		const rest = op ? body.slice(1) : body;
		const eq = rest.indexOf('=');
		if (eq < 0 && op === '') {
			const value = row[rest];
			stack.push(value !== undefined && value !== '');
			continue;
		}
		const name = eq < 0 ? rest : rest.slice(0, eq);
		const wanted = eq < 0 ? '' : rest.slice(eq + 1);
		const value = row[name];
		if (op === '<') stack.push(value !== undefined && compareValues(value, wanted) < 0);
		else if (op === '>') stack.push(value !== undefined && compareValues(value, wanted) > 0);
		else stack.push((value ?? '') === wanted);
	}
	return stack.every(Boolean);
}

export class FakeRouterState {
	readonly version: FakeRouterVersion;
	identity: string;
	readonly startedAt = Date.now();
	readonly tables: Record<FakeMenu, FakeRow[]>;
	readonly log: FakeLogEntry[] = [];
	readonly commandCounts = new Map<string, number>();
	/** Successful logins. */
	logins = 0;
	/** Reply sentences written so far (to see that a cancelled command went quiet). */
	sentencesSent = 0;
	/** Connections accepted so far / open now. */
	connectionsAccepted = 0;
	connectionsOpen = 0;
	readonly #nextId = new Map<FakeMenu, number>();

	constructor(version: FakeRouterVersion, identity: string) {
		this.version = version;
		this.identity = identity;
		this.tables = {
			'/ppp/secret': [],
			'/ppp/profile': BUILTIN_PROFILES.map((p) => ({ ...p })),
			'/ppp/active': [],
			'/ip/pool': [],
			'/ip/firewall/address-list': []
		};
	}

	/** A router reset to its defaults (or replaced by a new one): every menu as from the factory. */
	reset(): void {
		for (const menu of MENU_NAMES) this.tables[menu].length = 0;
		this.tables['/ppp/profile'].push(...BUILTIN_PROFILES.map((p) => ({ ...p })));
	}

	/** Copies of the items of a menu. */
	rows(menu: FakeMenu): FakeRow[] {
		return this.tables[menu].map((row) => ({ ...row }));
	}

	/** First item whose properties include all of `props`. */
	find(menu: FakeMenu, props: Readonly<Record<string, string>>): FakeRow | undefined {
		const row = this.tables[menu].find((r) => Object.entries(props).every(([k, v]) => r[k] === v));
		return row ? { ...row } : undefined;
	}

	/** How many times a command word was received (`/ppp/secret/add`, `/login`, `/cancel`, …). */
	count(command: string): number {
		return this.commandCounts.get(command) ?? 0;
	}

	newId(menu: FakeMenu): string {
		const n = this.#nextId.get(menu) ?? 1;
		this.#nextId.set(menu, n + 1);
		return `*${n.toString(16).toUpperCase()}`;
	}
}

type Command = {
	command: string;
	attrs: Map<string, string>;
	queries: string[];
	tag: string | undefined;
};

type Running = { timer: NodeJS.Timeout | undefined; ignoreCancel: boolean };

/** `pause`: wait this many ms (0 = setImmediate) before the next write; undefined = none. */
type OutItem = { data: Buffer; pause: number | undefined } | { end: true };

class Connection {
	readonly decoder = new SentenceDecoder();
	loggedIn = false;
	/** Commands received on this connection. */
	commands = 0;
	challenge: Buffer | undefined;
	/** Commands still running (ping, stalled), by tag ('' for untagged). */
	readonly running = new Map<string, Running>();
	/** Latest log entry per tag ('' for untagged), to record what was answered. */
	readonly entries = new Map<string, FakeLogEntry>();
	readonly #queue: OutItem[] = [];
	#pumping = false;
	#corked = false;
	#pumpTimer: NodeJS.Timeout | undefined;
	#pumpImmediate: NodeJS.Immediate | undefined;

	constructor(
		readonly id: number,
		readonly socket: net.Socket,
		private readonly router: Router
	) {}

	send(words: readonly string[], tag: string | undefined): void {
		// The doc examples put .tag last; clients must not depend on the position.
		const all = tag === undefined ? [...words] : [...words, `.tag=${tag}`];
		this.router.state.sentencesSent += 1;
		this.entries.get(tag ?? '')?.replies.push(words[0]);
		const fault = this.router.fault;
		if (fault?.kind === 'split') {
			const delayMs = fault.delayMs ?? 1;
			const chunks = [...all.map((w) => encodeWord(w)), Buffer.from([0])];
			for (const chunk of chunks) {
				if (fault.bytes) {
					for (const byte of chunk) this.#queue.push({ data: Buffer.from([byte]), pause: delayMs });
				} else this.#queue.push({ data: chunk, pause: delayMs });
			}
		} else {
			this.#queue.push({ data: encodeSentence(all), pause: undefined });
		}
		this.#pump();
	}

	trap(message: string, tag: string | undefined, category?: number): void {
		const words = ['!trap'];
		if (category !== undefined) words.push(`=category=${category}`);
		words.push(`=message=${message}`);
		this.send(words, tag);
		this.send(['!done'], tag);
	}

	endAfterFlush(): void {
		this.#queue.push({ end: true });
		this.#pump();
	}

	dispose(): void {
		clearTimeout(this.#pumpTimer);
		if (this.#pumpImmediate) clearImmediate(this.#pumpImmediate);
		this.#queue.length = 0;
		for (const run of this.running.values()) clearTimeout(run.timer);
		this.running.clear();
	}

	/**
	 * Replies written in the same tick (the answers to a run of pipelined commands) leave in one
	 * system call, as a router's TCP stack would send them, not one per sentence.
	 */
	#corkUntilNextTick(): void {
		if (this.#corked) return;
		this.#corked = true;
		this.socket.cork();
		process.nextTick(() => {
			this.#corked = false;
			this.socket.uncork();
		});
	}

	#pump(): void {
		if (this.#pumping) return;
		this.#pumping = true;
		const next = (): void => {
			this.#pumpTimer = undefined;
			this.#pumpImmediate = undefined;
			while (this.#queue.length > 0) {
				if (this.socket.destroyed) {
					this.#queue.length = 0;
					break;
				}
				const item = this.#queue.shift() as OutItem;
				if ('end' in item) {
					this.socket.end();
					continue;
				}
				this.#corkUntilNextTick();
				this.socket.write(item.data);
				// A timer between writes (with Nagle off) makes them separate TCP segments.
				if (item.pause !== undefined && this.#queue.length > 0) {
					if (item.pause > 0) this.#pumpTimer = setTimeout(next, item.pause);
					else this.#pumpImmediate = setImmediate(next);
					return;
				}
			}
			this.#pumping = false;
		};
		next();
	}
}

class Router {
	readonly state: FakeRouterState;
	readonly users: readonly FakeUser[];
	fault: FakeFault | null = null;
	readonly connections = new Set<Connection>();
	/** Every server ever opened (refuse/reopen makes several), resolved once fully closed. */
	readonly servers = new Map<net.Server, Promise<void>>();
	server: net.Server | undefined;
	port = 0;
	certificate: string | undefined;
	#key: string | undefined;
	#nextConnection = 0;
	#seq = 0;

	constructor(
		readonly options: FakeRouterOptions,
		readonly host: string
	) {
		const version = options.version ?? '7.18';
		this.state = new FakeRouterState(version, options.identity ?? 'FakeRouter');
		this.users = options.users ?? [{ name: 'admin', password: 'admin' }];
		for (const menu of MENU_NAMES) {
			for (const props of options.seed?.[menu] ?? []) {
				if (menu === '/ppp/active') this.addActive({ name: props.name ?? '', ...props });
				else this.state.tables[menu].push(this.#build(menu, { ...props }));
			}
		}
		if (options.tls === 'certificate') this.#makeCertificate();
	}

	get legacyLogin(): boolean {
		return this.state.version === '6.42';
	}

	get emptyReplies(): boolean {
		return this.state.version === '7.18';
	}

	async listen(port: number): Promise<void> {
		const onSocket = (socket: net.Socket): void => this.#accept(socket);
		let server: net.Server;
		if (this.options.tls === 'anonymous') {
			server = tls.createServer(
				{ ciphers: 'ADH:@SECLEVEL=0', dhparam: 'auto', maxVersion: 'TLSv1.2' },
				onSocket
			);
		} else if (this.options.tls === 'certificate') {
			server = tls.createServer({ key: this.#key, cert: this.certificate }, onSocket);
		} else {
			server = net.createServer(onSocket);
		}
		// A client that fails the TLS handshake is its own problem, not a crash of the fake.
		server.on('tlsClientError', () => undefined);
		this.servers.set(server, new Promise((resolve) => server.once('close', () => resolve())));
		await new Promise<void>((resolve, reject) => {
			server.once('error', (error) => {
				this.servers.delete(server);
				reject(error);
			});
			server.listen(port, this.host, () => resolve());
		});
		this.server = server;
		this.port = (server.address() as net.AddressInfo).port;
	}

	stopListening(): void {
		// close() stops accepting at once; its callback would wait for open connections.
		this.server?.close();
		this.server = undefined;
	}

	addActive(session: FakeActiveSession & Record<string, string | undefined>): string {
		const id = this.state.newId('/ppp/active');
		const row: FakeRow = {
			'.id': id,
			name: session.name,
			service: session.service ?? 'pppoe',
			'caller-id': session.callerId ?? session['caller-id'] ?? '',
			address: session.address ?? '',
			uptime: session.uptime ?? '0s',
			encoding: '',
			'session-id': `0x8${id.slice(1).padStart(7, '0')}`,
			radius: 'false'
		};
		this.state.tables['/ppp/active'].push(row);
		return id;
	}

	#makeCertificate(): void {
		// Node cannot mint X.509 certificates itself; openssl is on every Debian host.
		const dir = mkdtempSync(join(tmpdir(), 'fake-router-'));
		try {
			execFileSync(
				'openssl',
				[
					'req',
					'-x509',
					'-newkey',
					'ec',
					'-pkeyopt',
					'ec_paramgen_curve:prime256v1',
					'-nodes',
					'-subj',
					'/CN=fake-router',
					'-addext',
					'subjectAltName=IP:127.0.0.1,DNS:localhost',
					'-days',
					'1',
					'-keyout',
					join(dir, 'key.pem'),
					'-out',
					join(dir, 'cert.pem')
				],
				{ stdio: 'ignore' }
			);
			this.#key = readFileSync(join(dir, 'key.pem'), 'utf8');
			this.certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}

	#accept(socket: net.Socket): void {
		const conn = new Connection(++this.#nextConnection, socket, this);
		this.connections.add(conn);
		this.state.connectionsAccepted += 1;
		this.state.connectionsOpen += 1;
		socket.setNoDelay(true);
		socket.on('data', (chunk: Buffer) => {
			let sentences: string[][];
			try {
				sentences = conn.decoder.push(chunk);
			} catch {
				// Garbage framing: a real router drops such a client.
				socket.destroy();
				return;
			}
			for (const words of sentences) {
				if (socket.destroyed) return;
				this.#handle(conn, words);
			}
		});
		// Clients vanish all the time in fault tests; an ECONNRESET here is expected.
		socket.on('error', () => undefined);
		socket.on('close', () => {
			conn.dispose();
			if (this.connections.delete(conn)) this.state.connectionsOpen -= 1;
		});
	}

	#takeFault(conn: Connection, command: string): FakeFault | undefined {
		const fault = this.fault;
		if (!fault || command === '/cancel') return undefined;
		if (fault.kind !== 'drop' && fault.kind !== 'stall' && fault.kind !== 'fatal') return undefined;
		if (fault.command !== undefined && fault.command !== command) return undefined;
		if (fault.kind === 'drop' && fault.afterCommands !== undefined) {
			return conn.commands >= fault.afterCommands ? fault : undefined;
		}
		this.fault = null;
		return fault;
	}

	#handle(conn: Connection, words: string[]): void {
		const cmd: Command = { command: words[0], attrs: new Map(), queries: [], tag: undefined };
		for (const word of words.slice(1)) {
			if (word.startsWith('.tag=')) cmd.tag = word.slice(5);
			else if (word.startsWith('?')) cmd.queries.push(word);
			else {
				const attr = parseAttributeWord(word);
				if (attr) cmd.attrs.set(attr[0], attr[1]);
			}
		}
		const entry: FakeLogEntry = {
			seq: ++this.#seq,
			connection: conn.id,
			command: cmd.command,
			words: words.map(redact),
			tag: cmd.tag,
			replies: []
		};
		this.state.log.push(entry);
		conn.entries.set(cmd.tag ?? '', entry);
		this.state.commandCounts.set(cmd.command, this.state.count(cmd.command) + 1);

		conn.commands += 1;
		const fault = this.#takeFault(conn, cmd.command);
		if (fault?.kind === 'drop') {
			if (fault.reset) conn.socket.resetAndDestroy();
			else conn.socket.destroy();
		} else if (fault?.kind === 'stall') {
			conn.running.set(cmd.tag ?? '', {
				timer: undefined,
				ignoreCancel: fault.ignoreCancel === true
			});
		} else if (fault?.kind === 'fatal') {
			conn.send(
				fault.reason === null ? ['!fatal'] : ['!fatal', fault.reason ?? 'fault injected'],
				undefined
			);
			conn.endAfterFlush();
		} else {
			try {
				this.#execute(conn, cmd);
			} catch (error) {
				if (!(error instanceof TrapSignal)) throw error;
				conn.trap(error.message, cmd.tag, error.category);
			}
		}
		this.options.onCommand?.(entry, this.state);
	}

	#execute(conn: Connection, cmd: Command): void {
		const { command } = cmd;
		if (command === '/login') return this.#login(conn, cmd);
		if (command === '/cancel') return this.#cancel(conn, cmd);
		// Undocumented: what a router says to commands before login.
		if (!conn.loggedIn) throw trap('not logged in', 5);
		if (command === '/quit') {
			conn.send(['!fatal', 'session terminated on request'], undefined);
			conn.endAfterFlush();
			return;
		}
		if (command === '/ping' || command === '/tool/ping') return this.#ping(conn, cmd);
		if (command === '/system/identity/print') {
			return this.#printRows(conn, cmd, [{ name: this.state.identity }]);
		}
		if (command === '/system/resource/print') {
			return this.#printRows(conn, cmd, [this.#resource()]);
		}
		const slash = command.lastIndexOf('/');
		const menu = command.slice(0, slash) as FakeMenu;
		const verb = command.slice(slash + 1);
		const schema = MENUS[menu];
		if (schema) {
			if (verb === 'print' || verb === 'getall') {
				return this.#printRows(conn, cmd, this.state.tables[menu]);
			}
			if (verb === 'add' && schema.canAdd) return this.#add(conn, menu, cmd);
			if (verb === 'set' && schema.canSet) return this.#set(conn, menu, cmd);
			if (verb === 'unset' && schema.canSet) return this.#unset(conn, menu, cmd);
			if (verb === 'remove') return this.#remove(conn, menu, cmd);
		}
		throw trap('no such command prefix');
	}

	#login(conn: Connection, cmd: Command): void {
		const name = cmd.attrs.get('name');
		if (this.legacyLogin) {
			const response = cmd.attrs.get('response');
			if (name !== undefined && response !== undefined && conn.challenge) {
				const user = this.users.find((u) => u.name === name);
				const expected =
					user &&
					'00' +
						createHash('md5')
							.update(Buffer.from([0]))
							.update(user.password)
							.update(conn.challenge)
							.digest('hex');
				conn.challenge = undefined;
				if (!user || response !== expected) throw trap('cannot log in');
				return this.#loggedIn(conn, cmd);
			}
			// Pre-6.43 routers ignore =password= and answer any /login with a challenge.
			conn.challenge = this.options.legacyChallenge
				? Buffer.from(this.options.legacyChallenge, 'hex')
				: randomBytes(16);
			conn.send(['!done', `=ret=${conn.challenge.toString('hex')}`], cmd.tag);
			return;
		}
		const password = cmd.attrs.get('password');
		const user = this.users.find((u) => u.name === name && u.password === password);
		if (!user) throw trap('invalid user name or password (6)');
		this.#loggedIn(conn, cmd);
	}

	#loggedIn(conn: Connection, cmd: Command): void {
		conn.loggedIn = true;
		this.state.logins += 1;
		conn.send(['!done'], cmd.tag);
	}

	#cancel(conn: Connection, cmd: Command): void {
		const target = cmd.attrs.get('tag');
		const victims =
			target === undefined ? [...conn.running.keys()] : conn.running.has(target) ? [target] : [];
		const cancelled: string[] = [];
		for (const victim of victims) {
			const run = conn.running.get(victim) as Running;
			// A wedged router (stall with ignoreCancel) does not even acknowledge /cancel.
			if (run.ignoreCancel) return;
			clearTimeout(run.timer);
			conn.running.delete(victim);
			cancelled.push(victim);
			conn.send(['!trap', '=category=2', '=message=interrupted'], victim || undefined);
		}
		// Documented /cancel order (docs/router-work.md › Tags and /cancel): trap(victim),
		// done(cancel), done(victim).
		conn.send(['!done'], cmd.tag);
		for (const victim of cancelled) conn.send(['!done'], victim || undefined);
	}

	#ping(conn: Connection, cmd: Command): void {
		const address = cmd.attrs.get('address');
		// Undocumented: the usual CLI text for a missing argument.
		if (!address) throw trap('missing value(s) of argument(s) address', 1);
		const countText = cmd.attrs.get('count');
		const count = countText === undefined ? Infinity : Number(countText);
		if (count !== Infinity && (!Number.isInteger(count) || count < 1)) {
			// Undocumented.
			throw trap('invalid value for argument count', 1);
		}
		const reachable =
			address.startsWith('127.') ||
			(this.options.reachableAddresses ?? []).includes(address) ||
			this.state.tables['/ppp/active'].some((s) => s.address === address);
		const v7 = this.state.version === '7.18';
		const rtt = v7 ? '1ms520us' : '1ms';
		const key = cmd.tag ?? '';
		const run: Running = { timer: undefined, ignoreCancel: false };
		conn.running.set(key, run);
		let sent = 0;
		let received = 0;
		const probe = (): void => {
			const row: string[] = ['!re', `=seq=${sent}`, `=host=${address}`];
			sent += 1;
			if (reachable) {
				received += 1;
				row.push('=size=56', '=ttl=64', `=time=${rtt}`);
			} else {
				row.push('=size=56', '=status=timeout');
			}
			row.push(
				`=sent=${sent}`,
				`=received=${received}`,
				`=packet-loss=${Math.floor((100 * (sent - received)) / sent)}`
			);
			if (received > 0) row.push(`=min-rtt=${rtt}`, `=avg-rtt=${rtt}`, `=max-rtt=${rtt}`);
			conn.send(row, cmd.tag);
			if (sent >= count) {
				conn.running.delete(key);
				conn.send(['!done'], cmd.tag);
				return;
			}
			run.timer = setTimeout(probe, this.options.pingIntervalMs ?? 20);
		};
		probe();
	}

	#resource(): FakeRow {
		const release = {
			'6.42': '6.42.12 (stable)',
			'6.49': '6.49.18 (long-term)',
			'7.18': '7.18.2 (stable)'
		};
		return {
			uptime: formatDuration(Date.now() - this.state.startedAt),
			version: release[this.state.version],
			'build-time': '2025-01-01 00:00:00',
			'free-memory': '201326592',
			'total-memory': '268435456',
			cpu: 'QEMU',
			'cpu-count': '1',
			'cpu-load': '1',
			'free-hdd-space': '83886080',
			'total-hdd-space': '134217728',
			'architecture-name': 'x86_64',
			'board-name': 'CHR',
			platform: 'MikroTik'
		};
	}

	#printRows(conn: Connection, cmd: Command, rows: readonly FakeRow[]): void {
		const matched = rows.filter((row) => matchesQuery(row, cmd.queries));
		if (cmd.attrs.has('count-only')) {
			conn.send(['!done', `=ret=${matched.length}`], cmd.tag);
			return;
		}
		const proplist = cmd.attrs.get('.proplist')?.split(',').filter(Boolean);
		for (const row of matched) {
			const keys = proplist ?? Object.keys(row);
			const words = ['!re'];
			for (const key of keys) if (row[key] !== undefined) words.push(`=${key}=${row[key]}`);
			conn.send(words, cmd.tag);
		}
		if (matched.length === 0 && this.emptyReplies) conn.send(['!empty'], cmd.tag);
		conn.send(['!done'], cmd.tag);
	}

	#props(menu: FakeMenu, cmd: Command): Record<string, string> {
		const schema = MENUS[menu];
		const props: Record<string, string> = {};
		for (const [name, value] of cmd.attrs) {
			if (name === '.id' || name === 'numbers' || name === '.proplist') continue;
			// Undocumented in this exact form; v7 says "unknown parameter <name>".
			if (!schema.writable.includes(name)) throw trap(`unknown parameter ${name}`);
			props[name] = schema.booleans?.includes(name) ? this.#bool(name, value) : value;
		}
		return props;
	}

	#bool(name: string, value: string): string {
		if (value === 'yes' || value === 'true') return 'true';
		if (value === 'no' || value === 'false') return 'false';
		throw trap(`input does not match any value of ${name}`, 1);
	}

	#build(menu: FakeMenu, props: Record<string, string>, id?: string): FakeRow {
		const schema = MENUS[menu];
		const merged: Record<string, string> = { ...schema.defaults, ...props };
		const row: FakeRow = { '.id': id ?? this.state.newId(menu) };
		const order = menu === '/ppp/active' ? ACTIVE_ORDER : schema.writable;
		for (const key of [...order, ...Object.keys(merged)]) {
			if (merged[key] !== undefined && row[key] === undefined) row[key] = merged[key];
		}
		return row;
	}

	#check(menu: FakeMenu, row: FakeRow): void {
		const schema = MENUS[menu];
		const missing = schema.required.filter((k) => !row[k]);
		if (missing.length > 0) {
			throw trap(`missing value(s) of argument(s) ${missing.join(' ')}`, 1);
		}
		if (schema.unique) {
			const { keys, message } = schema.unique;
			const clash = this.state.tables[menu].some(
				(other) => other['.id'] !== row['.id'] && keys.every((k) => other[k] === row[k])
			);
			if (clash) throw trap(message);
		}
		if (menu === '/ppp/secret') {
			const profiles = this.state.tables['/ppp/profile'];
			if (!profiles.some((p) => p.name === row.profile)) {
				throw trap('input does not match any value of profile', 1);
			}
		}
	}

	#add(conn: Connection, menu: FakeMenu, cmd: Command): void {
		const row = this.#build(menu, this.#props(menu, cmd), '*pending');
		this.#check(menu, row);
		row['.id'] = this.state.newId(menu);
		this.state.tables[menu].push(row);
		conn.send(['!done', `=ret=${row['.id']}`], cmd.tag);
	}

	/** Resolves `=.id=` / `=numbers=` (comma list of `*ID`s, or names on named menus). */
	#targets(menu: FakeMenu, cmd: Command): FakeRow[] {
		const ref = cmd.attrs.get('.id') ?? cmd.attrs.get('numbers');
		if (ref === undefined || ref === '') throw trap('no such item');
		const table = this.state.tables[menu];
		return ref.split(',').map((part) => {
			const row = table.find(
				(r) => r['.id'] === part || (MENUS[menu].named && !part.startsWith('*') && r.name === part)
			);
			if (!row) throw trap('no such item');
			return row;
		});
	}

	#set(conn: Connection, menu: FakeMenu, cmd: Command): void {
		const targets = this.#targets(menu, cmd);
		const props = this.#props(menu, cmd);
		const updated = targets.map((row) => this.#build(menu, { ...row, ...props }, row['.id']));
		for (const row of updated) this.#check(menu, row);
		const table = this.state.tables[menu];
		for (const row of updated) table[table.findIndex((r) => r['.id'] === row['.id'])] = row;
		conn.send(['!done'], cmd.tag);
	}

	#unset(conn: Connection, menu: FakeMenu, cmd: Command): void {
		const targets = this.#targets(menu, cmd);
		const name = cmd.attrs.get('value-name') ?? '';
		if (!MENUS[menu].writable.includes(name) || MENUS[menu].required.includes(name)) {
			throw trap(`unknown parameter ${name}`);
		}
		for (const row of targets) {
			const fallback = MENUS[menu].defaults[name];
			if (fallback === undefined) delete row[name];
			else row[name] = fallback;
		}
		conn.send(['!done'], cmd.tag);
	}

	#remove(conn: Connection, menu: FakeMenu, cmd: Command): void {
		const targets = this.#targets(menu, cmd);
		if (
			menu === '/ppp/profile' &&
			targets.some((r) => BUILTIN_PROFILES.some((b) => b.name === r.name))
		) {
			// Undocumented text; the two built-in profiles cannot be removed (docs/router-work.md › What
			// the handlers send).
			throw trap('failure: cannot remove default profile');
		}
		const ids = new Set(targets.map((r) => r['.id']));
		const table = this.state.tables[menu];
		this.state.tables[menu] = table.filter((r) => !ids.has(r['.id']));
		conn.send(['!done'], cmd.tag);
	}
}

/** Starts a fake router on 127.0.0.1 (port 0 = any free port by default). */
export async function startFakeRouter(options: FakeRouterOptions = {}): Promise<FakeRouter> {
	const host = options.host ?? '127.0.0.1';
	const router = new Router(options, host);
	await router.listen(options.port ?? 0);
	let closed = false;

	const handle: FakeRouter = {
		host,
		get port() {
			return router.port;
		},
		version: router.state.version,
		users: router.users,
		state: router.state,
		certificate: router.certificate,
		async setFault(fault) {
			const wasRefusing = router.fault?.kind === 'refuse';
			router.fault = fault;
			if (fault?.kind === 'refuse' && !wasRefusing) router.stopListening();
			if (fault?.kind !== 'refuse' && wasRefusing && !closed) await router.listen(router.port);
		},
		addActiveSession(session) {
			return router.addActive(session);
		},
		removeActiveSession(nameOrId) {
			const table = router.state.tables['/ppp/active'];
			const keep = table.filter((s) => s['.id'] !== nameOrId && s.name !== nameOrId);
			router.state.tables['/ppp/active'] = keep;
			return table.length - keep.length;
		},
		dropConnections({ reset = false } = {}) {
			for (const conn of router.connections) {
				if (reset) conn.socket.resetAndDestroy();
				else conn.socket.destroy();
			}
		},
		async close() {
			if (closed) return;
			closed = true;
			router.stopListening();
			for (const conn of router.connections) conn.socket.destroy();
			await Promise.all(router.servers.values());
		}
	};
	return handle;
}
