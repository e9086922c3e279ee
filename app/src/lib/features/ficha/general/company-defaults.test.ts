import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Setting, type TaxIdType } from '@enlace/shared';
import { companyType, withCompanyFlag } from './company-defaults';

const types = DEFAULT_SETTINGS.filter((s) => s.list === 'customerType');

describe('ticking "Es empresa"', () => {
	const identity = (isCompany: boolean, taxIdType: TaxIdType, typeId: string) => ({
		isCompany,
		taxIdType,
		typeId
	});

	const [EMPRESA, PARTICULAR, ADMINISTRACION] = [
		'customerType-empresa',
		'customerType-particular',
		'customerType-administracion'
	];

	// [before, ticked or unticked, after]
	it.each([
		// sets the CIF and the settings list company type
		[identity(false, 'nif', ''), true, identity(true, 'cif', EMPRESA)],
		// replaces the default individual type
		[identity(false, 'nie', PARTICULAR), true, identity(true, 'cif', EMPRESA)],
		// keeps a type or document the user chose by hand
		[identity(false, 'passport', ADMINISTRACION), true, identity(true, 'passport', ADMINISTRACION)],
		// unticking undoes what ticking set
		[identity(true, 'cif', EMPRESA), false, identity(false, 'nif', '')]
	] as const)('%o, ticked: %s → %o', (before, tick, after) => {
		expect(withCompanyFlag(before, tick, types)).toEqual(after);
	});

	it('finds a renamed list by name, and leaves the type alone when there is none', () => {
		const own: Setting[] = [{ ...types[1], id: 'x1', name: ' EMPRESA ' }];
		expect(companyType(own)?.id).toBe('x1');
		expect(withCompanyFlag(identity(false, 'nif', ''), true, []).typeId).toBe('');
	});
});
