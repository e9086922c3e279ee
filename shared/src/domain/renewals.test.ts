import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RENEWAL_PERIODS, RENEWAL_PERIOD_MONTHS } from '../schemas/renewal';
import { DocumentLine } from '../schemas/billing';
import { sampleAssignment, samplePackage } from '../mutators/renewal-fixtures';
import {
	addMonthsClamped,
	advanceRenewal,
	anchorDay,
	dayBefore,
	daysInMonth,
	nextRenewalAfter,
	renewalsDue
} from './renewals';

const pkg = samplePackage;
const asg = sampleAssignment;

const date = fc
	.record({
		y: fc.integer({ min: 1990, max: 2200 }),
		m: fc.integer({ min: 1, max: 12 }),
		d: fc.integer({ min: 1, max: 31 })
	})
	.map(({ y, m, d }) =>
		[
			String(y),
			String(m).padStart(2, '0'),
			String(Math.min(d, daysInMonth(y, m))).padStart(2, '0')
		].join('-')
	);
const toUtc = (s: string) => Date.parse(`${s}T00:00:00Z`);

describe('month arithmetic', () => {
	it('clamps to the end of the month and keeps leap years', () => {
		expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
		expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
		expect(addMonthsClamped('2026-03-31', 1)).toBe('2026-04-30');
		expect(addMonthsClamped('2026-11-15', 3)).toBe('2027-02-15');
		expect(addMonthsClamped('2028-02-29', 12)).toBe('2029-02-28');
		expect(addMonthsClamped('2100-01-29', 1)).toBe('2100-02-28');
		expect(addMonthsClamped('2000-01-29', 1)).toBe('2000-02-29');
	});

	it('returns a clamped date to the start date’s day: 31 Jan → 28 Feb → 31 Mar', () => {
		expect(nextRenewalAfter('2026-01-31', 'monthly', '2026-01-31')).toBe('2026-02-28');
		expect(nextRenewalAfter('2026-02-28', 'monthly', '2026-01-31')).toBe('2026-03-31');
		expect(nextRenewalAfter('2026-04-30', 'monthly', '2026-01-31')).toBe('2026-05-31');
		// Not clamped (a day the user chose): stays on it.
		expect(nextRenewalAfter('2026-03-15', 'monthly', '2026-01-31')).toBe('2026-04-15');
		expect(anchorDay('2026-02-28', '2026-01-30')).toBe(30);
		expect(anchorDay('2026-02-27', '2026-01-30')).toBe(27);
	});

	it('dayBefore crosses months and years', () => {
		expect(dayBefore('2026-03-01')).toBe('2026-02-28');
		expect(dayBefore('2028-03-01')).toBe('2028-02-29');
		expect(dayBefore('2027-01-01')).toBe('2026-12-31');
		expect(dayBefore('2026-05-17')).toBe('2026-05-16');
	});

	it('property: the result is a real date in the target month, on the day or its month’s end', () => {
		fc.assert(
			fc.property(date, fc.integer({ min: 0, max: 600 }), (d, n) => {
				const r = addMonthsClamped(d, n);
				expect(Number.isNaN(toUtc(r))).toBe(false);
				expect(new Date(toUtc(r)).toISOString().slice(0, 10)).toBe(r);
				const months = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7));
				expect(months(r) - months(d)).toBe(n);
				const day = Number(d.slice(8, 10));
				const rd = Number(r.slice(8, 10));
				expect(rd === day || (rd < day && rd === daysInMonth(+r.slice(0, 4), +r.slice(5, 7)))).toBe(
					true
				);
			})
		);
	});

	it('property: renewing k times from the start never drifts (= start + k periods)', () => {
		fc.assert(
			fc.property(
				date,
				fc.constantFrom(...RENEWAL_PERIODS),
				fc.integer({ min: 1, max: 60 }),
				(start, period, k) => {
					let d = start;
					for (let i = 0; i < k; i++) d = nextRenewalAfter(d, period, start);
					expect(d).toBe(addMonthsClamped(start, k * RENEWAL_PERIOD_MONTHS[period]));
				}
			)
		);
	});

	it('property: dayBefore is exactly one day earlier', () => {
		fc.assert(
			fc.property(date, (d) => {
				expect(toUtc(d) - toUtc(dayBefore(d))).toBe(86_400_000);
			})
		);
	});
});

