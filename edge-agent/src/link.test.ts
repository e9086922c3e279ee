import { afterEach, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import {
	startFakeRouter,
	type FakeRouter,
	type FakeRouterOptions
} from '../../tests/fake-router/fake-router';
import type { RouterConfig } from './config';
import { RouterLink } from './link';
import { createLogger } from './log';
import { collectRouterStatus } from './status';

const routers: FakeRouter[] = [];
const links: RouterLink[] = [];

afterEach(async () => {
	await Promise.all(links.splice(0).map((l) => l.close()));
	await Promise.all(routers.splice(0).map((r) => r.close()));
});

async function linkTo(
	lines: string[] = [],
	options: FakeRouterOptions = {},
	tlsConfig: (router: FakeRouter) => Partial<RouterConfig> = () => ({})
) {
	const router = await startFakeRouter(options);
	routers.push(router);
	const link = new RouterLink(
		{
			name: 'torre-1',
			host: router.host,
			port: router.port,
			tls: false,
			rejectUnauthorized: true,
			user: 'admin',
			password: 'admin',
			...tlsConfig(router)
		},
		{
			commandTimeoutMs: 200,
			connectTimeoutMs: 1000,
			reconnect: { initialMs: 100, maxMs: 400, failureThreshold: 3 },
			log: createLogger({ level: 'debug', write: (line) => lines.push(line) })
		}
	);
	links.push(link);
	return { router, link };
}

async function until(check: () => boolean): Promise<void> {
	while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('RouterLink', () => {
	it('counts one unanswered /cancel as one failure, whoever had a command in flight', async () => {
		const { router, link } = await linkTo();
		const signal = new AbortController().signal;
		const ros = await link.acquire(Date.now() + 5000, signal);
		await router.setFault({ kind: 'stall', ignoreCancel: true, command: '/ppp/secret/print' });
		const counted: number[] = [];
		const failure = link.breaker.failure.bind(link.breaker);
		link.breaker.failure = () => {
			counted.push(Date.now());
			return failure();
		};
		const stalled = ros.print('/ppp/secret').catch((error: Error) => error);
		await until(() => router.state.count('/ppp/secret/print') === 1);
		// Before the router is given up on (it leaves /cancel unanswered), a job command and a
		// status read are in flight, unanswered as well; the client's drop fails both.
		await router.setFault({ kind: 'stall', command: '/ppp/profile/print' });
		const jobCommand = ros.print('/ppp/profile', {}, { timeoutMs: 5000 });
		await until(() => router.state.count('/ppp/profile/print') === 1);
		await router.setFault({ kind: 'stall', command: '/ppp/active/print' });
		link.info = { identity: 'x', version: 'y' };
		const status = collectRouterStatus(link, 'rid-1', 5000);
		const jobError = await jobCommand.catch((error: Error) => error);
		expect(((await stalled) as Error).name).toBe('RouterOsTimeoutError');
		expect((jobError as Error).name).toBe('RouterOsConnectionError');
		// The queue notes what killed its job, as runner.ts does.
		link.noteFailure(jobError);
		expect(await status).toMatchObject({ reachable: false });
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(counted).toHaveLength(1);
		expect(link.breaker.failures).toBe(1);
	});

	it('counts an unanswered /cancel once with nothing else in flight', async () => {
		const { router, link } = await linkTo();
		const ros = await link.acquire(Date.now() + 5000, new AbortController().signal);
		await router.setFault({ kind: 'stall', ignoreCancel: true, command: '/ppp/secret/print' });
		await ros.print('/ppp/secret').catch(() => undefined);
		await until(() => !link.connected);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(link.breaker.failures).toBe(1);
		expect(link.lastError).toContain('did not answer /cancel');
	});

	it('connects over api-ssl with the CA or fingerprint from the config, and not without', async () => {
		const signal = new AbortController().signal;
		const cert = (r: FakeRouter) => r.certificate as string;
		const byCa = await linkTo([], { tls: 'certificate' }, (r) => ({ tls: true, ca: cert(r) }));
		await byCa.link.acquire(Date.now() + 2000, signal);
		expect(byCa.link.connected).toBe(true);
		const byFingerprint = await linkTo([], { tls: 'certificate' }, (r) => ({
			tls: true,
			fingerprint256: new X509Certificate(cert(r)).fingerprint256
		}));
		await byFingerprint.link.acquire(Date.now() + 2000, signal);
		expect(byFingerprint.link.connected).toBe(true);
		const wrong = await linkTo([], { tls: 'certificate' }, () => ({
			tls: true,
			fingerprint256: 'AB:'.repeat(31) + 'AB'
		}));
		await expect(wrong.link.acquire(Date.now() + 150, signal)).rejects.toThrow(/unreachable/);
		expect(wrong.link.lastError).toMatch(/fingerprint does not match/);
		expect(wrong.router.state.logins).toBe(0);
	});
});
