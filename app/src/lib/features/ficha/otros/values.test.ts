import { describe, expect, it } from 'vitest';
import type { CustomField, CustomFieldValue } from '@enlace/shared';
import { changedValues, fromInput, showValue, toInput } from './values';

const field = (type: CustomField['type'], extra: Partial<CustomField> = {}): CustomField => ({
	id: `cf-${type}`,
	name: `Campo ${type}`,
	type,
	required: false,
	order: 0,
	active: true,
	...extra
});

describe('custom field inputs', () => {
	it('turns typed text into the stored JSON type', () => {
		expect(fromInput(field('number'), '1.234,5')).toEqual({ value: 1234.5 });
		expect(fromInput(field('number'), '7.5')).toEqual({ value: 7.5 });
		expect(fromInput(field('number'), 'siete')).toEqual({ error: 'Escriba un número' });
		expect(fromInput(field('boolean'), 'no')).toEqual({ value: false });
		expect(fromInput(field('date'), '2026-02-30')).toEqual({
			error: 'Fecha no válida (AAAA-MM-DD)'
		});
		expect(fromInput(field('list', { options: ['A'] }), 'B')).toEqual({
			error: 'Elija una de las opciones de la lista'
		});
		expect(fromInput(field('text'), '  ')).toEqual({ value: null });
		expect(fromInput(field('text', { required: true }), '')).toEqual({
			error: '«Campo text» es obligatorio'
		});
	});

	it('shows stored values back', () => {
		expect(toInput(field('number'), 1234.5)).toBe('1234,5');
		expect(toInput(field('boolean'), true)).toBe('si');
		expect(showValue(field('number'), 1234.5)).toBe('1.234,5');
		expect(showValue(field('date'), '2026-03-01')).toBe('01/03/2026');
		expect(showValue(field('boolean'), false)).toBe('No');
	});

	it('sends only what changed, null for a cleared value, and every error at once', () => {
		const fields = [field('text'), field('number'), field('boolean', { required: true })];
		const stored = new Map<string, CustomFieldValue>([
			['cf-text', { id: 'c:cf-text', customerId: 'c', fieldId: 'cf-text', value: 'Tejado' }],
			['cf-number', { id: 'c:cf-number', customerId: 'c', fieldId: 'cf-number', value: 3 }]
		]);
		expect(
			changedValues(fields, stored, { 'cf-text': '', 'cf-number': '3', 'cf-boolean': 'si' })
		).toEqual({ values: { 'cf-text': null, 'cf-boolean': true }, errors: {} });
		expect(
			changedValues(fields, stored, { 'cf-text': 'Tejado', 'cf-number': 'x', 'cf-boolean': '' })
		).toEqual({
			values: {},
			errors: { 'cf-number': 'Escriba un número', 'cf-boolean': '«Campo boolean» es obligatorio' }
		});
	});
});