describe('renewalsDue', () => {
	it('one line per renewal due in the period, with the document line shape', () => {
		const due = renewalsDue([asg()], [pkg()], '2027-01-01', '2027-01-31');
		expect(due).toHaveLength(1);
		expect(due[0]).toMatchObject({
			customerId: 'c1',
			assignmentId: 'a1',
			packageId: 'p1',
			renewal: '2027-01-31',
			overdue: false
		});
		expect(due[0].line).toEqual({
			packageId: 'p1',
			renewal: { assignmentId: 'a1', from: '2027-01-31', to: '2028-01-30' },
			description:
				'Dominio y hosting · anual, del 31/01/2027 al 30/01/2028\n· Dominio .es\n· Hosting 10 GB',
			quantity: 1,
			unitCents: 10000,
			vatRate: 21
		});
		expect(DocumentLine.safeParse(due[0].line).success).toBe(true);
	});

	it('nothing before its date; overdue renewals are still due; monthly gives one line a month', () => {
		expect(renewalsDue([asg()], [pkg()], '2026-12-01', '2026-12-31')).toEqual([]);
		const late = renewalsDue(
			[asg({ nextRenewal: '2026-11-30' })],
			[pkg()],
			'2026-12-01',
			'2026-12-31'
		);
		expect(late.map((d) => [d.renewal, d.overdue])).toEqual([['2026-11-30', true]]);
		const monthly = renewalsDue(
			[asg({ nextRenewal: '2026-01-31', quantity: 2 })],
			[pkg({ period: 'monthly' })],
			'2026-01-01',
			'2026-03-31'
		);
		expect(monthly.map((d) => [d.renewal, d.line.renewal?.to, d.line.quantity])).toEqual([
			['2026-01-31', '2026-02-27', 2],
			['2026-02-28', '2026-03-30', 2],
			['2026-03-31', '2026-04-29', 2]
		]);
	});

	it('skips assignments whose package is gone; truncates long descriptions to 500', () => {
		expect(renewalsDue([asg({ packageId: 'x' })], [pkg()], '2027-01-01', '2027-12-31')).toEqual([]);
		const big = pkg({
			items: Array.from({ length: 30 }, (_, i) => `Elemento ${i} ${'x'.repeat(180)}`)
		});
		const [d] = renewalsDue([asg()], [big], '2027-01-01', '2027-12-31');
		expect(d.line.description.length).toBe(500);
		expect(DocumentLine.safeParse(d.line).success).toBe(true);
	});

	it('property: the order of the input never changes the result', () => {
		const rows = [
			asg(),
			asg({ id: 'a2', customerId: 'c0', nextRenewal: '2027-02-01', startDate: '2026-02-01' }),
			asg({ id: 'a3', packageId: 'p2', nextRenewal: '2027-01-15', startDate: '2027-01-15' })
		];
		const pkgs = [pkg(), pkg({ id: 'p2', period: 'monthly' })];
		const expected = renewalsDue(rows, pkgs, '2027-01-01', '2027-03-31');
		expect(expected.map((d) => d.assignmentId)).toEqual(['a2', 'a1', 'a3', 'a3', 'a3']);
		fc.assert(
			fc.property(
				fc.shuffledSubarray(rows, { minLength: 3 }),
				fc.shuffledSubarray(pkgs, { minLength: 2 }),
				(r, p) => {
					expect(renewalsDue(r, p, '2027-01-01', '2027-03-31')).toEqual(expected);
				}
			)
		);
	});
});

describe('advanceRenewal', () => {
	it('moves past every renewal charged from the next one, and only from it', () => {
		const a = { nextRenewal: '2026-01-31', startDate: '2026-01-31' };
		expect(advanceRenewal(a, 'monthly', new Set(['2026-01-31']))).toEqual({
			nextRenewal: '2026-02-28',
			from: '2026-01-31',
			to: '2026-02-27'
		});
		expect(advanceRenewal(a, 'monthly', new Set(['2026-01-31', '2026-02-28']))?.nextRenewal).toBe(
			'2026-03-31'
		);
		// Already invoiced (the next renewal is past it) or one further ahead: nothing moves.
		expect(advanceRenewal(a, 'monthly', new Set(['2025-12-31']))).toBeNull();
		expect(advanceRenewal(a, 'monthly', new Set(['2026-02-28']))).toBeNull();
	});
});
