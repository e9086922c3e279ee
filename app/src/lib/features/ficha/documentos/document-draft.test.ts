import { describe, expect, it } from 'vitest';
import {
	checkLines,
	draftOf,
	emptyLine,
	lineFromPackage,
	lineFromTariff,
	lineSource,
	liveTotals,
	rowOf
} from './document-draft';

describe('document draft', () => {
	it('computes live totals from the readable lines only', () => {
		const lines = [
			{ ...emptyLine(), description: 'Fibra', price: '30' },
			{ ...emptyLine(), description: 'Router', price: '49,99', discount: '10' },
			{ ...emptyLine(), description: 'Libro', price: '19,99', vat: '4' },
			{ ...emptyLine(), description: 'Exento', price: '10', vat: 'E1' },
			{ ...emptyLine(), description: 'A medias', price: 'abc' }
		];
		const t = liveTotals(lines);
		expect(t).toMatchObject({ baseCents: 10498, vatCents: 1655, totalCents: 12153 });
		expect(checkLines(lines).errors).toEqual({
			'lines.4.unitCents': expect.stringMatching(/./)
		});
	});
	it('names every bad field of every line, and round-trips a stored document', () => {
		const r = rowOf(
			{
				kind: 'factura',
				date: '2026-12-03',
				notes: '',
				lines: [{ ...emptyLine(), description: '', quantity: '0', price: '1,234' }]
			},
			{ id: 'd1', customerId: 'c1' }
		);
		expect('errors' in r && Object.keys(r.errors).sort()).toEqual([
			'lines.0.description',
			'lines.0.quantity',
			'lines.0.unitCents'
		]);
		const ok = rowOf(
			{
				kind: 'factura',
				date: '2026-12-03',
				notes: ' nota ',
				lines: [{ ...emptyLine(), description: 'Fibra', quantity: '1,5', price: '30', vat: 'E2' }]
			},
			{ id: 'd1', customerId: 'c1' }
		);
		expect('row' in ok && ok.row).toEqual({
			id: 'd1',
			customerId: 'c1',
			kind: 'factura',
			state: 'borrador',
			date: '2026-12-03',
			notes: 'nota',
			lines: [
				{ description: 'Fibra', quantity: 1.5, unitCents: 3000, vatRate: 0, exemptReason: 'E2' }
			]
		});
		if ('row' in ok)
			expect(draftOf(ok.row, 'factura', '').lines[0]).toMatchObject({
				quantity: '1,5',
				price: '30,00',
				vat: 'E2'
			});
	});
});

describe('renewal lines in the editor', () => {
	const pkg = {
		id: 'p1',
		name: 'Hosting',
		items: ['10 GB', 'Correo'],
		priceCents: 12000,
		vatRate: 21 as const,
		period: 'yearly' as const,
		active: true
	};
	it('a package of the catalogue becomes a line with its items, price and VAT', () => {
		const line = lineFromPackage(pkg, { ...emptyLine(), tariffId: 't1' });
		expect(line).toMatchObject({
			tariffId: '',
			packageId: 'p1',
			description: 'Hosting\n· 10 GB\n· Correo',
			price: '120,00',
			vat: '21'
		});
		expect(lineSource(line)).toBe('pkg:p1');
	});
	it('keeps the renewal a generated draft charges when it is edited and saved again', () => {
		const renewal = { assignmentId: 'a1', from: '2027-01-31', to: '2028-01-30' };
		const stored = {
			id: 'd1',
			customerId: 'c1',
			kind: 'factura' as const,
			state: 'borrador' as const,
			date: '2026-12-03',
			lines: [
				{
					packageId: 'p1',
					renewal,
					description: 'Hosting',
					quantity: 1,
					unitCents: 12000,
					vatRate: 21 as const
				}
			]
		};
		const d = draftOf(stored, 'factura', '2026-12-03');
		d.lines[0].price = '110';
		const r = rowOf(d, { id: 'd1', customerId: 'c1' });
		expect('row' in r && r.row.lines[0]).toEqual({ ...stored.lines[0], unitCents: 11000 });
		// Picking something else from the catalogue is no longer that renewal.
		expect(
			lineFromTariff(
				{
					id: 't1',
					name: 'Fibra',
					priceCents: 3000,
					vatRate: 21,
					billingPeriod: 'monthly',
					downloadMbps: 100,
					uploadMbps: 10,
					active: true
				},
				d.lines[0]
			).renewal
		).toBeUndefined();
	});
});
