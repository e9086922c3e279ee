import { describe, expect, it } from 'vitest';
import type { RouterJob } from '@enlace/shared';
import {
	driftCount,
	leftOut,
	driftReport,
	objectDriftCount,
	type DriftReport,
	fmtMs,
	fmtUptime,
	jobView,
	latestByKind,
	liveUptime,
	mutationsFor,
	pingFigures
} from './jobs';

const job = (over: Partial<RouterJob>): RouterJob => ({
	id: 'j1',
	routerId: 'r1',
	kind: 'ping',
	payload: {},
	state: 'queued',
	attempts: 0,
	createdAt: '2026-01-01T10:00:00.000Z',
	updatedAt: '2026-01-01T10:00:00.000Z',
	...over
});

describe('latestByKind', () => {
	it('keeps the newest job of each kind, ordering jobs of one mutation by n', () => {
		const jobs = [
			job({ id: 'a', kind: 'ping', createdAt: '2026-01-01T10:00:00Z' }),
			job({ id: 'b', kind: 'ping', createdAt: '2026-01-01T11:00:00Z' }),
			job({ id: 'c', kind: 'secret.ensure', createdAt: '2026-01-01T09:00:00Z', n: 7 }),
			job({ id: 'd', kind: 'secret.ensure', createdAt: '2026-01-01T09:00:00Z', n: 8 }),
			job({ id: 'e', kind: 'secret.ensure', createdAt: '2026-01-01T09:00:00Z', n: 3 })
		];
		const l = latestByKind(jobs);
		expect(l.get('ping')?.id).toBe('b');
		expect(l.get('secret.ensure')?.id).toBe('d');
		expect(l.get('session.kick')).toBeUndefined();
	});
});

describe('pingFigures', () => {
	it('reads the agent result and derives the loss when missing', () => {
		const f = pingFigures(job({ result: { sent: 4, received: 3, rttAvgMs: 1.52 } }));
		expect(f).toEqual({
			sent: 4,
			received: 3,
			loss: 25,
			rttMinMs: undefined,
			rttAvgMs: 1.52,
			rttMaxMs: undefined
		});
	});
	it('is undefined without figures (queued, failed, hostile result)', () => {
		expect(pingFigures(job({}))).toBeUndefined();
		expect(pingFigures(job({ result: { sent: '4', received: 4 } }))).toBeUndefined();
	});
	it('formats milliseconds the Spanish way', () => {
		expect(fmtMs(1.52)).toBe('1,52 ms');
		expect(fmtMs(12.4)).toBe('12 ms');
		expect(fmtMs(undefined)).toBe('—');
	});
});

describe('driftReport', () => {
	it('keeps well-formed entries and drops the rest', () => {
		const d = driftReport(
			job({
				kind: 'router.check',
				result: {
					missing: ['c00001', 3],
					different: [{ name: 'c00002', fields: ['profile', 1] }, { fields: [] }, null],
					unknown: ['viejo']
				}
			})
		);
		expect(d).toEqual({
			missing: ['c00001'],
			different: [{ name: 'c00002', fields: ['profile'] }],
			unknown: ['viejo']
		});
	});

	it('counts the pools and profiles that differ apart from the accounts', () => {
		const d = driftReport(
			job({
				kind: 'router.check',
				result: {
					missing: ['c00001'],
					different: [],
					unknown: [],
					pools: { missing: ['suspendidos'], different: [] },
					profiles: {
						missing: ['enlace-sin-conexion'],
						different: [{ name: 'x', fields: ['rateLimit'] }]
					}
				}
			})
		) as DriftReport;
		expect(driftCount(d)).toBe(1);
		expect(objectDriftCount(d)).toBe(3);
	});

	it('counts what a stored report left out of its cut lists', () => {
		const d = driftReport(
			job({
				kind: 'router.check',
				result: {
					missing: ['c00001', 'c00002'],
					different: [],
					unknown: ['x'],
					counts: { missing: 900, different: 0, unknown: 40 },
					pools: { missing: ['p'], different: [], counts: { missing: 150, different: 0 } }
				}
			})
		) as DriftReport;
		expect(driftCount(d)).toBe(900);
		expect(objectDriftCount(d)).toBe(150);
		expect(leftOut(d.missing, d.counts?.missing)).toBe(898);
		expect(leftOut(d.unknown, d.counts?.unknown)).toBe(39);
		expect(leftOut(d.different, d.counts?.different)).toBe(0);
		expect(leftOut(['a'], undefined)).toBe(0);
	});
});

