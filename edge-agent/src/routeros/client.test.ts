import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRouter } from '../../../tests/fake-router/fake-router';
import type { FakeRouter, FakeRouterOptions } from '../../../tests/fake-router/fake-router';
import { RouterOsClient, legacyLoginResponse, toWords } from './client';
import type { RouterOsClientOptions } from './client';
import { SentenceDecoder, encodeSentence } from './codec';
import {
	RouterOsConnectionError,
	RouterOsFatalError,
	RouterOsLoginError,
	RouterOsTimeoutError,
	RouterOsTrapError
} from './errors';
import type { RouterOsError } from './errors';
import { failure } from '../testing';

const PASSWORD = 'Sup3r-S3cret-pw';
const USERS = [{ name: 'agent', password: PASSWORD }];
const PROFILES = [{ name: '20M-100M', 'rate-limit': '100M/20M' }];

const routers: FakeRouter[] = [];
const clients: RouterOsClient[] = [];
const servers: net.Server[] = [];

afterEach(async () => {
	await Promise.all(clients.splice(0).map((c) => c.close()));
	await Promise.all(routers.splice(0).map((r) => r.close()));
	await Promise.all(
		servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve())))
	);
});

async function fake(options: FakeRouterOptions = {}): Promise<FakeRouter> {
	const router = await startFakeRouter({
		users: USERS,
		seed: { '/ppp/profile': PROFILES },
		...options
	});
	routers.push(router);
	return router;
}

function client(
	router: { host: string; port: number },
	options: Partial<RouterOsClientOptions> = {}
): RouterOsClient {
	const c = new RouterOsClient({
		host: router.host,
		port: router.port,
		user: 'agent',
		password: PASSWORD,
		...options
	});
	clients.push(c);
	return c;
}

async function connected(
	options: FakeRouterOptions = {},
	clientOptions: Partial<RouterOsClientOptions> = {}
): Promise<{ router: FakeRouter; api: RouterOsClient }> {
	const router = await fake(options);
	const api = client(router, clientOptions);
	await api.connect();
	return { router, api };
}

function expectNoPassword(...things: unknown[]): void {
	for (const thing of things) {
		const text =
			thing instanceof Error
				? `${thing.message}\n${thing.stack}\n${inspect(thing, { depth: 5 })}`
				: inspect(thing, { depth: 5, showHidden: true }) + JSON.stringify(thing);
		expect(text).not.toContain(PASSWORD);
	}
}

/** A raw peer that answers each sentence via `reply`, for wire cases the fake cannot produce. */
async function rawPeer(
	reply: (words: string[], socket: net.Socket) => void
): Promise<{ host: string; port: number }> {
	const server = net.createServer((socket) => {
		const decoder = new SentenceDecoder();
		socket.on('error', () => undefined);
		socket.on('data', (chunk) => {
			for (const words of decoder.push(chunk)) reply(words, socket);
		});
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}

const tagOf = (words: string[]): string =>
	(words.find((w) => w.startsWith('.tag=')) ?? '').slice(5);

describe('login', () => {
	it('logs in with /login =name= =password= on RouterOS >= 6.43', async () => {
		const { router, api } = await connected({ version: '7.18' });
		expect(api.connected).toBe(true);
		expect(router.state.logins).toBe(1);
		expect(router.state.count('/login')).toBe(1);
		expect(router.state.log[0].words).toEqual([
			'/login',
			'=name=agent',
			'=password=***',
			'.tag=' + router.state.log[0].tag
		]);
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);
	});

	it('falls back to the MD5 challenge when /login answers =ret= (pre-6.43)', async () => {
		const { router, api } = await connected({ version: '6.42' });
		expect(api.connected).toBe(true);
		expect(router.state.count('/login')).toBe(2);
		expect(router.state.log.map((e) => e.words.slice(0, 3))).toEqual([
			['/login', '=name=agent', '=password=***'],
			['/login', '=name=agent', '=response=***']
		]);
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);
	});

	it('computes the challenge response of the MikroTik API page', () => {
		expect(legacyLoginResponse('', '856780b7411eefd3abadee2058c149a3')).toBe(
			'005062f7a5ef124d34675bf3e81f56c556'
		);
		expect(legacyLoginResponse('', '93b438ec9b80057c06dd9fe67d56aa9a')).toBe(
			'00e134102a9d330dd7b1849fedfea3cb57'
		);
	});

	it('passes the legacy login with an empty password and a fixed challenge', async () => {
		const router = await fake({
			version: '6.42',
			users: [{ name: 'admin', password: '' }],
			legacyChallenge: '856780b7411eefd3abadee2058c149a3'
		});
		const api = client(router, { user: 'admin', password: '' });
		await api.connect();
		expect(router.state.logins).toBe(1);
	});

	it.each([
		['6.49', 'invalid user name or password (6)'],
		['7.18', 'invalid user name or password (6)'],
		['6.42', 'cannot log in']
	] as const)('rejects a wrong password on %s with RouterOsLoginError', async (version, text) => {
		const router = await fake({ version, users: [{ name: 'agent', password: 'other' }] });
		const api = client(router);
		const error = await failure(api.connect());
		expect(error).toBeInstanceOf(RouterOsLoginError);
		expect((error as RouterOsLoginError).routerMessage).toBe(text);
		expect(api.connected).toBe(false);
		expect(router.state.logins).toBe(0);
		expectNoPassword(error, api);
		await expect(api.command(['/system/identity/print'])).rejects.toBeInstanceOf(
			RouterOsConnectionError
		);
	});

	it('never shows the password when the client object is logged', () => {
		const api = client({ host: '127.0.0.1', port: 1 });
		expectNoPassword(api);
	});
});

