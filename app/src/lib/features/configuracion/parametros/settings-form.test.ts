import { describe, expect, it, vi } from 'vitest';
import type { Setting } from '@enlace/shared';
import { nextOrder, settingDraft, settingRow } from './settings-form';

// Its messages go through t(), whose language rune plain vitest cannot run: Spanish here.
vi.mock('$lib/i18n/index.svelte', () => import('../../../i18n/plain'));

const alta: Setting = {
	id: 's-1',
	list: 'customerState',
	name: 'Alta',
	color: 'green',
	active: true,
	order: 3
};

describe('a Parámetros value', () => {
	it('keeps only the fields its list uses', () => {
		const d = { ...settingDraft(undefined, 'sector'), name: ' Hostelería ', usesBank: true };
		expect(settingRow(d, 'new', [])).toEqual({ row: { name: 'Hostelería', active: true } });
		const stage = { ...settingDraft(undefined, 'opportunityStage'), name: 'Ganada', closed: 'won' };
		expect(settingRow(stage as never, 'new', [])).toEqual({
			row: { name: 'Ganada', active: true, color: 'blue', closed: 'won' }
		});
	});

	it('refuses a name already in the list, whatever its case, but not the value itself', () => {
		const d = { ...settingDraft(undefined, 'customerState'), name: 'alta ' };
		expect(settingRow(d, 'new', [alta])).toEqual({
			errors: { name: 'Ya existe «Alta» en esta lista' }
		});
		expect('row' in settingRow(settingDraft(alta, 'customerState'), 's-1', [alta])).toBe(true);
	});

	it('puts a new value at the end of its list', () => {
		expect(nextOrder([])).toBe(0);
		expect(nextOrder([alta, { ...alta, id: 's-2', order: 7 }])).toBe(8);
	});

	it('gives a customer state its service, and a baja its days, refusing a bad number on the field', () => {
		expect(settingDraft({ ...alta, id: 'customerState-baja' }, 'customerState')).toMatchObject({
			service: 'baja',
			removeSecretAfterDays: '0'
		});
		const baja = { ...settingDraft(undefined, 'customerState'), name: 'Baja definitiva' };
		expect(
			settingRow({ ...baja, service: 'baja', removeSecretAfterDays: '15' }, 'new', [])
		).toEqual({
			row: {
				name: 'Baja definitiva',
				active: true,
				color: 'blue',
				service: 'baja',
				removeSecretAfterDays: 15
			}
		});
		expect(
			settingRow({ ...baja, service: 'baja', removeSecretAfterDays: 'diez' }, 'new', [])
		).toEqual({
			errors: { removeSecretAfterDays: 'Escriba un número de días entre 0 y 365 (0: en el acto)' }
		});
		expect(
			settingRow({ ...baja, service: 'baja', removeSecretAfterDays: '400' }, 'new', [])
		).toHaveProperty('errors');
		// Days belong to a baja only.
		expect(
			settingRow({ ...baja, service: 'cortado', removeSecretAfterDays: 'x' }, 'new', [])
		).toEqual({
			row: { name: 'Baja definitiva', active: true, color: 'blue', service: 'cortado' }
		});
	});
});
