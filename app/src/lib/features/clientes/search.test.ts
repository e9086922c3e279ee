import { describe, expect, it } from 'vitest';
import type { Address, Customer } from '@enlace/shared';
import { buildHits, fold, searchHits } from './search';

const customer = (id: string, name: string, extra: Partial<Customer> = {}): Customer => ({
	id,
	code: `C0000${id}`,
	name,
	isCompany: false,
	taxIdType: 'nif',
	taxId: '12345678Z',
	...extra
});
const address = (
	customerId: string,
	town: string,
	label: Address['label'] = 'servicio'
): Address => ({
	id: `a${customerId}${town}`,
	customerId,
	label,
	street: 'Calle Mayor 1',
	town,
	country: 'ES'
});

describe('customer search', () => {
	const hits = buildHits(
		[
			customer('1', 'José Álvarez', { phone: '600 11 22 33', stateId: 'alta' }),
			customer('2', 'Ana Ruiz', { email: 'ana@example.com', stateId: 'baja', taxId: 'X1234567L' }),
			customer('3', 'Talleres Ávila SL', { isCompany: true, typeId: 'empresa' })
		],
		[address('1', 'Ávila', 'fiscal'), address('2', 'Segovia'), address('3', 'Madrid')]
	);

	it('folds accents and case', () => {
		expect(fold('José ÁVILA')).toBe('jose avila');
		expect(searchHits(hits, { text: 'jose' }).rows.map((h) => h.id)).toEqual(['1']);
	});

	it('finds by town, code, tax id, email and phone digits', () => {
		expect(
			searchHits(hits, { text: 'avila' })
				.rows.map((h) => h.id)
				.sort()
		).toEqual(['1', '3']);
		expect(searchHits(hits, { text: 'C00002' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(hits, { text: 'x1234567l' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(hits, { text: 'ana@example' }).total).toBe(1);
		expect(searchHits(hits, { text: '600112233' }).rows.map((h) => h.id)).toEqual(['1']);
	});

	it('requires every word and applies filters', () => {
		expect(searchHits(hits, { text: 'avila talleres' }).rows.map((h) => h.id)).toEqual(['3']);
		expect(searchHits(hits, { text: '', stateId: 'baja' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(hits, { text: '', typeId: 'empresa' }).total).toBe(1);
		expect(searchHits(hits, { text: 'nadie' }).total).toBe(0);
	});

	it('sorts by name and shows the fiscal town first', () => {
		expect(hits.map((h) => h.name)).toEqual(['Ana Ruiz', 'José Álvarez', 'Talleres Ávila SL']);
		expect(hits.find((h) => h.id === '1')?.town).toBe('Ávila');
	});

	it('caps the rows but counts every match', () => {
		const r = searchHits(hits, { text: '', limit: 2 });
		expect(r.rows).toHaveLength(2);
		expect(r.total).toBe(3);
	});

	it('finds by custom field values (Otros), but not by yes/no answers', () => {
		const withValues = buildHits(
			[customer('1', 'José Álvarez'), customer('2', 'Ana Ruiz')],
			[],
			[
				{ customerId: '2', value: 'Mástil en la azotea' },
				{ customerId: '2', value: 42.5 },
				{ customerId: '1', value: true },
				{ customerId: '1', value: '2026-03-01' }
			]
		);
		expect(searchHits(withValues, { text: 'mastil azotea' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(withValues, { text: '42.5' }).rows.map((h) => h.id)).toEqual(['2']);
		expect(searchHits(withValues, { text: '2026-03' }).rows.map((h) => h.id)).toEqual(['1']);
		expect(searchHits(withValues, { text: 'si' }).total).toBe(0);
		expect(searchHits(withValues, { text: 'true' }).total).toBe(0);
	});
});