describe('commands', () => {
	it('adds, prints, sets, unsets and removes with the typed helpers', async () => {
		const { router, api } = await connected();
		const id = await api.add('/ppp/secret', {
			name: 'CLI-00123',
			password: 'pppoe-pw',
			profile: 'default',
			service: 'pppoe',
			'remote-address': '100.64.10.5',
			disabled: false,
			comment: undefined
		});
		expect(id).toBe('*1');
		expect(router.state.find('/ppp/secret', { name: 'CLI-00123' })).toMatchObject({
			'.id': '*1',
			profile: 'default',
			disabled: 'false',
			'remote-address': '100.64.10.5'
		});

		await api.set('/ppp/secret', id, { profile: '20M-100M' });
		expect(router.state.find('/ppp/secret', { name: 'CLI-00123' })?.profile).toBe('20M-100M');

		await api.unset('/ppp/secret', id, 'remote-address');
		expect(router.state.find('/ppp/secret', { name: 'CLI-00123' })?.['remote-address']).toBe(
			undefined
		);

		const rows = await api.print('/ppp/secret', {
			where: { name: 'CLI-00123' },
			proplist: ['.id', 'name', 'profile']
		});
		expect(rows).toEqual([{ '.id': '*1', name: 'CLI-00123', profile: '20M-100M' }]);
		expect(router.state.log.at(-1)?.words.slice(0, 3)).toEqual([
			'/ppp/secret/print',
			'=.proplist=.id,name,profile',
			'?name=CLI-00123'
		]);

		await api.remove('/ppp/secret', id);
		expect(router.state.rows('/ppp/secret')).toEqual([]);
	});

	it('sends raw query words in order (OR of two names)', async () => {
		const { api } = await connected({
			seed: {
				'/ppp/profile': PROFILES,
				'/ppp/secret': [{ name: 'A' }, { name: 'B' }, { name: 'C' }]
			}
		});
		const rows = await api.print('/ppp/secret', {
			proplist: ['name'],
			query: ['?name=A', '?name=C', '?#|']
		});
		expect(rows).toEqual([{ name: 'A' }, { name: 'C' }]);
	});

	it('returns the !done attributes from run()', async () => {
		const { api } = await connected({
			seed: { '/ppp/profile': PROFILES, '/ppp/secret': [{ name: 'A' }, { name: 'B' }] }
		});
		const reply = await api.run(['/ppp/secret/print', '=count-only='], {});
		expect(reply).toEqual({ rows: [], done: { ret: '2' }, empty: false });
	});

	it('builds words from (path, params) with yes/no for booleans', () => {
		expect(
			toWords('/ppp/secret/set', { '.id': '*1', disabled: true, comment: '', x: null })
		).toEqual(['/ppp/secret/set', '=.id=*1', '=disabled=yes', '=comment=']);
	});

	it('rejects a caller-supplied .tag and a missing command word', async () => {
		const { api } = await connected();
		await expect(api.run(['/system/identity/print', '.tag=9'])).rejects.toThrow(TypeError);
		await expect(api.run(['=name=x'])).rejects.toThrow(TypeError);
	});

	it('rejects commands before connect with RouterOsConnectionError', async () => {
		const router = await fake();
		const api = client(router);
		const error = await failure(api.command('/system/identity/print'));
		expect(error).toBeInstanceOf(RouterOsConnectionError);
		expect(router.state.connectionsAccepted).toBe(0);
	});
});

