// Every job handler against the fake RouterOS server, on 7.18 (prints that match nothing answer
// `!empty`) and 6.49 (a bare `!done`). Each desired-state job is run twice: the second run must
// change nothing, which is what makes re-delivery after a lost lease harmless.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeRouter } from '../../../tests/fake-router/fake-router';
import type {
	FakeMenu,
	FakeRouter,
	FakeRouterOptions,
	FakeRouterVersion
} from '../../../tests/fake-router/fake-router';
import { RouterOsClient } from '../routeros/client';
import { RouterOsTrapError } from '../routeros/errors';
import { InvalidJobError, nextBatch, runJob, type JobContext } from './index';
import { parseDurationMs } from './ping';
import { normalizeRanges } from './pool';
import { failure } from '../testing';

const PASSWORD = 'Agent-Pa55word';
const routers: FakeRouter[] = [];
const clients: RouterOsClient[] = [];

afterEach(async () => {
	await Promise.all(clients.splice(0).map((c) => c.close()));
	await Promise.all(routers.splice(0).map((r) => r.close()));
});

async function setup(
	version: FakeRouterVersion,
	options: FakeRouterOptions = {}
): Promise<{ router: FakeRouter; ctx: JobContext }> {
	const router = await startFakeRouter({
		version,
		users: [{ name: 'agent', password: PASSWORD }],
		seed: {
			'/ppp/profile': [
				{ name: 'enlace-100m', 'rate-limit': '20M/100M' },
				{ name: 'enlace-offline', 'rate-limit': '1M/1M' }
			]
		},
		...options
	});
	routers.push(router);
	const ros = new RouterOsClient({
		host: router.host,
		port: router.port,
		user: 'agent',
		password: PASSWORD,
		commandTimeoutMs: 2000
	});
	clients.push(ros);
	await ros.connect();
	return { router, ctx: { ros, commandTimeoutMs: 2000 } };
}

/** The rows of a menu without `.id`s, for end-state comparisons. */
const rows = (router: FakeRouter, menu: FakeMenu) =>
	router.state.rows(menu).map(({ '.id': _id, ...rest }) => rest);

/** Write commands the router received (adds, sets, unsets, removes). */
const writes = (router: FakeRouter) =>
	router.state.log.map((e) => e.command).filter((c) => /\/(add|set|unset|remove)$/.test(c));

const secret = {
	name: 'cli-00123',
	password: 'Cust0mer-pw',
	profile: 'enlace-100m',
	remoteAddress: '100.64.10.5',
	comment: 'CLI-00123'
};

