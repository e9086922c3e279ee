/**
 * The fake router byte by byte against the documented transcripts (docs/router-work.md › RouterOS
 * API facts), over a raw socket, so neither our client nor the libraries can paper over a
 * difference.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SentenceDecoder, encodeSentence } from '../../edge-agent/src/routeros/codec';
import { startFakeRouter } from '../fake-router/fake-router';
import type { FakeRouter, FakeRouterOptions } from '../fake-router/fake-router';

const bytes = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

type Wire = {
	/** Sends a sentence and returns the raw bytes of the next `count` reply sentences. */
	exchange(
		words: readonly string[],
		count: number
	): Promise<{ raw: Buffer; sentences: string[][] }>;
	closed: Promise<void>;
	socket: net.Socket;
};

const routers: FakeRouter[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.destroy();
	await Promise.all(routers.splice(0).map((r) => r.close()));
});

async function wire(options: FakeRouterOptions): Promise<Wire> {
	const router = await startFakeRouter(options);
	routers.push(router);
	const socket = net.connect({ host: router.host, port: router.port });
	sockets.push(socket);
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	const decoder = new SentenceDecoder();
	let raw = Buffer.alloc(0);
	const sentences: string[][] = [];
	let waiter: (() => void) | undefined;
	socket.on('data', (chunk: Buffer) => {
		raw = Buffer.concat([raw, chunk]);
		sentences.push(...decoder.push(chunk));
		waiter?.();
	});
	const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
	return {
		socket,
		closed,
		async exchange(words, count) {
			raw = Buffer.alloc(0);
			sentences.length = 0;
			socket.write(encodeSentence(words));
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no reply')), 2000);
				waiter = () => {
					if (sentences.length >= count) {
						clearTimeout(timer);
						resolve();
					}
				};
				waiter();
			});
			return { raw, sentences: [...sentences] };
		}
	};
}

const USERS = [{ name: 'admin', password: 'secret' }];

