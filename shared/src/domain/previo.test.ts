import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BILLING_FREQUENCIES, type TariffAssignment } from '../schemas/contract';
import { assignment, contract, tariff } from './previo-fixtures';
import {
	computePrevio,
	lineBaseCents,
	nextBillingPeriod,
	periodContaining,
	vatCents
} from './previo';

describe('billing periods', () => {
	it('anchors periods on the start day and the frequency', () => {
		expect(periodContaining('2026-03-20', 'monthly')).toEqual({
			start: '2026-03-01',
			end: '2026-03-31',
			months: 1
		});
		expect(periodContaining('2026-03-20', 'monthly', 15)).toMatchObject({
			start: '2026-03-15',
			end: '2026-04-14'
		});
		expect(periodContaining('2026-03-10', 'monthly', 15)).toMatchObject({
			start: '2026-02-15',
			end: '2026-03-14'
		});
		expect(periodContaining('2026-05-20', 'quarterly')).toMatchObject({
			start: '2026-04-01',
			end: '2026-06-30',
			months: 3
		});
		expect(periodContaining('2026-02-28', 'bimonthly')).toMatchObject({
			start: '2026-01-01',
			end: '2026-02-28'
		});
		expect(periodContaining('2026-12-31', 'half-yearly')).toMatchObject({
			start: '2026-07-01',
			end: '2026-12-31'
		});
		expect(periodContaining('2024-02-29', 'yearly')).toMatchObject({
			start: '2024-01-01',
			end: '2024-12-31'
		});
	});

	it('bills the coming period in advance (the default) and the running one in arrears', () => {
		expect(nextBillingPeriod({ billingFrequency: 'monthly' }, '2026-03-10')).toMatchObject({
			start: '2026-04-01',
			end: '2026-04-30'
		});
		// On the first day of a period, in advance means the following one.
		expect(nextBillingPeriod({ billingFrequency: 'monthly' }, '2026-04-01')).toMatchObject({
			start: '2026-05-01'
		});
		expect(
			nextBillingPeriod({ billingFrequency: 'quarterly', billingMode: 'arrears' }, '2026-05-20')
		).toMatchObject({ start: '2026-04-01', end: '2026-06-30' });
		expect(
			nextBillingPeriod({ billingFrequency: 'yearly', periodStartDay: 10 }, '2026-12-31')
		).toMatchObject({ start: '2027-01-10', end: '2028-01-09' });
	});
});