describe('replies', () => {
	it('rejects !trap with RouterOsTrapError carrying message and command, then keeps working', async () => {
		const { api } = await connected();
		await api.add('/ppp/secret', { name: 'CLI-1', password: 'x' });
		const dup = await failure(api.add('/ppp/secret', { name: 'CLI-1', password: 'y' }));
		expect(dup).toBeInstanceOf(RouterOsTrapError);
		expect(dup.message).toBe('failure: secret with the same name already exists');
		expect((dup as RouterOsTrapError).command).toBe('/ppp/secret/add');
		expect((dup as RouterOsTrapError).category).toBeUndefined();
		expectNoPassword(dup);

		const badProfile = await failure(api.set('/ppp/secret', 'CLI-1', { profile: 'nope' }));
		expect(badProfile).toMatchObject({
			message: 'input does not match any value of profile',
			category: 1
		});

		const missing = await failure(api.remove('/ppp/secret', '*99'));
		expect(missing.message).toBe('no such item');

		const unknown = await failure(api.command(['/interface/frobnicate']));
		expect(unknown).toMatchObject({
			message: 'no such command prefix',
			command: '/interface/frobnicate'
		});
		expect(api.connected).toBe(true);
		expect(await api.print('/ppp/secret', { proplist: ['name'] })).toEqual([{ name: 'CLI-1' }]);
	});

	it('resolves a 7.18 !empty print with [] and reports it', async () => {
		const { api } = await connected({ version: '7.18' });
		expect(await api.print('/ppp/active', { where: { name: 'CLI-1' } })).toEqual([]);
		const reply = await api.run(['/ppp/active/print', '?name=CLI-1']);
		expect(reply).toEqual({ rows: [], done: {}, empty: true });
	});

	it('resolves a pre-7.18 bare !done print with [] (no !empty)', async () => {
		const { api } = await connected({ version: '6.49' });
		const reply = await api.run(['/ppp/active/print', '?name=CLI-1']);
		expect(reply).toEqual({ rows: [], done: {}, empty: false });
	});

	it('keeps empty !re rows and ignores unknown reply words', async () => {
		const unknown: string[][] = [];
		const peer = await rawPeer((words, socket) => {
			const tag = `.tag=${tagOf(words)}`;
			if (words[0] === '/login') socket.write(encodeSentence(['!done', tag]));
			else {
				socket.write(
					Buffer.concat([
						encodeSentence(['!re', tag]),
						encodeSentence(['!progress', '=x=1', tag]),
						encodeSentence(['!re', '=comment=a=b=c', tag]),
						encodeSentence(['!done', tag])
					])
				);
			}
		});
		const api = client(peer, { onUnknownReply: (s) => unknown.push([...s]) });
		await api.connect();
		expect(await api.command(['/ip/service/print', '=.proplist=comment'])).toEqual([
			{},
			{ comment: 'a=b=c' }
		]);
		expect(unknown).toEqual([['!progress', '=x=1', '.tag=2']]);
	});
});