describe('documented transcripts', () => {
	it('answers the documented login bytes with 05 21 64 6f 6e 65 00', async () => {
		const w = await wire({ users: USERS });
		const login = bytes(`
			06 2f 6c 6f 67 69 6e
			0b 3d 6e 61 6d 65 3d 61 64 6d 69 6e
			10 3d 70 61 73 73 77 6f 72 64 3d 73 65 63 72 65 74
			00`);
		expect(encodeSentence(['/login', '=name=admin', '=password=secret'])).toEqual(login);
		const { raw } = await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		expect(raw.toString('hex')).toBe('0521646f6e6500');
	});

	it('answers a wrong password with !trap invalid user name or password (6) then !done', async () => {
		const w = await wire({ users: USERS, version: '6.49' });
		const { sentences } = await w.exchange(['/login', '=name=admin', '=password=nope'], 2);
		expect(sentences).toEqual([['!trap', '=message=invalid user name or password (6)'], ['!done']]);
	});

	it('answers the documented tagged print with the exact !empty + !done bytes on 7.18', async () => {
		const w = await wire({ users: USERS, version: '7.18' });
		await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		const { raw } = await w.exchange(
			['/ppp/active/print', '=.proplist=.id,name,address,uptime', '?name=CLI-00123', '.tag=7'],
			2
		);
		expect(raw).toEqual(
			bytes(`06 21 65 6d 70 74 79 06 2e 74 61 67 3d 37 00
			       05 21 64 6f 6e 65 06 2e 74 61 67 3d 37 00`)
		);
	});

	it('answers the same print with a bare !done before 7.18', async () => {
		const w = await wire({ users: USERS, version: '6.49' });
		await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		const { raw } = await w.exchange(['/ppp/active/print', '?name=CLI-00123', '.tag=7'], 1);
		expect(raw).toEqual(bytes('05 21 64 6f 6e 65 06 2e 74 61 67 3d 37 00'));
	});

	it('answers a duplicate secret with the documented trap message bytes, then a separate !done', async () => {
		const w = await wire({ users: USERS });
		await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		const add = await w.exchange(['/ppp/secret/add', '=name=CLI-00123', '.tag=5'], 1);
		expect(add.sentences).toEqual([['!done', '=ret=*1', '.tag=5']]);
		const { raw, sentences } = await w.exchange(
			['/ppp/secret/add', '=name=CLI-00123', '.tag=8'],
			2
		);
		const message = bytes(`
			3a 3d 6d 65 73 73 61 67 65 3d 66 61 69 6c 75 72 65 3a 20 73 65 63 72 65 74 20 77 69 74 68 20
			74 68 65 20 73 61 6d 65 20 6e 61 6d 65 20 61 6c 72 65 61 64 79 20 65 78 69 73 74 73`);
		// The documented example's =category=1 is only illustrative; none is sent.
		expect(raw).toEqual(
			Buffer.concat([
				bytes('05 21 74 72 61 70'),
				message,
				bytes('06 2e 74 61 67 3d 38 00'),
				bytes('05 21 64 6f 6e 65 06 2e 74 61 67 3d 38 00')
			])
		);
		expect(sentences[0][0]).toBe('!trap');
	});

	it('follows the documented /cancel transcript order', async () => {
		const w = await wire({ users: USERS, pingIntervalMs: 1000 });
		await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		const ping = await w.exchange(['/ping', '=address=127.0.0.1', '.tag=2'], 1);
		expect(ping.sentences[0].slice(0, 3)).toEqual(['!re', '=seq=0', '=host=127.0.0.1']);
		const { sentences } = await w.exchange(['/cancel', '=tag=2', '.tag=7'], 3);
		expect(sentences).toEqual([
			['!trap', '=category=2', '=message=interrupted', '.tag=2'],
			['!done', '.tag=7'],
			['!done', '.tag=2']
		]);
	});

	it('does the legacy challenge login with the MikroTik API page vector', async () => {
		const w = await wire({
			version: '6.42',
			users: [{ name: 'admin', password: '' }],
			legacyChallenge: '856780b7411eefd3abadee2058c149a3'
		});
		const first = await w.exchange(['/login'], 1);
		expect(first.sentences).toEqual([['!done', '=ret=856780b7411eefd3abadee2058c149a3']]);
		const second = await w.exchange(
			['/login', '=name=admin', '=response=005062f7a5ef124d34675bf3e81f56c556'],
			1
		);
		expect(second.sentences).toEqual([['!done']]);
	});

	it('refuses a wrong legacy response with cannot log in', async () => {
		const w = await wire({ version: '6.42', users: USERS });
		await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		const { sentences } = await w.exchange(
			['/login', '=name=admin', '=response=00' + '0'.repeat(32)],
			2
		);
		expect(sentences).toEqual([['!trap', '=message=cannot log in'], ['!done']]);
	});

	it('ends /quit with a bare-word !fatal and closes the connection', async () => {
		const w = await wire({ users: USERS });
		await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		const { raw } = await w.exchange(['/quit'], 1);
		expect(raw).toEqual(encodeSentence(['!fatal', 'session terminated on request']));
		await w.closed;
	});

	it('answers unknown commands with !trap no such command prefix then !done', async () => {
		const w = await wire({ users: USERS });
		await w.exchange(['/login', '=name=admin', '=password=secret'], 1);
		const { sentences } = await w.exchange(['/ip/frobnicate', '.tag=x'], 2);
		expect(sentences).toEqual([
			['!trap', '=message=no such command prefix', '.tag=x'],
			['!done', '.tag=x']
		]);
	});

	it('splits words into separate TCP segments under the split fault', async () => {
		const router = await startFakeRouter({ users: USERS });
		routers.push(router);
		await router.setFault({ kind: 'split', delayMs: 5 });
		const socket = net.connect({ host: router.host, port: router.port });
		sockets.push(socket);
		const chunks: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.write(encodeSentence(['/login', '=name=admin', '=password=secret', '.tag=1']));
		await new Promise((resolve) => setTimeout(resolve, 100));
		// "!done", ".tag=1" and the terminator arrive as three separate reads.
		expect(chunks.map((c) => c.toString('hex'))).toEqual(['0521646f6e65', '062e7461673d31', '00']);
	});
});
