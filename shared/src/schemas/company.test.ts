import { describe, expect, it } from 'vitest';
import { zodToAppError } from '../mutators/types';
import { Company, Financiera, Mercantil, checkSpanishId, sharesTotal } from './company';

const base = { id: 'co-1', customerId: 'cu-1', name: 'Redes del Ebro SL', cif: 'B12345674' };

function firstError(value: unknown) {
	const r = Company.safeParse(value);
	expect(r.success).toBe(false);
	return zodToAppError(r.error!);
}

describe('company schema', () => {
	it('accepts a full company and normalises its ids', () => {
		const r = Company.parse({
			...base,
			cif: 'b-1234567.4',
			postalCode: '50001',
			incorporationDate: '2015-03-02',
			shareCapitalCents: 300_000,
			mercantil: {
				registry: 'Zaragoza',
				tomo: '4123',
				apoderados: [{ name: 'Ana Ruiz', nif: '12345678z', from: '2020-01-01', to: '2030-01-01' }],
				socios: [
					{ name: 'Ana Ruiz', nif: '12345678Z', sharePercent: 33.33 },
					{ name: 'Inversiones Moncayo SA', nif: 'ESA58818501', sharePercent: 33.33 },
					{ name: 'Luc Martin', sharePercent: 33.34 }
				]
			},
			fiscal: {
				vatRegime: 'general',
				irpfApplies: true,
				irpfPercent: 15,
				obligations: [{ modelo: '303', period: 'trimestral' }]
			},
			financiera: {
				bankAccounts: [{ iban: 'es91 2100 0418 4502 0005 1332', bic: 'caixesbbxxx' }],
				turnoverCents: 12_345_600,
				employees: 4
			}
		});
		expect(r.cif).toBe('B12345674');
		expect(r.mercantil?.apoderados?.[0].nif).toBe('12345678Z');
		expect(r.mercantil?.socios?.[1].nif).toBe('A58818501');
		expect(r.financiera?.bankAccounts?.[0]).toEqual({
			iban: 'ES9121000418450200051332',
			bic: 'CAIXESBBXXX'
		});
	});

	it('refuses a wrong CIF, a NIF in its place, and a missing one, on the cif field', () => {
		const wrong = firstError({ ...base, cif: 'B12345675' });
		expect(wrong).toMatchObject({ code: 'invalid-tax-id', field: 'cif' });
		expect(wrong.message).toContain('debería ser 4');
		const nif = firstError({ ...base, cif: '12345678Z' });
		expect(nif).toMatchObject({ code: 'invalid-tax-id', field: 'cif' });
		expect(nif.message).toBe('Indique un CIF (parece un NIF)');
		expect(firstError({ ...base, cif: undefined })).toMatchObject({
			code: 'invalid-field',
			field: 'cif'
		});
	});

	it('validates the NIF of apoderados (people) and socios (people or companies)', () => {
		const apoderado = (nif: string) => ({
			...base,
			mercantil: { apoderados: [{ name: 'Ana', nif }] }
		});
		expect(firstError(apoderado('12345678A'))).toMatchObject({
			code: 'invalid-tax-id',
			field: 'mercantil.apoderados.0.nif',
			message: 'El NIF no es válido: la letra de control debería ser Z'
		});
		expect(firstError(apoderado('B12345674')).message).toBe('Indique un NIF o NIE (parece un CIF)');
		expect(Company.safeParse(apoderado('X0000000T')).success).toBe(true);

		const socio = (nif: string) => ({
			...base,
			mercantil: { socios: [{ name: 'Socio', nif, sharePercent: 10 }] }
		});
		expect(Company.safeParse(socio('B12345674')).success).toBe(true);
		expect(Company.safeParse(socio('X0000000T')).success).toBe(true);
		expect(firstError(socio('X0000000A'))).toMatchObject({
			code: 'invalid-tax-id',
			field: 'mercantil.socios.0.nif'
		});
		expect(checkSpanishId('ES12345678Z', ['nif'])).toEqual({ ok: true, value: '12345678Z' });
	});

	it('refuses apoderado dates that end before they start', () => {
		const e = firstError({
			...base,
			mercantil: {
				apoderados: [{ name: 'Ana', nif: '12345678Z', from: '2024-05-01', to: '2024-04-30' }]
			}
		});
		expect(e.field).toBe('mercantil.apoderados.0.to');
	});
});

