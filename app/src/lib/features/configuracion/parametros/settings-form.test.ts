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
});
