import { describe, expect, it } from 'vitest';
import { centsToInput, eurosToCents } from './money';
import { tariffDraft, tariffRow } from '../features/configuracion/tarifas/tariff-form';

describe('eurosToCents', () => {
	it.each([
		['29,90', 2990],
		['29.9', 2990],
		['29', 2900],
		[' 1.234,5 € ', 123450],
		['1.234', 123400],
		['0,05', 5]
	])('%s → %i', (input, cents) => expect(eurosToCents(input)).toBe(cents));

	it.each(['', 'abc', '29,999', '-3', '1,2,3'])('refuses %j', (input) =>
		expect(eurosToCents(input)).toBeUndefined()
	);

	it('round-trips through the input text', () => {
		expect(eurosToCents(centsToInput(4599))).toBe(4599);
	});
});

describe('tariffRow', () => {
	it('turns the form into a row in cents and whole megabits', () => {
		const d = { ...tariffDraft(undefined), name: ' Fibra 100 ', price: '29,90' };
		d.downloadMbps = '100';
		d.uploadMbps = '20';
		expect(tariffRow(d)).toEqual({
			row: {
				name: 'Fibra 100',
				priceCents: 2990,
				vatRate: 21,
				billingPeriod: 'monthly',
				downloadMbps: 100,
				uploadMbps: 20,
				active: true
			}
		});
	});
	it('reports every wrong field at once', () => {
		const r = tariffRow({ ...tariffDraft(undefined), price: 'x', downloadMbps: '1.5' });
		expect('errors' in r && Object.keys(r.errors).sort()).toEqual([
			'downloadMbps',
			'name',
			'price',
			'uploadMbps'
		]);
	});
});
