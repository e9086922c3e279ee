// Limits on every door (issue #8 › 7): the login is throttled and takes the same time whether the
// account exists or not, every route has a body limit, and a cookie is only honoured on a
// JSON request from the app's own origin. Each scenario was reproduced against the server first.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getMutator } from '@enlace/shared';
import {
	api,
	ADMIN_EMAIL,
	ADMIN_PASSWORD,
	customerArgs,
	mutation,
	push,
	startTestServer,
	type TestServer
} from '../support/server';

let s: TestServer | undefined;
afterEach(async () => {
	await s?.close();
	s = undefined;
});

const start = async (env: Record<string, string> = {}) => (s = await startTestServer({ env }));

const login = (url: string, email: string, password: string, headers: HeadersInit = {}) =>
	api(url).post('/api/auth/login', { email, password }, { headers });

/** Mean times of `a` and `b`, tried in turns so that a busy machine slows both alike. */
async function meanMsInTurns(
	rounds: number,
	a: () => Promise<unknown>,
	b: () => Promise<unknown>
): Promise<[number, number]> {
	const totals = [0, 0];
	for (let i = 0; i < rounds; i++) {
		for (const [k, fn] of [a, b].entries()) {
			const t0 = performance.now();
			await fn();
			totals[k] += performance.now() - t0;
		}
	}
	return [totals[0] / rounds, totals[1] / rounds];
}

