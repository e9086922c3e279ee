import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Setting } from '@enlace/shared';
import { companyType, withCompanyFlag } from './company-defaults';

const types = DEFAULT_SETTINGS.filter((s) => s.list === 'customerType');

describe('ticking "Es empresa"', () => {
	it('sets the CIF and the settings list company type', () => {
		expect(
			withCompanyFlag({ isCompany: false, taxIdType: 'nif', typeId: '' }, true, types)
		).toEqual({ isCompany: true, taxIdType: 'cif', typeId: 'customerType-empresa' });
		expect(
			withCompanyFlag(
				{ isCompany: false, taxIdType: 'nif', typeId: 'customerType-particular' },
				true,
				types
			).typeId
		).toBe('customerType-empresa');
	});

	it('keeps a type or document the user chose by hand', () => {
		expect(
			withCompanyFlag(
				{ isCompany: false, taxIdType: 'passport', typeId: 'customerType-administracion' },
				true,
				types
			)
		).toEqual({ isCompany: true, taxIdType: 'passport', typeId: 'customerType-administracion' });
	});

	it('unticking undoes what ticking set', () => {
		expect(
			withCompanyFlag(
				{ isCompany: true, taxIdType: 'cif', typeId: 'customerType-empresa' },
				false,
				types
			)
		).toEqual({ isCompany: false, taxIdType: 'nif', typeId: '' });
	});

	it('finds a renamed list by name, and leaves the type alone when there is none', () => {
		const own: Setting[] = [{ ...types[1], id: 'x1', name: ' EMPRESA ' }];
		expect(companyType(own)?.id).toBe('x1');
		expect(
			withCompanyFlag({ isCompany: false, taxIdType: 'nif', typeId: '' }, true, []).typeId
		).toBe('');
	});
});
