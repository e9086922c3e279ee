import { describe, expect, it } from 'vitest';
import {
	DRIFT_LIST_MAX,
	boundedDriftReport,
	driftCountOf,
	driftReportOf,
	ipInRanges,
	pingResultOf,
	syncedJobPayload,
	unknownCountOf,
	type DriftReport
} from './router';
import { ROUTER_JOBS_WITHOUT_SECRETS } from '../domain/row-shapes';

describe('ipInRanges', () => {
	it('reads the ranges RouterOS pools take: a-b, a CIDR block, one address, several', () => {
		expect(ipInRanges('10.0.0.2', '10.0.0.2-10.0.0.254')).toBe(true);
		expect(ipInRanges('10.0.0.254', '10.0.0.2-10.0.0.254')).toBe(true);
		expect(ipInRanges('10.0.0.1', '10.0.0.2-10.0.0.254')).toBe(false);
		expect(ipInRanges('10.1.0.255', '10.1.0.0/24')).toBe(true);
		expect(ipInRanges('10.1.1.0', '10.1.0.0/24')).toBe(false);
		expect(ipInRanges('10.1.0.9', '10.1.0.9/26')).toBe(true);
		expect(ipInRanges('8.8.8.8', '0.0.0.0/0')).toBe(true);
		expect(ipInRanges('10.5.0.1', '10.5.0.1')).toBe(true);
		expect(ipInRanges('172.16.0.9', '10.0.0.0/8, 172.16.0.2-172.16.0.10')).toBe(true);
		expect(ipInRanges('10.0.0.300', '10.0.0.0/8')).toBe(false);
	});
});

describe('job result parsers', () => {
	it('ping: the figures, with the loss derived when missing; undefined for a hostile result', () => {
		expect(pingResultOf({ sent: 4, received: 3, rttAvgMs: 1.52, rttMaxMs: 'x' })).toEqual({
			sent: 4,
			received: 3,
			loss: 25,
			rttAvgMs: 1.52
		});
		expect(pingResultOf(undefined)).toBeUndefined();
		expect(pingResultOf({ sent: '4', received: 4 })).toBeUndefined();
	});

	it('drift report: keeps the well-formed entries and drops the rest', () => {
		expect(
			driftReportOf({
				missing: ['c00001', 3],
				different: [{ name: 'c00002', fields: ['profile', 1] }, { fields: [] }, null],
				unknown: 'viejo'
			})
		).toEqual({
			missing: ['c00001'],
			different: [{ name: 'c00002', fields: ['profile'] }],
			unknown: []
		});
		expect(driftReportOf(undefined)).toBeUndefined();
		const withObjects = driftReportOf({
			missing: [],
			different: [],
			unknown: [],
			pools: { missing: ['suspendidos', 7], different: [{ name: 'clientes', fields: ['ranges'] }] },
			profiles: 'todos'
		});
		expect(withObjects).toEqual({
			missing: [],
			different: [],
			unknown: [],
			pools: { missing: ['suspendidos'], different: [{ name: 'clientes', fields: ['ranges'] }] }
		});
		expect(driftCountOf(withObjects as DriftReport)).toBe(2);
	});

	it('drift report as stored: each list cut to DRIFT_LIST_MAX with the full counts; idempotent', () => {
		const names = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);
		const big = {
			missing: names('falta', 250),
			different: names('distinta', 3).map((name) => ({ name, fields: ['password'] })),
			unknown: names('ajena', 5000),
			pools: { missing: names('pool', 120), different: [] },
			extra: 'x'.repeat(1000)
		};
		const stored = boundedDriftReport(big)!;
		expect(stored.missing).toEqual(big.missing.slice(0, DRIFT_LIST_MAX));
		expect(stored.different).toEqual(big.different);
		expect(stored.unknown).toHaveLength(DRIFT_LIST_MAX);
		expect(stored.counts).toEqual({ missing: 250, different: 3, unknown: 5000 });
		expect(stored.pools).toEqual({
			missing: big.pools.missing.slice(0, DRIFT_LIST_MAX),
			different: [],
			counts: { missing: 120, different: 0 }
		});
		expect(stored).not.toHaveProperty('extra');
		expect(JSON.stringify(stored).length).toBeLessThan(10_000);
		expect(driftCountOf(stored)).toBe(250 + 3 + 120);
		expect(unknownCountOf(stored)).toBe(5000);
		// Cut again (a migration retried, a row read back): the same report, the totals kept.
		expect(boundedDriftReport(stored)).toEqual(stored);
		expect(driftReportOf(stored)).toEqual(stored);
		// A small report stays as it was, without counts.
		const small = { missing: ['a'], different: [], unknown: [] };
		expect(boundedDriftReport(small)).toEqual(small);
		// Counts below what the list holds are not believed.
		expect(
			driftReportOf({ ...small, counts: { missing: 0, different: -1, unknown: 'x' } })
		).toEqual({ ...small, counts: { missing: 1, different: 0, unknown: 0 } });
	});
});

describe('router jobs without secrets', () => {
	const job = (kind: string, payload: Record<string, unknown>, more = {}) => ({
		id: 'j1',
		routerId: 'r1',
		kind,
		payload,
		state: 'done',
		attempts: 1,
		createdAt: '2025-03-01T10:00:00.000Z',
		updatedAt: '2025-03-01T10:00:00.000Z',
		...more
	});
	const rewrite = ROUTER_JOBS_WITHOUT_SECRETS.rows.routerJob!;

	it('a secret.ensure loses its password, a router.check its account list and long lists', () => {
		const secret = job('secret.ensure', { name: 'ana', password: 'clave-1', profile: 'default' });
		expect(rewrite(secret)).toEqual({ ...secret, payload: { name: 'ana', profile: 'default' } });
		const check = job(
			'router.check',
			{ accounts: [{ name: 'ana', password: 'clave-1', profile: 'default' }], pools: [] },
			{
				result: {
					missing: [],
					different: [],
					unknown: Array.from({ length: 300 }, (_, i) => `u${i}`)
				}
			}
		);
		const out = rewrite(check);
		expect(out.payload).toEqual({});
		expect(out.result).toMatchObject({ counts: { unknown: 300 } });
		expect(JSON.stringify(out)).not.toContain('clave-1');
	});

	it('is idempotent and leaves other jobs alone', () => {
		for (const row of [
			job('secret.ensure', { name: 'ana', password: 'clave-1', profile: 'default' }),
			job(
				'router.check',
				{ accounts: [] },
				{ result: { missing: ['a'], different: [], unknown: [] } }
			),
			job('ping', { address: '10.0.0.1', count: 4 })
		]) {
			const once = rewrite(row);
			expect(rewrite(once)).toBe(once);
		}
		const ping = job('ping', { address: '10.0.0.1', count: 4 });
		expect(rewrite(ping)).toBe(ping);
		expect(syncedJobPayload('pool.ensure', { name: 'p', ranges: '10.0.0.0/24' })).toEqual({
			name: 'p',
			ranges: '10.0.0.0/24'
		});
	});
});
