import { describe, expect, it } from 'vitest';
import { driftCountOf, driftReportOf, ipInRanges, pingResultOf, type DriftReport } from './router';

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
});