describe('socios: the shares add up to at most 100 %', () => {
	const mercantil = (...shares: number[]) => ({
		socios: shares.map((sharePercent, i) => ({ name: `Socio ${i + 1}`, sharePercent }))
	});

	it('allows exactly 100 % with decimals, and less', () => {
		expect(Mercantil.safeParse(mercantil(33.33, 33.33, 33.34)).success).toBe(true);
		expect(Mercantil.safeParse(mercantil(50, 25)).success).toBe(true);
		expect(Mercantil.safeParse(mercantil()).success).toBe(true);
		// Floating point would make this 100.00000000000001 without cent arithmetic.
		expect(sharesTotal([{ sharePercent: 70.1 }, { sharePercent: 29.9 }])).toBe(100);
		expect(Mercantil.safeParse(mercantil(70.1, 29.9)).success).toBe(true);
	});

	it('refuses 120 % on the socios field with a Spanish message and its own code', () => {
		const e = firstError({ ...base, mercantil: mercantil(60, 60) });
		expect(e).toMatchObject({
			code: 'invalid-shares-total',
			field: 'mercantil.socios',
			message: 'Las participaciones de los socios suman 120 %: no pueden pasar del 100 %'
		});
		expect(firstError({ ...base, mercantil: mercantil(50, 50.01) }).message).toContain('100,01 %');
	});

	it('refuses a zero, negative, over-100 or over-precise single share', () => {
		for (const bad of [0, -5, 100.5, 12.345]) {
			expect(Mercantil.safeParse(mercantil(bad)).success, String(bad)).toBe(false);
		}
	});
});

describe('fiscal and financiera sections', () => {
	it('needs the IRPF percentage when the withholding applies', () => {
		const e = firstError({ ...base, fiscal: { irpfApplies: true } });
		expect(e.field).toBe('fiscal.irpfPercent');
		expect(Company.safeParse({ ...base, fiscal: { irpfApplies: false } }).success).toBe(true);
	});

	it('takes modelos of three digits, each once', () => {
		expect(firstError({ ...base, fiscal: { obligations: [{ modelo: '30' }] } }).field).toBe(
			'fiscal.obligations.0.modelo'
		);
		const dup = firstError({
			...base,
			fiscal: { obligations: [{ modelo: '303' }, { modelo: '303' }] }
		});
		expect(dup).toMatchObject({ field: 'fiscal.obligations.1.modelo' });
	});

	it('validates IBANs (with the Spanish CCC digits) and refuses money in fractions', () => {
		const bad = Financiera.safeParse({ bankAccounts: [{ iban: 'ES9121000418450200051333' }] });
		expect(bad.success).toBe(false);
		expect(zodToAppError(bad.error!)).toMatchObject({
			code: 'invalid-iban',
			field: 'bankAccounts.0.iban'
		});
		expect(Financiera.safeParse({ turnoverCents: 10.5 }).success).toBe(false);
		expect(Financiera.safeParse({ turnoverCents: -1 }).success).toBe(false);
		expect(Financiera.safeParse({ employees: 2.5 }).success).toBe(false);
	});

	it('refuses unknown keys inside a section (strict all the way down)', () => {
		expect(firstError({ ...base, mercantil: { socios: [], isAdmin: true } }).code).toBe(
			'invalid-args'
		);
		expect(
			firstError({
				...base,
				financiera: { bankAccounts: [{ iban: 'ES9121000418450200051332', x: 1 }] }
			}).code
		).toBe('invalid-args');
	});
});
