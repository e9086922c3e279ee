import { describe, expect, it } from 'vitest';
import { makeCif } from '@enlace/shared';
import { companyDraft, companyRow } from './company-form';

describe('company form', () => {
	it('starts with VeriFactu on and the default series', () => {
		const d = companyDraft();
		expect(d.verifactu).toBe(true);
		expect(d.series.factura).toEqual({ prefix: 'F', yearly: true });
	});
	it('reports every bad field at once, and saves a good one without empty optionals', () => {
		const bad = companyRow({ ...companyDraft(), nif: 'B12345678', postalCode: '99999' });
		expect('errors' in bad && Object.keys(bad.errors).sort()).toEqual([
			'legalName',
			'nif',
			'postalCode',
			'street',
			'town'
		]);
		const ok = companyRow({
			...companyDraft(),
			legalName: 'Redes del Valle SL',
			nif: makeCif(42).toLowerCase(),
			street: 'C/ Mayor 1',
			postalCode: '28001',
			town: 'Madrid'
		});
		expect('row' in ok && ok.row).toMatchObject({ id: 'empresa', nif: makeCif(42) });
		expect('row' in ok && 'phone' in ok.row).toBe(false);
	});
});