describe('login throttling', () => {
	it('answers 429 with Retry-After once an account has had too many wrong passwords', async () => {
		const { url } = await start();
		const statuses: number[] = [];
		let limited;
		for (let i = 0; i < 50; i++) {
			const r = await login(url, ADMIN_EMAIL, `wrong-password-${i}`);
			statuses.push(r.status);
			if (r.status === 429) limited ??= r;
		}
		const firstLimited = statuses.indexOf(429);
		expect(firstLimited).toBeGreaterThanOrEqual(3);
		expect(firstLimited).toBeLessThanOrEqual(20);
		expect(statuses.slice(0, firstLimited).every((x) => x === 401)).toBe(true);
		expect(statuses.slice(firstLimited).every((x) => x === 429)).toBe(true);
		expect(limited!.body.error.code).toBe('too-many-attempts');
		expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
		// Locked means locked: the right password waits too, so guessing cannot go on.
		expect((await login(url, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(429);
		// Another account from the same address is not locked by it.
		expect((await login(url, 'nadie@enlace.test', 'x-wrong-password')).status).toBe(401);
	});

	it('answers 429 to an address that tries too many accounts, whether they exist or not', async () => {
		const { url } = await start({ LOGIN_FAILURES_PER_IP: '5' });
		for (let i = 0; i < 5; i++) {
			expect((await login(url, `nadie${i}@enlace.test`, 'wrong-password')).status).toBe(401);
		}
		const limited = await login(url, 'otro@enlace.test', 'wrong-password');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await login(url, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(429);
	});

	it('counts per client address behind a trusted proxy, and ignores X-Forwarded-For otherwise', async () => {
		const { url } = await start({ LOGIN_FAILURES_PER_IP: '3', TRUST_PROXY: '1' });
		const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.9, ${ip}` });
		for (let i = 0; i < 3; i++) await login(url, `a${i}@enlace.test`, 'wrong-pw', from('10.0.0.1'));
		expect((await login(url, 'b@enlace.test', 'wrong-pw', from('10.0.0.1'))).status).toBe(429);
		expect((await login(url, ADMIN_EMAIL, ADMIN_PASSWORD, from('10.0.0.2'))).status).toBe(200);
		await s!.close();

		const direct = await start({ LOGIN_FAILURES_PER_IP: '3' });
		for (let i = 0; i < 3; i++) {
			await login(direct.url, `a${i}@enlace.test`, 'wrong-pw', from(`10.0.0.${i}`));
		}
		const spoofed = await login(direct.url, ADMIN_EMAIL, ADMIN_PASSWORD, from('10.0.0.99'));
		expect(spoofed.status).toBe(429);
	});

	it('takes as long for an unknown email as for a known one', async () => {
		const { url } = await start();
		// Warm up (the dummy hash, the first connection), then compare the means of a few tries.
		await login(url, 'warm@enlace.test', 'wrong-password');
		const [known, unknown] = await meanMsInTurns(
			4,
			() => login(url, ADMIN_EMAIL, 'wrong-password'),
			() => login(url, 'nadie@enlace.test', 'wrong-password')
		);
		expect(unknown).toBeGreaterThanOrEqual(0.5 * known);
	});
});

describe('body limits', () => {
	it('refuses a 50 MB login with 413 without reading it', async () => {
		const { url } = await start();
		const big = JSON.stringify({ email: ADMIN_EMAIL, password: 'x'.repeat(50 * 1024 * 1024) });
		const t0 = performance.now();
		const r = await api(url).raw('POST', '/api/auth/login', {
			body: big,
			headers: { 'content-type': 'application/json' }
		});
		expect(r.status).toBe(413);
		expect(r.body.error.code).toBe('payload-too-large');
		expect(performance.now() - t0).toBeLessThan(5000);

		// Without a content-length, the limit holds while reading.
		const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let j = 0; j < 4; j++) controller.enqueue(chunk);
				controller.close();
			}
		});
		const chunked = await api(url).raw('POST', '/api/auth/login', {
			body: stream,
			duplex: 'half',
			headers: { 'content-type': 'application/json' }
		} as RequestInit);
		expect(chunked.status).toBe(413);
		expect((await api(url).get('/api/health')).status).toBe(200);
	});

	it('limits the admin routes too', async () => {
		const { url, adminToken } = await start();
		const r = await api(url, adminToken).raw('POST', '/api/users', {
			body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
			headers: { 'content-type': 'application/json' }
		});
		expect(r.status).toBe(413);
	});
});

describe('cookies only from the app itself', () => {
	async function cookieOf(url: string): Promise<string> {
		const r = await login(url, ADMIN_EMAIL, ADMIN_PASSWORD, { origin: url });
		expect(r.status).toBe(200);
		return r.headers.get('set-cookie')!.split(';')[0];
	}

	const pushBody = () =>
		JSON.stringify({
			clientId: 'csrf',
			mutations: [mutation('customer.create', customerArgs({ name: 'Cliente de otro sitio' }))]
		});

	async function customerCount(server: TestServer): Promise<number> {
		const r = await server.db.client.execute(
			"SELECT COUNT(*) AS n FROM records WHERE entity = 'customer'"
		);
		return Number(r.rows[0].n);
	}

	it('refuses a text/plain form from another origin carrying the session cookie, and writes nothing', async () => {
		const server = await start();
		const cookie = await cookieOf(server.url);
		const other = server.url.replace(/:(\d+)$/, (_, p) => `:${Number(p) + 1}`);
		const before = await customerCount(server);
		const json = { 'content-type': 'application/json' };
		const form = { 'content-type': 'text/plain' };
		const attacks: [Record<string, string>, number][] = [
			// What a browser sends for a form or a fetch from another port of the same host.
			[{ ...form, origin: other, 'sec-fetch-site': 'same-site' }, 403],
			[{ ...json, origin: other, 'sec-fetch-site': 'same-site' }, 403],
			[{ ...json, 'sec-fetch-site': 'cross-site' }, 403],
			// An older browser, without Sec-Fetch-Site: its Origin decides.
			[{ ...form, origin: other }, 403],
			[{ ...json, origin: other }, 403],
			[{ ...json, origin: 'null' }, 403],
			// From the app itself, but not JSON.
			[{ ...form, origin: server.url, 'sec-fetch-site': 'same-origin' }, 415],
			[form, 415]
		];
		for (const [headers, status] of attacks) {
			const r = await api(server.url).raw('POST', '/api/sync/push', {
				body: pushBody(),
				headers: { cookie, ...headers }
			});
			expect({ headers, status: r.status }).toEqual({ headers, status });
		}
		expect(await customerCount(server)).toBe(before);

		// The app: JSON from its own origin; and a client that is no browser (no Origin at all).
		for (const headers of [
			{ ...json, origin: server.url, 'sec-fetch-site': 'same-origin' },
			{ ...json, origin: server.url },
			json
		]) {
			const ok = await api(server.url).raw('POST', '/api/sync/push', {
				body: pushBody(),
				headers: { cookie, ...headers }
			});
			expect({ headers, status: ok.status }).toEqual({ headers, status: 200 });
		}
		expect(await customerCount(server)).toBe(before + 3);
	});

	it('leaves bearer tokens alone: no Origin needed', async () => {
		const server = await start();
		const r = await api(server.url, server.adminToken).raw('POST', '/api/sync/push', {
			body: pushBody(),
			headers: { 'content-type': 'application/json' }
		});
		expect(r.status).toBe(200);
		expect(r.body.results[0].status).toBe('applied');
	});

	it('refuses a login posted from another origin', async () => {
		const server = await start();
		const other = server.url.replace(/:(\d+)$/, (_, p) => `:${Number(p) + 1}`);
		expect((await login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD, { origin: other })).status).toBe(
			403
		);
	});

	it('marks the session cookie Secure behind TLS', async () => {
		const secureOf = async (url: string, headers: HeadersInit = {}) => {
			const r = await login(url, ADMIN_EMAIL, ADMIN_PASSWORD, headers);
			expect(r.status).toBe(200);
			return /;\s*secure/i.test(r.headers.get('set-cookie') ?? '');
		};
		const https = { 'x-forwarded-proto': 'https' };
		const plain = await start();
		expect(await secureOf(plain.url)).toBe(false);
		// An untrusted client cannot claim TLS.
		expect(await secureOf(plain.url, https)).toBe(false);
		await plain.close();

		const proxied = await start({ TRUST_PROXY: '1' });
		expect(await secureOf(proxied.url, https)).toBe(true);
		expect(await secureOf(proxied.url)).toBe(false);
		await proxied.close();

		const forced = await start({ COOKIE_SECURE: '1' });
		expect(await secureOf(forced.url)).toBe(true);
	});
});

describe('a push never wedges a device', () => {
	it('refuses only the mutation that failed unexpectedly, with internal-error logged by its id', async () => {
		const { url, adminToken } = await start();
		const update = getMutator('customer.update');
		const boom = vi
			.spyOn(update, 'apply')
			.mockRejectedValueOnce(new TypeError("Cannot read properties of undefined (reading 'x')"));
		const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			const first = customerArgs();
			const broken = mutation('customer.update', { id: first.id, patch: { phone: '600000000' } });
			const batch = [
				mutation('customer.create', first),
				broken,
				mutation('customer.create', customerArgs())
			];
			const r = await push(url, adminToken, batch);
			expect(r.status).toBe(200);
			expect(
				r.body.results.map((x) => [x.status, x.status === 'rejected' && x.error.code])
			).toEqual([
				['applied', false],
				['rejected', 'internal-error'],
				['applied', false]
			]);
			expect(boom).toHaveBeenCalledTimes(1);
			expect(logged.mock.calls.some((call) => String(call[0]).includes(broken.id))).toBe(true);
			// Sent again (the device did not hear the answer): the same answer, nothing run twice.
			const again = await push(url, adminToken, [broken]);
			expect(again.body.results[0]).toMatchObject({
				status: 'rejected',
				error: { code: 'internal-error' }
			});
			expect(boom).toHaveBeenCalledTimes(1);
		} finally {
			boom.mockRestore();
			logged.mockRestore();
		}
	});
});