describe('concurrency', () => {
	it('runs several tagged commands at once and answers each with its own rows', async () => {
		const { router, api } = await connected({ pingIntervalMs: 30 });
		const order: string[] = [];
		const ping = api.command('/ping', { address: '127.0.0.1', count: 4 }).then((rows) => {
			order.push('ping');
			return rows;
		});
		const identity = api.print('/system/identity').then((rows) => {
			order.push('identity');
			return rows;
		});
		const secrets = api.print('/ppp/profile', { proplist: ['name'] }).then((rows) => {
			order.push('profiles');
			return rows;
		});
		expect(api.inFlight).toBe(3);
		const [pingRows, identityRows, profileRows] = await Promise.all([ping, identity, secrets]);
		expect(order).toEqual(['identity', 'profiles', 'ping']);
		expect(pingRows.map((r) => [r.seq, r.sent, r.received, r['packet-loss']])).toEqual([
			['0', '1', '1', '0'],
			['1', '2', '2', '0'],
			['2', '3', '3', '0'],
			['3', '4', '4', '0']
		]);
		expect(identityRows).toEqual([{ name: 'FakeRouter' }]);
		expect(profileRows).toEqual([
			{ name: 'default' },
			{ name: 'default-encryption' },
			{ name: '20M-100M' }
		]);
		const tags = router.state.log.slice(1).map((e) => e.tag);
		expect(new Set(tags).size).toBe(3);
		expect(api.inFlight).toBe(0);
	});

	it('reports lost probes of an unreachable address', async () => {
		const { api } = await connected();
		const rows = await api.command('/ping', { address: '192.0.2.1', count: 2 });
		expect(rows.at(-1)).toMatchObject({
			status: 'timeout',
			sent: '2',
			received: '0',
			'packet-loss': '100'
		});
		expect(rows.at(-1)?.time).toBeUndefined();
	});
});

describe('deadlines and /cancel', () => {
	it('rejects a stalled command with RouterOsTimeoutError and sends /cancel =tag=', async () => {
		const { router, api } = await connected();
		await router.setFault({ kind: 'stall' });
		const started = Date.now();
		const error = await failure(api.print('/ppp/secret', {}, { timeoutMs: 150 }));
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(error).toBeInstanceOf(RouterOsTimeoutError);
		expect(error).toMatchObject({ command: '/ppp/secret/print', timeoutMs: 150 });
		await waitUntil(() => router.state.count('/cancel') === 1 && api.inFlight === 0);
		const stalled = router.state.log.find((e) => e.command === '/ppp/secret/print');
		const cancel = router.state.log.find((e) => e.command === '/cancel');
		expect(cancel?.words).toContain(`=tag=${stalled?.tag}`);
		// The connection survives and the next command works.
		expect(api.connected).toBe(true);
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);
	});

	it('cancels an endless /ping at its deadline and the router stops sending', async () => {
		const { router, api } = await connected({ pingIntervalMs: 10 });
		const error = await failure(api.command('/ping', { address: '127.0.0.1' }, { timeoutMs: 100 }));
		expect(error).toBeInstanceOf(RouterOsTimeoutError);
		await waitUntil(() => api.inFlight === 0);
		const sent = router.state.sentencesSent;
		await new Promise((resolve) => setTimeout(resolve, 60));
		expect(router.state.sentencesSent).toBe(sent);
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);
	});

	it('drops the connection when the router ignores /cancel too', async () => {
		const closes: (RouterOsError | undefined)[] = [];
		const { router, api } = await connected(
			{},
			{ cancelTimeoutMs: 100, onClose: (e) => closes.push(e) }
		);
		await router.setFault({ kind: 'stall', ignoreCancel: true, command: '/ppp/active/print' });
		const bystander = failure(api.command('/ping', { address: '127.0.0.1', count: 1000 }));
		const stalled = await failure(api.print('/ppp/active', {}, { timeoutMs: 80 }));
		expect(stalled).toBeInstanceOf(RouterOsTimeoutError);
		const dropped = await bystander;
		expect(dropped).toBeInstanceOf(RouterOsConnectionError);
		expect(dropped.message).toMatch(/did not answer \/cancel/);
		expect(api.connected).toBe(false);
		await waitUntil(() => closes.length === 1);
		expect(closes[0]).toBe(dropped);
	});

	it('times out connect() when the router never answers /login', async () => {
		const router = await fake();
		await router.setFault({ kind: 'stall', command: '/login' });
		const api = client(router, { connectTimeoutMs: 200 });
		const error = await failure(api.connect());
		expect(error).toBeInstanceOf(RouterOsTimeoutError);
		expect(api.connected).toBe(false);
		expectNoPassword(error);
		await waitUntil(() => router.state.connectionsOpen === 0);
	});
});