describe.each(['7.18', '6.49'] as const)('on RouterOS %s', (version) => {
	describe('secret.ensure', () => {
		it('adds a missing secret, and a second run changes nothing', async () => {
			const { router, ctx } = await setup(version);
			const first = await runJob(ctx, 'secret.ensure', secret);
			expect(first).toEqual({ action: 'added', changed: [], kicked: 0 });
			const after = rows(router, '/ppp/secret');
			expect(after).toEqual([
				{
					name: 'cli-00123',
					service: 'pppoe',
					password: 'Cust0mer-pw',
					profile: 'enlace-100m',
					'remote-address': '100.64.10.5',
					disabled: 'false',
					comment: 'CLI-00123'
				}
			]);
			const writesBefore = writes(router).length;
			const second = await runJob(ctx, 'secret.ensure', secret);
			expect(second).toEqual({ action: 'unchanged', changed: [], kicked: 0 });
			expect(rows(router, '/ppp/secret')).toEqual(after);
			expect(writes(router).length).toBe(writesBefore);
			if (version === '7.18') {
				// The first print matched nothing: the router said so with !empty.
				const firstPrint = router.state.log.find((e) => e.command === '/ppp/secret/print');
				expect(firstPrint?.replies).toEqual(['!empty', '!done']);
			}
		});

		it('sets only the fields that differ and unsets a static address left out', async () => {
			const { router, ctx } = await setup(version, {
				seed: {
					'/ppp/profile': [{ name: 'enlace-100m' }, { name: 'enlace-offline' }],
					'/ppp/secret': [
						{
							name: 'cli-00123',
							password: 'old-password',
							profile: 'enlace-100m',
							'remote-address': '100.64.10.5',
							comment: 'kept by hand',
							disabled: 'true'
						}
					]
				}
			});
			const offline = { name: 'cli-00123', password: 'old-password', profile: 'enlace-offline' };
			const result = await runJob(ctx, 'secret.ensure', offline);
			expect(result).toEqual({
				action: 'updated',
				changed: ['profile', 'disabled', 'remoteAddress'],
				kicked: 0
			});
			const set = router.state.log.find((e) => e.command === '/ppp/secret/set');
			expect(set?.words).toEqual(
				expect.arrayContaining(['=profile=enlace-offline', '=disabled=no'])
			);
			expect(set?.words.some((w) => w.startsWith('=password='))).toBe(false);
			expect(router.state.count('/ppp/secret/unset')).toBe(1);
			const [row] = rows(router, '/ppp/secret');
			expect(row['remote-address']).toBeUndefined();
			expect(row).toMatchObject({
				profile: 'enlace-offline',
				disabled: 'false',
				comment: 'kept by hand'
			});
			expect(await runJob(ctx, 'secret.ensure', offline)).toMatchObject({
				action: 'unchanged'
			});
		});

		it('kicks the active session when asked, and finds nothing to kick the second time', async () => {
			const { router, ctx } = await setup(version);
			router.addActiveSession({ name: 'cli-00123', address: '100.64.10.5' });
			router.addActiveSession({ name: 'someone-else', address: '100.64.10.6' });
			const payload = { ...secret, kick: true };
			expect(await runJob(ctx, 'secret.ensure', payload)).toMatchObject({ kicked: 1 });
			expect(rows(router, '/ppp/active').map((s) => s.name)).toEqual(['someone-else']);
			expect(await runJob(ctx, 'secret.ensure', payload)).toMatchObject({
				action: 'unchanged',
				kicked: 0
			});
		});

		it('converges a secret that appears between print and add', async () => {
			const { router, ctx } = await setup(version, {
				// Another tool adds the secret right after our print: our add then traps.
				onCommand: (entry, state) => {
					if (entry.command === '/ppp/secret/print' && state.rows('/ppp/secret').length === 0) {
						state.tables['/ppp/secret'].push({
							'.id': state.newId('/ppp/secret'),
							name: 'cli-00123',
							password: 'x',
							profile: 'default',
							disabled: 'false'
						});
					}
				}
			});
			const result = await runJob(ctx, 'secret.ensure', secret);
			expect(result).toMatchObject({ action: 'updated' });
			expect(router.state.count('/ppp/secret/add')).toBe(1);
			expect(rows(router, '/ppp/secret')).toHaveLength(1);
			expect(rows(router, '/ppp/secret')[0]).toMatchObject({
				password: 'Cust0mer-pw',
				profile: 'enlace-100m'
			});
		});

		it('surfaces a router trap (unknown profile) with the router text', async () => {
			const { router, ctx } = await setup(version);
			const error = await failure(
				runJob(ctx, 'secret.ensure', { ...secret, profile: 'no-such-profile' })
			);
			expect(error).toBeInstanceOf(RouterOsTrapError);
			expect(error.message).toBe('input does not match any value of profile');
			expect(rows(router, '/ppp/secret')).toEqual([]);
		});
	});

	describe('secret.remove', () => {
		it('removes the secret and its session; a second run is a no-op', async () => {
			const { router, ctx } = await setup(version);
			await runJob(ctx, 'secret.ensure', secret);
			await runJob(ctx, 'secret.ensure', { ...secret, name: 'cli-00124' });
			router.addActiveSession({ name: 'cli-00123' });
			expect(await runJob(ctx, 'secret.remove', { name: 'cli-00123' })).toEqual({
				removed: 1,
				kicked: 1
			});
			expect(rows(router, '/ppp/secret').map((s) => s.name)).toEqual(['cli-00124']);
			expect(rows(router, '/ppp/active')).toEqual([]);
			expect(await runJob(ctx, 'secret.remove', { name: 'cli-00123' })).toEqual({
				removed: 0,
				kicked: 0
			});
			expect(rows(router, '/ppp/secret').map((s) => s.name)).toEqual(['cli-00124']);
		});
	});

	describe('session.kick', () => {
		it('removes every session of the name; none is success', async () => {
			const { router, ctx } = await setup(version);
			router.addActiveSession({ name: 'cli-00123' });
			router.addActiveSession({ name: 'cli-00123' });
			router.addActiveSession({ name: 'cli-00999' });
			expect(await runJob(ctx, 'session.kick', { name: 'cli-00123' })).toEqual({ kicked: 2 });
			expect(rows(router, '/ppp/active').map((s) => s.name)).toEqual(['cli-00999']);
			expect(await runJob(ctx, 'session.kick', { name: 'cli-00123' })).toEqual({ kicked: 0 });
		});

		it('treats a session that ended between print and remove as kicked', async () => {
			const { router, ctx } = await setup(version, {
				onCommand: (entry, state) => {
					// The customer hangs up right after our print.
					if (entry.command === '/ppp/active/print') state.tables['/ppp/active'].length = 0;
				}
			});
			router.addActiveSession({ name: 'cli-00123' });
			expect(await runJob(ctx, 'session.kick', { name: 'cli-00123' })).toEqual({ kicked: 0 });
			expect(router.state.count('/ppp/active/remove')).toBe(1);
		});
	});

	describe('ping', () => {
		it('reports the totals of the last reply', async () => {
			const { router, ctx } = await setup(version, { pingIntervalMs: 1 });
			router.addActiveSession({ name: 'cli-00123', address: '100.64.10.5' });
			const up = await runJob(ctx, 'ping', { address: '100.64.10.5', count: 3 });
			const rtt = version === '7.18' ? 1.52 : 1;
			expect(up).toEqual({
				sent: 3,
				received: 3,
				loss: 0,
				rttMinMs: rtt,
				rttAvgMs: rtt,
				rttMaxMs: rtt
			});
			const down = await runJob(ctx, 'ping', { address: '100.64.99.99', count: 2 });
			expect(down).toEqual({ sent: 2, received: 0, loss: 100 });
		});

		it('rejects a count out of range before touching the router', async () => {
			const { router, ctx } = await setup(version);
			const error = await failure(runJob(ctx, 'ping', { address: '100.64.10.5', count: 500 }));
			expect(error).toBeInstanceOf(InvalidJobError);
			expect(router.state.count('/ping')).toBe(0);
		});
	});

	describe('profile.ensure', () => {
		it('adds, then sets only what differs, leaving unmentioned fields alone', async () => {
			const { router, ctx } = await setup(version);
			const profile = {
				name: 'enlace-50m',
				rateLimit: '10M/50M',
				localAddress: '10.255.0.1',
				remoteAddress: 'pool-clientes'
			};
			expect(await runJob(ctx, 'profile.ensure', profile)).toEqual({
				action: 'added',
				changed: []
			});
			expect(await runJob(ctx, 'profile.ensure', profile)).toEqual({
				action: 'unchanged',
				changed: []
			});
			expect(
				await runJob(ctx, 'profile.ensure', { name: 'enlace-50m', rateLimit: '20M/50M' })
			).toEqual({ action: 'updated', changed: ['rate-limit'] });
			expect(router.state.find('/ppp/profile', { name: 'enlace-50m' })).toMatchObject({
				'rate-limit': '20M/50M',
				'local-address': '10.255.0.1',
				'remote-address': 'pool-clientes'
			});
		});
	});

	describe('pool.ensure / pool.remove', () => {
		it('converges the ranges and removes idempotently', async () => {
			const { router, ctx } = await setup(version);
			const pool = { name: 'pool-clientes', ranges: '100.64.10.2-100.64.10.254, 100.64.11.0/24' };
			expect(await runJob(ctx, 'pool.ensure', pool)).toEqual({ action: 'added' });
			expect(await runJob(ctx, 'pool.ensure', pool)).toEqual({ action: 'unchanged' });
			expect(rows(router, '/ip/pool')).toEqual([
				{ name: 'pool-clientes', ranges: '100.64.10.2-100.64.10.254,100.64.11.0/24' }
			]);
			expect(
				await runJob(ctx, 'pool.ensure', { name: 'pool-clientes', ranges: '100.64.12.0/24' })
			).toEqual({ action: 'updated' });
			expect(rows(router, '/ip/pool')).toEqual([
				{ name: 'pool-clientes', ranges: '100.64.12.0/24' }
			]);
			expect(await runJob(ctx, 'pool.remove', { name: 'pool-clientes' })).toEqual({
				removed: true
			});
			expect(await runJob(ctx, 'pool.remove', { name: 'pool-clientes' })).toEqual({
				removed: false
			});
			expect(rows(router, '/ip/pool')).toEqual([]);
		});
	});

	describe('router.check', () => {
		it('reports missing, different and unknown secrets without writing', async () => {
			const { router, ctx } = await setup(version, {
				seed: {
					'/ppp/profile': [{ name: 'enlace-100m' }, { name: 'enlace-offline' }],
					'/ppp/secret': [
						{ name: 'same', password: 'pw-same', profile: 'enlace-100m' },
						{
							name: 'drifted',
							password: 'changed-by-hand',
							profile: 'enlace-offline',
							'remote-address': '100.64.10.9'
						},
						{ name: 'hand-made', password: 'x', profile: 'default' }
					]
				}
			});
			const result = await runJob(ctx, 'router.check', {
				accounts: [
					{ name: 'same', password: 'pw-same', profile: 'enlace-100m' },
					{ name: 'drifted', password: 'pw-drifted', profile: 'enlace-100m' },
					{ name: 'not-there', password: 'pw', profile: 'enlace-100m' }
				]
			});
			expect(result).toEqual({
				missing: ['not-there'],
				different: [{ name: 'drifted', fields: ['password', 'profile', 'remoteAddress'] }],
				unknown: ['hand-made']
			});
			expect(writes(router)).toEqual([]);
		});

		it('reports everything missing on an empty router', async () => {
			const { ctx } = await setup(version);
			expect(
				await runJob(ctx, 'router.check', {
					accounts: [{ name: 'a', password: 'pw', profile: 'enlace-100m' }]
				})
			).toEqual({ missing: ['a'], different: [], unknown: [] });
		});

		it('reports missing and different pools and profiles, twice alike, without writing', async () => {
			const { router, ctx } = await setup(version, {
				seed: {
					'/ip/pool': [
						{ name: 'clientes', ranges: '100.64.0.2-100.64.0.254' },
						{ name: 'otro', ranges: '10.9.0.0/24' }
					],
					'/ppp/profile': [
						{ name: 'enlace-100m', 'rate-limit': '20M/50M' },
						{ name: 'enlace-sin-conexion', 'remote-address': 'clientes' }
					]
				}
			});
			const payload = {
				accounts: [],
				pools: [
					{ name: 'clientes', ranges: '100.64.0.2-100.64.0.254' },
					{ name: 'suspendidos', ranges: '10.99.0.2-10.99.0.254' },
					{ name: 'otro', ranges: '10.9.0.0/24, 10.9.1.0/24' }
				],
				profiles: [
					{ name: 'enlace-100m', rateLimit: '20M/100M' },
					{ name: 'enlace-50m', rateLimit: '10M/50M' },
					{ name: 'enlace-sin-conexion', remoteAddress: 'suspendidos' }
				]
			};
			const expected = {
				missing: [],
				different: [],
				unknown: [],
				pools: { missing: ['suspendidos'], different: [{ name: 'otro', fields: ['ranges'] }] },
				profiles: {
					missing: ['enlace-50m'],
					different: [
						{ name: 'enlace-100m', fields: ['rateLimit'] },
						{ name: 'enlace-sin-conexion', fields: ['remoteAddress'] }
					]
				}
			};
			expect(await runJob(ctx, 'router.check', payload)).toEqual(expected);
			expect(await runJob(ctx, 'router.check', payload)).toEqual(expected);
			expect(writes(router)).toEqual([]);
		});

		it('reports every pool and profile missing on a wiped router', async () => {
			const { ctx } = await setup(version, { seed: {} });
			expect(
				await runJob(ctx, 'router.check', {
					accounts: [{ name: 'a', password: 'pw', profile: 'enlace-100m' }],
					pools: [{ name: 'suspendidos', ranges: '10.99.0.2-10.99.0.254' }],
					profiles: [
						{ name: 'enlace-100m', rateLimit: '20M/100M' },
						{ name: 'enlace-sin-conexion', remoteAddress: 'suspendidos' }
					]
				})
			).toEqual({
				missing: ['a'],
				different: [],
				unknown: [],
				pools: { missing: ['suspendidos'], different: [] },
				profiles: { missing: ['enlace-100m', 'enlace-sin-conexion'], different: [] }
			});
		});
	});
});

