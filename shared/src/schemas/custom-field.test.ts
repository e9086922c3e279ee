import { describe, expect, it } from 'vitest';
import { CustomField, CustomFieldValue, customValueIssue } from './custom-field';

describe('custom field values are typed by their field', () => {
	it('text: any non-blank string', () => {
		const f = { type: 'text' as const };
		expect(customValueIssue(f, 'Antena en el tejado')).toBeNull();
		expect(customValueIssue(f, '   ')).toBe('Escriba un texto');
		expect(customValueIssue(f, 42)).toBe('Escriba un texto');
		expect(customValueIssue(f, 'x'.repeat(1001))).toBe('Máximo 1000 caracteres');
	});

	it('number: a finite number, never its text', () => {
		const f = { type: 'number' as const };
		expect(customValueIssue(f, 12.5)).toBeNull();
		expect(customValueIssue(f, -3)).toBeNull();
		for (const bad of ['12', Number.NaN, Infinity, true])
			expect(customValueIssue(f, bad)).toBe('Escriba un número');
	});

	it('date: an ISO date that exists', () => {
		const f = { type: 'date' as const };
		expect(customValueIssue(f, '2026-02-28')).toBeNull();
		for (const bad of ['2026-02-30', '28/02/2026', '2026-2-8', 20260228])
			expect(customValueIssue(f, bad)).toBe('Fecha no válida (AAAA-MM-DD)');
	});

	it('yes/no: a boolean', () => {
		const f = { type: 'boolean' as const };
		expect(customValueIssue(f, false)).toBeNull();
		expect(customValueIssue(f, 'sí')).toBe('Elija sí o no');
		expect(customValueIssue(f, 0)).toBe('Elija sí o no');
	});

	it('list: one of the options, or the value it already had', () => {
		const f = { type: 'list' as const, options: ['Tejado', 'Fachada'] };
		expect(customValueIssue(f, 'Fachada')).toBeNull();
		expect(customValueIssue(f, 'fachada')).toBe('Elija una de las opciones de la lista');
		expect(customValueIssue(f, 'Mástil')).toBe('Elija una de las opciones de la lista');
		// An option retired after the value was stored does not block re-saving it.
		expect(customValueIssue(f, 'Mástil', 'Mástil')).toBeNull();
	});
});

describe('custom field definitions', () => {
	const base = { id: 'cf-antena', name: 'Antena', required: false, order: 0, active: true };
	it('lists need distinct options; other types none', () => {
		expect(CustomField.safeParse({ ...base, type: 'list', options: ['A', 'B'] }).success).toBe(
			true
		);
		const msg = (v: object) => CustomField.safeParse(v).error?.issues[0].message;
		expect(msg({ ...base, type: 'list' })).toBe('Una lista necesita al menos una opción');
		expect(msg({ ...base, type: 'list', options: ['A', 'a '] })).toBe(
			'La opción «a» está repetida'
		);
		expect(msg({ ...base, type: 'number', options: ['A'] })).toBe(
			'Solo las listas tienen opciones'
		);
		expect(msg({ ...base, type: 'json' })).toBeDefined();
		expect(msg({ ...base, type: 'text', name: '  ' })).toBe('Indique el nombre del campo');
	});

	it('keeps ids short enough for `${customerId}:${fieldId}`', () => {
		const customerId = '0b8a3c1e-6f1d-4c3a-9a57-1f2e3d4c5b6a';
		expect(CustomField.safeParse({ ...base, type: 'text', id: 'x'.repeat(28) }).success).toBe(
			false
		);
		expect(CustomField.safeParse({ ...base, type: 'text', id: 'a b' }).success).toBe(false);
		const fieldId = 'f'.repeat(27);
		const value = { id: `${customerId}:${fieldId}`, customerId, fieldId, value: 1 };
		expect(CustomFieldValue.safeParse(value).success).toBe(true);
		expect(CustomFieldValue.safeParse({ ...value, id: `other:${fieldId}` }).success).toBe(false);
		expect(CustomFieldValue.safeParse({ ...value, value: { a: 1 } }).success).toBe(false);
	});
});