describe('connection failures', () => {
	it('rejects every in-flight command when the router drops the connection', async () => {
		const closes: (RouterOsError | undefined)[] = [];
		const { router, api } = await connected({}, { onClose: (e) => closes.push(e) });
		const ping = failure(api.command('/ping', { address: '127.0.0.1', count: 1000 }));
		await router.setFault({ kind: 'drop' });
		const [a, b] = await Promise.all([ping, failure(api.print('/system/identity'))]);
		expect(a).toBeInstanceOf(RouterOsConnectionError);
		expect(b).toBe(a);
		expect(a.message).toMatch(/closed by the router/);
		expect(api.connected).toBe(false);
		await waitUntil(() => closes.length === 1);
		expect(closes[0]).toBe(a);
		await expect(api.print('/system/identity')).rejects.toBeInstanceOf(RouterOsConnectionError);

		// The same client object reconnects.
		await api.connect();
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);
		expect(router.state.logins).toBe(2);
	});

	it('reports ECONNRESET for a reset mid-command', async () => {
		const { router, api } = await connected();
		await router.setFault({ kind: 'drop', reset: true });
		const error = await failure(api.print('/ppp/secret'));
		expect(error).toBeInstanceOf(RouterOsConnectionError);
		expect((error as RouterOsConnectionError).code).toBe('ECONNRESET');
	});

	it('survives an idle connection being dropped (no crash, onClose called)', async () => {
		const closes: (RouterOsError | undefined)[] = [];
		const { router, api } = await connected({}, { onClose: (e) => closes.push(e) });
		await new Promise((resolve) => setTimeout(resolve, 50));
		router.dropConnections({ reset: true });
		await waitUntil(() => closes.length === 1);
		expect(closes[0]).toBeInstanceOf(RouterOsConnectionError);
		expect(api.connected).toBe(false);
	});

	it('rejects with RouterOsConnectionError ECONNREFUSED while the router refuses, then reconnects', async () => {
		const router = await fake();
		await router.setFault({ kind: 'refuse' });
		const api = client(router);
		const error = await failure(api.connect());
		expect(error).toBeInstanceOf(RouterOsConnectionError);
		expect((error as RouterOsConnectionError).code).toBe('ECONNREFUSED');
		expectNoPassword(error);
		await router.setFault(null);
		await api.connect();
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);
	});

	it('fails everything in flight on a bare !fatal and closes', async () => {
		const { router, api } = await connected();
		const ping = failure(api.command('/ping', { address: '127.0.0.1', count: 1000 }));
		await router.setFault({ kind: 'fatal', reason: 'out of memory' });
		const [a, b] = await Promise.all([ping, failure(api.print('/ppp/secret'))]);
		expect(a).toBeInstanceOf(RouterOsFatalError);
		expect((a as RouterOsFatalError).reason).toBe('out of memory');
		expect(b).toBe(a);
		expect(api.connected).toBe(false);
		await waitUntil(() => router.state.connectionsOpen === 0);
	});

	it('accepts !fatal without any reason word, and /quit', async () => {
		const { router, api } = await connected();
		await router.setFault({ kind: 'fatal', reason: null });
		const error = await failure(api.print('/ppp/secret'));
		expect(error).toMatchObject({ name: 'RouterOsFatalError', reason: '' });

		await api.connect();
		const quit = await failure(api.command(['/quit']));
		expect(quit).toMatchObject({ reason: 'session terminated on request' });
	});

	it('accepts the =message= form of !fatal some peers send', async () => {
		const peer = await rawPeer((words, socket) => {
			if (words[0] === '/login') socket.write(encodeSentence(['!done', `.tag=${tagOf(words)}`]));
			else socket.end(encodeSentence(['!fatal', '=message=too many commands before login']));
		});
		const api = client(peer);
		await api.connect();
		const error = await failure(api.print('/ppp/secret'));
		expect(error).toMatchObject({ reason: 'too many commands before login' });
	});

	it('drops the connection on a reserved control byte', async () => {
		const peer = await rawPeer((words, socket) => {
			if (words[0] === '/login') socket.write(encodeSentence(['!done', `.tag=${tagOf(words)}`]));
			else socket.write(Buffer.from([0x03, 0x21, 0x72, 0x65, 0xf8, 0x00]));
		});
		const api = client(peer);
		await api.connect();
		const error = await failure(api.print('/ppp/secret'));
		expect(error).toBeInstanceOf(RouterOsConnectionError);
		expect(error.message).toMatch(/protocol error/);
		expect(api.connected).toBe(false);
	});
});