describe('runJob', () => {
	it('refuses an unknown kind and a bad payload without echoing the payload', async () => {
		const { router, ctx } = await setup('7.18');
		const unknown = await failure(runJob(ctx, 'secret.explode', { name: 'x' }));
		expect(unknown).toBeInstanceOf(InvalidJobError);
		expect(unknown.message).toBe('unknown job kind secret.explode');
		const bad = await failure(
			runJob(ctx, 'secret.ensure', { name: 'x', password: 'Leaky-Pa55', profile: 42 })
		);
		expect(bad).toBeInstanceOf(InvalidJobError);
		expect(bad.message).toContain('profile');
		expect(bad.message).not.toContain('Leaky-Pa55');
		// Prototype keys are not job kinds.
		expect(await failure(runJob(ctx, 'toString', {}))).toBeInstanceOf(InvalidJobError);
		expect(writes(router)).toEqual([]);
	});
});

describe('nextBatch', () => {
	const ensure = (name: string) => ({
		kind: 'secret.ensure',
		payload: { name, password: 'Cust0mer-pw', profile: 'default' }
	});
	const kick = { kind: 'session.kick', payload: { name: 'a' } };

	it('takes the run of jobs the head’s handler batches: same kind, well-formed, distinct keys', () => {
		const sizes = (queue: { kind: string; payload: unknown }[]) => nextBatch(queue).jobs.length;
		expect(sizes([ensure('a'), ensure('b'), kick, ensure('c')])).toBe(2);
		expect(sizes([ensure('a'), ensure('b'), ensure('a'), ensure('c')])).toBe(2);
		expect(sizes([ensure('a'), { kind: 'secret.ensure', payload: { name: 'b' } }])).toBe(1);
		// A kind whose handler offers no batch runs alone.
		expect(sizes([kick, { ...kick, payload: { name: 'b' } }])).toBe(1);
		expect(sizes([{ kind: 'nope', payload: {} }, kick])).toBe(1);
	});

	it('runs a batch with one outcome per job, and a lone job through runJob', async () => {
		const { router, ctx } = await setup('7.18');
		const batch = nextBatch([ensure('a'), ensure('b')]);
		expect(await batch.run(ctx)).toMatchObject([
			{ ok: true, value: { action: 'added' } },
			{ ok: true, value: { action: 'added' } }
		]);
		expect(rows(router, '/ppp/secret').map((r) => r.name)).toEqual(['a', 'b']);
		const [lone] = await nextBatch([{ kind: 'nope', payload: {} }]).run(ctx);
		expect(lone.ok).toBe(false);
		expect(!lone.ok && lone.error).toBeInstanceOf(InvalidJobError);
	});
});

describe('helpers', () => {
	it('parses RouterOS durations', () => {
		expect(parseDurationMs('1ms')).toBe(1);
		expect(parseDurationMs('1ms520us')).toBe(1.52);
		expect(parseDurationMs('1s200ms')).toBe(1200);
		expect(parseDurationMs('850us')).toBe(0.85);
		expect(parseDurationMs('1m2s')).toBe(62_000);
		expect(parseDurationMs('00:00:01.5')).toBe(1500);
		expect(parseDurationMs('timeout')).toBeUndefined();
		expect(parseDurationMs('12')).toBeUndefined();
		expect(parseDurationMs(undefined)).toBeUndefined();
	});

	it('normalizes pool ranges', () => {
		expect(normalizeRanges(' 10.0.0.2-10.0.0.9 , 10.0.1.0/24,')).toBe(
			'10.0.0.2-10.0.0.9,10.0.1.0/24'
		);
	});
});
