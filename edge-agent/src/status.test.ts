import { afterEach, describe, expect, it } from 'vitest';
import type { AgentStatus } from '@enlace/shared/protocol/agent';
import { startFakeRouter } from '../../tests/fake-router/fake-router';
import type { FakeRouter } from '../../tests/fake-router/fake-router';
import type { RouterOs } from './jobs/index';
import { createLogger } from './log';
import { RouterOsClient } from './routeros/client';
import { collectRouterStatus, startStatusReporter, type StatusLink } from './status';

const routers: FakeRouter[] = [];
const clients: RouterOsClient[] = [];

afterEach(async () => {
	await Promise.all(clients.splice(0).map((c) => c.close()));
	await Promise.all(routers.splice(0).map((r) => r.close()));
});

/** A link over one already connected client, recording what the collector tells it. */
async function link(version: '7.18' | '6.49' = '7.18') {
	const router = await startFakeRouter({ version, identity: 'Torre Sur' });
	routers.push(router);
	const client = new RouterOsClient({
		host: router.host,
		port: router.port,
		user: 'admin',
		password: 'admin',
		commandTimeoutMs: 300
	});
	clients.push(client);
	await client.connect();
	const failures: unknown[] = [];
	let up = true;
	const l: StatusLink & { failures: unknown[]; setUp(v: boolean): void } = {
		name: 'torre-sur',
		id: 'rid-1',
		info: undefined,
		failures,
		setUp: (v) => {
			up = v;
		},
		probe: async () => (up ? (client as RouterOs) : undefined),
		downReason: () => 'circuit open: ECONNREFUSED',
		noteFailure: (error) => failures.push(error)
	};
	return { router, link: l };
}

describe('collectRouterStatus', () => {
	it.each(['7.18', '6.49'] as const)('reports sessions on %s, reading identity once', async (v) => {
		const { router, link: l } = await link(v);
		expect(await collectRouterStatus(l, 'rid-1', 300)).toEqual({
			routerId: 'rid-1',
			reachable: true,
			identity: 'Torre Sur',
			version: v === '7.18' ? '7.18.2 (stable)' : '6.49.18 (long-term)',
			sessions: []
		});
		router.addActiveSession({ name: 'cli-1', address: '100.64.0.9', uptime: '1h2m3s' });
		router.addActiveSession({ name: 'cli-2' });
		const second = await collectRouterStatus(l, 'rid-1', 300);
		expect(second?.sessions).toEqual([
			{ name: 'cli-1', address: '100.64.0.9', uptime: '1h2m3s', callerId: undefined },
			{ name: 'cli-2', address: undefined, uptime: '0s', callerId: undefined }
		]);
		expect(router.state.count('/system/identity/print')).toBe(1);
		expect(router.state.count('/system/resource/print')).toBe(1);
	});

	it('reports a router that is down without touching it', async () => {
		const { router, link: l } = await link();
		l.setUp(false);
		expect(await collectRouterStatus(l, 'rid-1', 300)).toEqual({
			routerId: 'rid-1',
			reachable: false,
			error: 'circuit open: ECONNREFUSED'
		});
		expect(router.state.count('/ppp/active/print')).toBe(0);
	});

	it('reports a timeout as unreachable without counting it as a connection failure', async () => {
		const { router, link: l } = await link();
		await router.setFault({ kind: 'stall', command: '/ppp/active/print' });
		const status = await collectRouterStatus(l, 'rid-1', 300);
		expect(status).toMatchObject({ reachable: false });
		expect(status?.error).toBe('/ppp/active/print: no answer within 300 ms');
		expect(l.failures).toEqual([]);
	});

	it('leaves a fresh connection to the jobs waiting for it', async () => {
		const { router, link: l } = await link();
		let jobsWaiting = true;
		l.yieldsToJobs = () => jobsWaiting;
		expect(await collectRouterStatus(l, 'rid-1', 300)).toBeUndefined();
		expect(router.state.count('/ppp/active/print')).toBe(0);
		jobsWaiting = false;
		expect(await collectRouterStatus(l, 'rid-1', 300)).toMatchObject({ reachable: true });
	});

	it('counts a dropped connection towards the circuit', async () => {
		const { router, link: l } = await link();
		await router.setFault({ kind: 'drop', command: '/ppp/active/print' });
		const status = await collectRouterStatus(l, 'rid-1', 300);
		expect(status).toMatchObject({ reachable: false });
		expect(l.failures).toHaveLength(1);
	});
});

describe('startStatusReporter', () => {
	it('posts every interval, and a failed post is dropped for a fresh one', async () => {
		const { router, link: l } = await link();
		const posts: { at: number; body: AgentStatus }[] = [];
		let fail = 1;
		const lines: string[] = [];
		const reporter = startStatusReporter({
			links: [l],
			api: {
				status: async (body) => {
					if (fail-- > 0) throw new Error('server away');
					posts.push({ at: Date.now(), body });
				}
			},
			intervalMs: 100,
			commandTimeoutMs: 300,
			log: createLogger({ write: (line) => lines.push(line) })
		});
		try {
			await new Promise((resolve) => setTimeout(resolve, 80));
			router.addActiveSession({ name: 'cli-1' });
			const t0 = Date.now();
			while (posts.length < 3 && Date.now() - t0 < 3000) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		} finally {
			await reporter.stop();
		}
		expect(posts.length).toBeGreaterThanOrEqual(3);
		expect(posts[0].body.routers[0].sessions?.map((s) => s.name)).toEqual(['cli-1']);
		expect(lines.filter((line) => line.includes('status.post-failed'))).toHaveLength(1);
		expect(lines.some((line) => line.includes('status.posted'))).toBe(true);
		const posted = posts.length;
		await new Promise((resolve) => setTimeout(resolve, 250));
		expect(posts.length).toBe(posted);
	});
});