describe('previo: figures to check by hand', () => {
	it('a whole month and a tariff starting mid-month', () => {
		// Today 10 March, billed in advance: April (30 days). Fibra 30,00 € the whole month;
		// TV 10,00 € from 16 April: 15 of 30 days = 5,00 €. Base 35,00 €, VAT 21 % 7,35 €.
		const p = computePrevio({
			today: '2026-03-10',
			contracts: [contract()],
			assignments: [
				assignment(),
				assignment({ id: 'a2', tariffId: 't2', startDate: '2026-04-16' })
			],
			tariffs: [tariff('t1', 3000), tariff('t2', 1000)]
		});
		expect(p.lines.map((l) => [l.description, l.daysUsed, l.daysInPeriod, l.baseCents])).toEqual([
			['Tarifa t1', 30, 30, 3000],
			['Tarifa t2', 15, 30, 500]
		]);
		expect(p.vat).toEqual([{ vatRate: 21, baseCents: 3500, vatCents: 735 }]);
		expect([p.baseCents, p.vatCents, p.totalCents]).toEqual([3500, 735, 4235]);
	});

	it('a quarter in arrears with quantity, discount and a late start', () => {
		// Today 20 May, quarterly in arrears: April–June, 91 days. 29,99 €/month × 3 months × 2
		// lines = 179,94 €; from 1 May: 61 of 91 days; 10 % off: 179,94 × 61/91 × 0,9 = 108,5572…
		// → 108,56 €. VAT 21 %: 22,7976 → 22,80 €. Total 131,36 €.
		const p = computePrevio({
			today: '2026-05-20',
			contracts: [contract({ billingFrequency: 'quarterly', billingMode: 'arrears' })],
			assignments: [assignment({ startDate: '2026-05-01', quantity: 2, discountPercent: 10 })],
			tariffs: [tariff('t1', 2999)]
		});
		expect(p.lines[0]).toMatchObject({
			periodStart: '2026-04-01',
			periodEnd: '2026-06-30',
			from: '2026-05-01',
			to: '2026-06-30',
			daysUsed: 61,
			daysInPeriod: 91,
			months: 3,
			baseCents: 10856
		});
		expect([p.baseCents, p.vatCents, p.totalCents]).toEqual([10856, 2280, 13136]);
	});

	it('a price override, an ended tariff, and the contract end cut the lines', () => {
		// April again. t1 at 20,00 € instead of 30,00 €, ended (baja) on 10 April: 10 of 30 days
		// = 6,67 € (6,666… rounds up). t2 ended in March: no line. The contract ends on 20 April,
		// so t3 (12,00 €) counts 20 of 30 days = 8,00 €. t4 starts after the contract: no line.
		const p = computePrevio({
			today: '2026-03-10',
			contracts: [contract({ toDate: '2026-04-20' })],
			assignments: [
				assignment({ priceOverrideCents: 2000, endDate: '2026-04-10' }),
				assignment({ id: 'a2', tariffId: 't2', endDate: '2026-03-31' }),
				assignment({ id: 'a3', tariffId: 't3' }),
				assignment({ id: 'a4', tariffId: 't3', startDate: '2026-04-21' })
			],
			tariffs: [tariff('t1', 3000), tariff('t2', 1000), tariff('t3', 1200)]
		});
		expect(p.lines.map((l) => [l.assignmentId, l.unitCents, l.daysUsed, l.baseCents])).toEqual([
			['a1', 2000, 10, 667],
			['a3', 1200, 20, 800]
		]);
	});

	it('VAT is per rate on the summed bases, half away from zero', () => {
		// Two lines of 0,03 € at 21 %: VAT per line would be 0,01 + 0,01; on the sum 0,06 × 21 %
		// = 0,0126 → 0,01 €. 0,50 € at 10 % is 0,05; 0,50 € at 21 % is 0,105 → 0,11 €.
		const p = computePrevio({
			today: '2026-03-10',
			contracts: [contract()],
			assignments: [
				assignment(),
				assignment({ id: 'a2' }),
				assignment({ id: 'a3', tariffId: 't2' })
			],
			tariffs: [tariff('t1', 3), tariff('t2', 50, 10)]
		});
		expect(p.vat).toEqual([
			{ vatRate: 21, baseCents: 6, vatCents: 1 },
			{ vatRate: 10, baseCents: 50, vatCents: 5 }
		]);
		expect(vatCents(50, 21)).toBe(11);
		expect(p.totalCents).toBe(62);
	});

	it('an assignment whose tariff is not in the catalogue is left out', () => {
		const p = computePrevio({
			today: '2026-03-10',
			contracts: [contract()],
			assignments: [assignment({ tariffId: 'gone' })],
			tariffs: []
		});
		expect(p).toEqual({ lines: [], vat: [], baseCents: 0, vatCents: 0, totalCents: 0 });
	});
});

// ------------------------------------------------------------------------------------------
// Properties

const DAY_MS = 86_400_000;
const addDays = (d: string, n: number) =>
	new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

const dayArb = fc.integer({ min: 0, max: 3 * 366 }).map((n) => addDays('2025-01-01', n));
const percentArb = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100);
const vatArb = fc.constantFrom(21 as const, 10 as const, 4 as const, 0 as const);
const freqArb = fc.constantFrom(...BILLING_FREQUENCIES);

const contractArb = fc.record({
	id: fc.constantFrom('k1', 'k2', 'k3'),
	fromDate: dayArb,
	span: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
	billingFrequency: freqArb,
	billingMode: fc.constantFrom('advance' as const, 'arrears' as const, undefined),
	periodStartDay: fc.option(fc.integer({ min: 1, max: 28 }), { nil: undefined })
});
const assignmentArb = fc.record({
	contractId: fc.constantFrom('k1', 'k2', 'k3'),
	tariffId: fc.constantFrom('t1', 't2', 't3'),
	startDate: dayArb,
	span: fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined }),
	priceOverrideCents: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
	discountPercent: fc.option(percentArb, { nil: undefined }),
	quantity: fc.integer({ min: 1, max: 1000 })
});
const tariffsArb = fc.tuple(
	fc.integer({ min: 0, max: 1_000_000 }),
	fc.integer({ min: 0, max: 1_000_000 }),
	fc.integer({ min: 0, max: 1_000_000 }),
	vatArb,
	vatArb,
	vatArb
);

