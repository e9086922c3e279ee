import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '@enlace/shared';
import { historyTitle, inSentence, titleInSpanish, valueBefore } from './history-text';

const line = (extra: Partial<HistoryEntry>): HistoryEntry => ({
	id: 'h1',
	customerId: 'c1',
	kind: 'auto',
	at: '2026-03-01T10:00:00.000Z',
	...extra
});

describe('Historial lines', () => {
	it('name the entity the way a user says it', () => {
		expect(inSentence('Cuenta PPPoE')).toBe('cuenta PPPoE');
		expect(inSentence('Pool de IP')).toBe('pool de IP');
		expect(inSentence('Router')).toBe('router');
		expect(inSentence('PPPoE')).toBe('PPPoE');
		expect(inSentence('IP fija')).toBe('IP fija');
		expect(
			titleInSpanish(historyTitle(line({ entity: 'pppoeAccount', entityId: 'a1', newValue: 'x' })))
		).toBe('Alta de cuenta PPPoE');
		expect(
			titleInSpanish(
				historyTitle(line({ entity: 'contactPerson', entityId: 'p1', newValue: 'Luis' }))
			)
		).toBe('Alta de persona de contacto');
		expect(
			titleInSpanish(historyTitle(line({ entity: 'pppoeAccount', entityId: 'a1', oldValue: 'x' })))
		).toBe('Baja de cuenta PPPoE');
		expect(
			titleInSpanish(historyTitle(line({ entity: 'customer', field: 'phone', newValue: '600' })))
		).toBe('Cliente: Teléfono');
	});

	it('give the screen a text to translate and its values, not a finished Spanish sentence', () => {
		expect(historyTitle(line({ entity: 'pppoeAccount', entityId: 'a1', newValue: 'x' }))).toEqual({
			text: 'Alta de {what}',
			vars: { what: 'cuenta PPPoE' }
		});
		expect(historyTitle(line({ entity: 'customer', field: 'phone', newValue: '600' }))).toEqual({
			text: '{entity}: {field}',
			vars: { entity: 'Cliente', field: 'Teléfono' }
		});
	});

	it('say a finished router job was pending before, never "∅"', () => {
		const job = line({
			entity: 'routerJob',
			entityId: 'j1',
			field: 'Guardar Secret',
			oldValue: null,
			newValue: 'hecho'
		});
		expect(valueBefore(job)).toBe('pendiente');
		expect(valueBefore({ ...job, oldValue: 'en curso' })).toBe('en curso');
		// Other lines keep their empty "before"; the screen shows it as "—".
		expect(valueBefore(line({ entity: 'customer', field: 'phone', oldValue: null }))).toBeNull();
	});
});