describe('jobView', () => {
	const base = { latest: undefined, pending: [], rejected: [], request: undefined, now: 1000 };
	const m = (id: string, name = 'pppoe.ping') => ({ id, name, args: { id: 'acc' } });

	it('says "unsent" while the mutation waits in the outbox', () => {
		expect(jobView({ ...base, pending: [m('m1')] }).phase).toBe('unsent');
	});
	it('shows "sent" until a job newer than the click arrives, then that job', () => {
		const old = job({ id: 'old', state: 'done' });
		const request = { mutationId: 'm1', known: ['old'], at: 900 };
		expect(jobView({ ...base, latest: old, request }).phase).toBe('sent');
		const fresh = job({ id: 'new', state: 'running' });
		expect(jobView({ ...base, latest: fresh, request })).toEqual({ phase: 'job', job: fresh });
	});
	it('gives up waiting for the job after a while and shows the latest one', () => {
		const old = job({ id: 'old', state: 'done' });
		const request = { mutationId: 'm1', known: ['old'], at: 0 };
		expect(jobView({ ...base, latest: old, request, now: 60_000 }).phase).toBe('job');
	});
	it('shows the server refusal of this screen’s request', () => {
		const rejected = [
			{ ...m('m1'), error: { message: 'No hay dirección' }, rejectedAt: '2026-01-01T12:00:00Z' }
		];
		const request = { mutationId: 'm1', known: [], at: 900 };
		expect(jobView({ ...base, rejected, request })).toEqual({
			phase: 'rejected',
			message: 'No hay dirección'
		});
	});
	it('a refusal older than the latest job does not hide it', () => {
		const rejected = [
			{ ...m('m0'), error: { message: 'viejo' }, rejectedAt: '2026-01-01T09:00:00Z' }
		];
		const latest = job({ state: 'done', updatedAt: '2026-01-01T10:00:00Z' });
		expect(jobView({ ...base, latest, rejected }).phase).toBe('job');
	});
});

describe('mutationsFor', () => {
	it('matches by the job kind a mutation ends in and by its target', () => {
		const list = [
			{ id: '1', name: 'pppoe.save', args: { id: 'a' } },
			{ id: '2', name: 'pppoe.setOffline', args: { id: 'a' } },
			{ id: '3', name: 'pppoe.save', args: { id: 'b' } },
			{ id: '4', name: 'customer.update', args: { id: 'a' } }
		];
		expect(mutationsFor(list, 'secret.ensure', 'id', 'a').map((x) => x.id)).toEqual(['1', '2']);
		expect(mutationsFor(list, 'secret.ensure', 'id', undefined)).toEqual([]);
	});
});

describe('uptime', () => {
	it('is written the RouterOS way', () => {
		expect(fmtUptime(0)).toBe('0s');
		expect(fmtUptime(3725)).toBe('1h2m5s');
		expect(fmtUptime(8 * 86400 + 60)).toBe('1w1d1m0s');
	});
	it('counts from the session start, else shows the router figure', () => {
		const since = '2026-01-01T10:00:00.000Z';
		expect(liveUptime({ since, uptime: '5s' }, Date.parse(since) + 90_000)).toBe('1m30s');
		expect(liveUptime({ uptime: '3h4m5s' }, 0)).toBe('3h4m5s');
		expect(liveUptime(undefined, 0)).toBe('');
	});
});
