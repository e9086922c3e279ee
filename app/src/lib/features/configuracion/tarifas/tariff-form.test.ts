import { describe, expect, it, vi } from 'vitest';
import { tariffDraft, tariffRow } from './tariff-form';

// Its messages go through t(), whose language rune plain vitest cannot run: Spanish here.
vi.mock('$lib/i18n/index.svelte', () => import('../../../i18n/plain'));

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
	it('reads the price as a Spanish user types it, and shows it back the same way', () => {
		for (const [typed, cents] of [
			['29.9', 2990],
			[' 1.234,5 € ', 123450],
			['1.234', 123400]
		] as const) {
			const r = tariffRow({
				...tariffDraft(undefined),
				name: 'x',
				price: typed,
				downloadMbps: '1',
				uploadMbps: '1'
			});
			expect('row' in r && r.row.priceCents).toBe(cents);
		}
		const stored = {
			id: 't',
			name: 'x',
			priceCents: 4599,
			vatRate: 21,
			billingPeriod: 'monthly',
			downloadMbps: 1,
			uploadMbps: 1,
			active: true
		} as const;
		expect(tariffDraft(stored).price).toBe('45,99');
	});
	it.each(['', 'abc', '29,999', '-3'])('refuses the price %j on its field', (price) => {
		const r = tariffRow({
			...tariffDraft(undefined),
			name: 'x',
			price,
			downloadMbps: '1',
			uploadMbps: '1'
		});
		expect('errors' in r && r.errors).toEqual({ price: 'Importe no válido (p. ej. 29,90)' });
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