describe('segmentation', () => {
	const comment = 'Razón social: Telecomunicaciones Ñandú, S.L. — ' + 'x'.repeat(160);

	it.each([
		['word by word', { kind: 'split' as const }],
		['byte by byte', { kind: 'split' as const, bytes: true, delayMs: 0 }]
	])('reassembles replies written %s', async (_label, fault) => {
		const router = await fake({ pingIntervalMs: 5 });
		await router.setFault(fault);
		const api = client(router);
		await api.connect();
		await api.add('/ppp/secret', { name: 'CLI-9', password: 'x', comment });
		expect(await api.print('/ppp/secret', { proplist: ['name', 'comment'] })).toEqual([
			{ name: 'CLI-9', comment }
		]);
		const rows = await api.command('/ping', { address: '127.0.0.1', count: 2 });
		expect(rows.map((r) => r.received)).toEqual(['1', '2']);
		expect(await api.print('/ppp/active')).toEqual([]);
	});
});

describe('api-ssl', () => {
	it('connects to a router without certificate using anonymous DH', async () => {
		const { router, api } = await connected({ tls: 'anonymous' }, { tls: true, anonymousDh: true });
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);
		expect(router.state.logins).toBe(1);
	});

	it('verifies a self-signed certificate when pinned with ca', async () => {
		const router = await fake({ tls: 'certificate' });
		expect(router.certificate).toMatch(/BEGIN CERTIFICATE/);
		const api = client(router, { tls: true, ca: router.certificate });
		await api.connect();
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);

		const strict = client(router, { tls: true });
		const error = await failure(strict.connect());
		expect(error).toBeInstanceOf(RouterOsConnectionError);
		expect(error.message).toMatch(/self.signed/i);

		const lax = client(router, { tls: true, rejectUnauthorized: false });
		await lax.connect();
		expect(lax.connected).toBe(true);
	});

	it('pins a router certificate by its SHA-256 fingerprint, and refuses another before login', async () => {
		const router = await fake({ tls: 'certificate' });
		const fingerprint = new X509Certificate(router.certificate as string).fingerprint256;
		const api = client(router, { tls: true, fingerprint256: fingerprint.toLowerCase() });
		await api.connect();
		expect(await api.print('/system/identity')).toEqual([{ name: 'FakeRouter' }]);

		const other = client(router, { tls: true, fingerprint256: 'AB:'.repeat(31) + 'AB' });
		const error = await failure(other.connect());
		expect(error).toBeInstanceOf(RouterOsConnectionError);
		expect(error.message).toMatch(/fingerprint/);
		expect(router.state.logins).toBe(1);
	});
});

describe('close', () => {
	it('closes cleanly, rejects in-flight commands and calls onClose without an error', async () => {
		const closes: (RouterOsError | undefined)[] = [];
		const { router, api } = await connected({}, { onClose: (e) => closes.push(e) });
		const ping = failure(api.command('/ping', { address: '127.0.0.1', count: 1000 }));
		await api.close();
		expect(await ping).toBeInstanceOf(RouterOsConnectionError);
		await waitUntil(() => closes.length === 1 && router.state.connectionsOpen === 0);
		expect(closes).toEqual([undefined]);
		expect(api.connected).toBe(false);
		await api.close();
	});
});

/** Polls until `check()` holds (max 2 s); keeps tests free of fixed sleeps. */
async function waitUntil(check: () => boolean): Promise<void> {
	const deadline = Date.now() + 2000;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('condition not reached within 2 s');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
