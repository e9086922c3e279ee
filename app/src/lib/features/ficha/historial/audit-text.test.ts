import { describe, expect, it } from 'vitest';
import { scalarText, sectionChanges } from './audit-text';

describe('Historial text of company sections', () => {
	it('lists the inner fields that changed, with labels and readable values', () => {
		const before = JSON.stringify({
			registry: 'Zaragoza',
			socios: [{ name: 'Ana', sharePercent: 60 }]
		});
		const after = JSON.stringify({
			registry: 'Huesca',
			tomo: '12',
			socios: [
				{ name: 'Ana', sharePercent: 60 },
				{ name: 'Luis', sharePercent: 40 }
			]
		});
		expect(sectionChanges(before, after)).toEqual([
			{ label: 'Registro mercantil', oldText: 'Zaragoza', newText: 'Huesca' },
			{ label: 'Socios', oldText: 'Ana (60\u00a0%)', newText: 'Ana (60\u00a0%); Luis (40\u00a0%)' },
			{ label: 'Tomo', oldText: '—', newText: '12' }
		]);
		expect(
			sectionChanges(null, JSON.stringify({ vatRegime: 'recargo', turnoverCents: 1_500_000 }))
		).toEqual([
			{ label: 'Régimen de IVA', oldText: '—', newText: 'Recargo de equivalencia' },
			{ label: 'Facturación', oldText: '—', newText: '15.000,00\u00a0€' }
		]);
	});

	it('leaves plain values, and values cut short by Historial, to the caller', () => {
		expect(sectionChanges('600111222', '611222333')).toBeUndefined();
		expect(sectionChanges(null, '611222333')).toBeUndefined();
		expect(sectionChanges('{"registry":"Zarag', '{}')).toBeUndefined();
	});

	it('shows cents as euros and percentages with their sign', () => {
		expect(scalarText('amountCents', '250000')).toBe('2.500,00\u00a0€');
		expect(scalarText('probability', '35')).toBe('35\u00a0%');
		expect(scalarText('iban', 'ES9121000418450200051332')).toBe('ES91 2100 0418 4502 0005 1332');
		expect(scalarText('title', 'Fibra')).toBe('Fibra');
	});
});
