import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, missingDefaultSettings, type Setting } from './setting';

const stored = (rows: Setting[], deleted: string[] = []) => [
	...rows.map((row) => ({ id: row.id, deleted: false, row })),
	...deleted.map((id) => ({ id, deleted: true }))
];
const names = (rows: Setting[]) => rows.map((r) => `${r.list}:${r.name}`);

describe('default settings', () => {
	it('include Comercial and Propietario among the contact roles', () => {
		expect(DEFAULT_SETTINGS.filter((s) => s.list === 'contactRole').map((s) => s.name)).toEqual(
			expect.arrayContaining(['Comercial', 'Propietario'])
		);
	});

	it('are all missing from a new database, with their own order', () => {
		expect(missingDefaultSettings([])).toEqual(DEFAULT_SETTINGS);
	});

	it('are not added again, nor brought back once deleted', () => {
		const all = stored(
			DEFAULT_SETTINGS.filter((s) => s.id !== 'contactRole-gerente'),
			['contactRole-gerente']
		);
		expect(missingDefaultSettings(all)).toEqual([]);
	});

	it('added since reach an older database after its last row, never doubling a name', () => {
		const older = DEFAULT_SETTINGS.filter(
			(s) => s.id !== 'contactRole-comercial' && s.id !== 'contactRole-propietario'
		);
		const mine: Setting = {
			id: 'my-owner-role',
			list: 'contactRole',
			name: ' propietario ',
			order: 40,
			active: true
		};
		const missing = missingDefaultSettings(stored([...older, mine]));
		expect(names(missing)).toEqual(['contactRole:Comercial']);
		expect(missing[0].order).toBe(41);
		expect(names(missingDefaultSettings(stored(older)))).toEqual([
			'contactRole:Comercial',
			'contactRole:Propietario'
		]);
		// A deleted row of the same name does not count: it is gone for the user.
		expect(
			names(missingDefaultSettings([...stored(older), { id: 'my-owner-role', deleted: true }]))
		).toEqual(['contactRole:Comercial', 'contactRole:Propietario']);
	});
});
