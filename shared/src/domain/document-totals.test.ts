import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentTotals, lineBase } from './document-totals';
import type { DocumentLine } from '../schemas/billing';

const line = (o: Partial<DocumentLine>): DocumentLine => ({
	description: 'x',
	quantity: 1,
	unitCents: 1000,
	vatRate: 21,
	...o
});

describe('documentTotals', () => {
	it('rounds each line to the cent and VAT per rate on the summed bases', () => {
		const r = documentTotals([
			line({ description: 'Fibra', unitCents: 3000 }),
			line({ description: 'Router', unitCents: 4999, discountPercent: 10 }),
			line({ description: 'Libro', unitCents: 1999, vatRate: 4 }),
			line({ description: 'Seguro', unitCents: 1000, vatRate: 0, exemptReason: 'E1' })
		]);
		// 30,00 + 44,99 (49,99 − 10 % = 44,991) at 21 %: 74,99, VAT 15,7479 → 15,75.
		expect(r.vat).toEqual([
			{ vatRate: 21, baseCents: 7499, vatCents: 1575 },
			{ vatRate: 4, baseCents: 1999, vatCents: 80 },
			{ vatRate: 0, exemptReason: 'E1', baseCents: 1000, vatCents: 0 }
		]);
		expect(r).toMatchObject({ baseCents: 10498, vatCents: 1655, totalCents: 12153 });
	});
	it('half away from zero, also for a negative line', () => {
		expect(lineBase({ quantity: 1.5, unitCents: 1, discountPercent: 0 })).toBe(2); // 1,5 → 2
		expect(lineBase({ quantity: -1.5, unitCents: 1 })).toBe(-2);
		expect(lineBase({ quantity: 0.5, unitCents: 1001 })).toBe(501); // 500,5 → 501
	});
	it('a credit by differences exactly undoes the invoice it mirrors', () => {
		const arb = fc.array(
			fc.record({
				quantity: fc.integer({ min: 1, max: 10_000 }).map((q) => q / 100),
				unitCents: fc.integer({ min: 0, max: 1_000_000 }),
				discountPercent: fc.integer({ min: 0, max: 10_000 }).map((d) => d / 100),
				vatRate: fc.constantFrom(21 as const, 10 as const, 4 as const, 0 as const)
			}),
			{ maxLength: 8 }
		);
		fc.assert(
			fc.property(arb, (ls) => {
				const lines = ls.map((l) => line(l));
				const a = documentTotals(lines);
				const b = documentTotals(lines.map((l) => ({ ...l, quantity: -l.quantity })));
				expect(a.totalCents + b.totalCents).toBe(0);
				expect(a.totalCents).toBeGreaterThanOrEqual(0);
				expect(a.baseCents + a.vatCents).toBe(a.totalCents);
			})
		);
	});
});