const inputArb = fc
	.record({
		today: dayArb,
		contracts: fc.uniqueArray(contractArb, { selector: (c) => c.id, maxLength: 3 }),
		assignments: fc.array(assignmentArb, { maxLength: 8 }),
		tariffs: tariffsArb
	})
	.map(({ today, contracts, assignments, tariffs: [p1, p2, p3, v1, v2, v3] }) => ({
		today,
		contracts: contracts.map(({ span, ...c }) =>
			contract({ ...c, toDate: span === undefined ? undefined : addDays(c.fromDate, span) })
		),
		assignments: assignments.map(({ span, ...a }, i) =>
			assignment({
				...a,
				id: `a${i}`,
				endDate: span === undefined ? undefined : addDays(a.startDate, span)
			})
		),
		tariffs: [tariff('t1', p1, v1), tariff('t2', p2, v2), tariff('t3', p3, v3)]
	}));

describe('previo: properties', () => {
	it('splitting a period at any day into two parts sums to the whole within a cent per part', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 1_000_000 }),
				fc.integer({ min: 1, max: 1000 }),
				percentArb,
				freqArb,
				fc.integer({ min: 1, max: 28 }),
				dayArb,
				fc.integer({ min: 0, max: 400 }),
				(price, quantity, discount, frequency, startDay, today, cutAt) => {
					const c = contract({ billingFrequency: frequency, periodStartDay: startDay });
					const period = nextBillingPeriod(c, today);
					const days = (Date.parse(period.end) - Date.parse(period.start)) / DAY_MS + 1;
					const cut = addDays(period.start, cutAt % days);
					const common = { quantity, discountPercent: discount };
					const run = (as: TariffAssignment[]) =>
						computePrevio({
							today,
							contracts: [c],
							assignments: as,
							tariffs: [tariff('t1', price)]
						});
					const whole = run([assignment(common)]);
					const parts = run([
						assignment({ ...common, endDate: cut }),
						assignment({ ...common, id: 'a2', startDate: addDays(cut, 1) })
					]);
					const n = parts.lines.length;
					expect(n).toBeGreaterThanOrEqual(1);
					expect(Math.abs(parts.baseCents - whole.baseCents)).toBeLessThanOrEqual(n);
				}
			)
		);
	});

	it('is never negative', () => {
		fc.assert(
			fc.property(inputArb, (input) => {
				const p = computePrevio(input);
				for (const l of p.lines) expect(l.baseCents).toBeGreaterThanOrEqual(0);
				for (const v of p.vat) expect(v.vatCents).toBeGreaterThanOrEqual(0);
				expect(p.totalCents).toBeGreaterThanOrEqual(0);
				expect(p.totalCents).toBe(p.baseCents + p.vatCents);
			})
		);
	});

	it('does not depend on the order of contracts, assignments or tariffs', () => {
		fc.assert(
			fc.property(inputArb, fc.integer(), (input, seed) => {
				const shuffle = <T>(xs: readonly T[]) => {
					const out = [...xs];
					let s = seed >>> 0;
					for (let i = out.length - 1; i > 0; i--) {
						s = (Math.imul(s, 1103515245) + 12345) >>> 0;
						const j = s % (i + 1);
						[out[i], out[j]] = [out[j], out[i]];
					}
					return out;
				};
				const again = computePrevio({
					today: input.today,
					contracts: shuffle(input.contracts),
					assignments: shuffle(input.assignments),
					tariffs: shuffle(input.tariffs)
				});
				expect(again).toEqual(computePrevio(input));
			})
		);
	});

	it('a 100 % discount gives 0', () => {
		fc.assert(
			fc.property(inputArb, (input) => {
				const p = computePrevio({
					...input,
					assignments: input.assignments.map((a) => ({ ...a, discountPercent: 100 }))
				});
				expect(p.totalCents).toBe(0);
			})
		);
	});

	it('a whole period costs exactly the monthly price × months × quantity', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 1_000_000 }),
				fc.integer({ min: 1, max: 1000 }),
				freqArb,
				(price, quantity, frequency) => {
					expect(
						lineBaseCents({
							unitCents: price,
							months: nextBillingPeriod({ billingFrequency: frequency }, '2026-01-01').months,
							quantity,
							daysUsed: 31,
							daysInPeriod: 31,
							discountPercent: 0
						})
					).toBe(
						price *
							nextBillingPeriod({ billingFrequency: frequency }, '2026-01-01').months *
							quantity
					);
				}
			)
		);
	});
});
