import { describe, it, expect } from 'vitest';
import {
	creditorIdentifier,
	creditorIdentifierFromNif,
	validateCreditorIdentifier,
	validateMandateReference
} from './sepa';
import { accepted, refused } from './result-fixtures';

describe('validateMandateReference', () => {
	it('accepts references within the SEPA character set', () => {
		expect(validateMandateReference('MANDATO-000123')).toEqual(accepted('MANDATO-000123'));
		expect(validateMandateReference("Cli 42/2024 (alta) ?:.,'+")).toEqual(
			accepted("Cli 42/2024 (alta) ?:.,'+")
		);
		expect(validateMandateReference('A'.repeat(35)).ok).toBe(true);
		expect(validateMandateReference('1').ok).toBe(true);
	});

	it('trims surrounding whitespace', () => {
		expect(validateMandateReference('  REF1  ')).toEqual(accepted('REF1'));
	});

	it('rejects empty and over-long references', () => {
		expect(validateMandateReference('   ')).toEqual(
			refused('Introduzca la referencia del mandato')
		);
		expect(validateMandateReference('A'.repeat(36))).toEqual(
			refused('La referencia del mandato no puede tener más de 35 caracteres')
		);
	});

	it('rejects characters outside the SEPA set', () => {
		for (const bad of ['AÑO2024', 'café', 'REF_1', 'REF#1', 'REF&1', 'REF*1', 'a@b']) {
			const r = validateMandateReference(bad);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.message).toMatch(/^La referencia del mandato solo puede contener/);
		}
	});

	it('rejects a leading or trailing slash and a double slash', () => {
		const edge = 'La referencia del mandato no puede empezar ni terminar por «/»';
		expect(validateMandateReference('/REF1')).toEqual(refused(edge));
		expect(validateMandateReference('REF1/')).toEqual(refused(edge));
		expect(validateMandateReference('REF//1')).toEqual(
			refused('La referencia del mandato no puede contener «//»')
		);
		expect(validateMandateReference('REF/1/2').ok).toBe(true);
	});
});

describe('creditorIdentifier', () => {
	it('reproduces a worked example (B85626240 → ES77…)', () => {
		// B85626240 + ES00 → B=11 E=14 S=28 → 1185626240142800.
		// 118562624 mod 97 = 9; 090142800 mod 97 = 21; 98 − 21 = 77.
		expect(creditorIdentifier('ES', '000', 'B85626240')).toBe('ES77000B85626240');
	});

	it('computes check digits for other NIFs', () => {
		// 12345678Z + ES00 → 1234567835142800; mod 97 = 40; 98 − 40 = 58
		expect(creditorIdentifier('ES', '000', '12345678Z')).toBe('ES5800012345678Z');
		// B12345674 + ES00 → 1112345674142800; mod 97 = 87; 98 − 87 = 11
		expect(creditorIdentifier('es', '000', 'b-12345674')).toBe('ES11000B12345674');
	});

	it('excludes the business code from the check digits', () => {
		expect(creditorIdentifier('ES', 'ZZZ', 'B85626240')).toBe('ES77ZZZB85626240');
	});

	it('throws on malformed parts', () => {
		expect(() => creditorIdentifier('E', '000', 'B85626240')).toThrow();
		expect(() => creditorIdentifier('ES', '00', 'B85626240')).toThrow();
		expect(() => creditorIdentifier('ES', '000', '')).toThrow();
	});
});

describe('validateCreditorIdentifier', () => {
	it('accepts and normalizes valid identifiers', () => {
		expect(validateCreditorIdentifier('ES77000B85626240')).toEqual(accepted('ES77000B85626240'));
		expect(validateCreditorIdentifier('es58 000 12345678z')).toEqual(accepted('ES5800012345678Z'));
		expect(validateCreditorIdentifier('ES77ZZZB85626240').ok).toBe(true);
	});

	it('round-trips creditorIdentifier', () => {
		for (const nif of ['B85626240', 'A58818501', 'Q2826000H', 'X1234567L', '00000000T']) {
			expect(validateCreditorIdentifier(creditorIdentifier('ES', '000', nif)).ok).toBe(true);
		}
	});

	it('rejects wrong check digits', () => {
		expect(validateCreditorIdentifier('ES78000B85626240')).toEqual(
			refused('Los dígitos de control del identificador de acreedor no son correctos')
		);
		// One NIF digit changed: check digits no longer match
		expect(validateCreditorIdentifier('ES77000B85626241').ok).toBe(false);
	});

	it('rejects a Spanish identifier whose NIF is invalid even if the check digits match', () => {
		// B85626241 has the wrong CIF control (should be 0); build matching check digits anyway.
		const id = creditorIdentifier('ES', '000', 'B85626241');
		expect(validateCreditorIdentifier(id)).toEqual(
			refused('El NIF del identificador de acreedor no es válido')
		);
	});

	it('rejects malformed input', () => {
		expect(validateCreditorIdentifier('')).toEqual(
			refused('Introduzca el identificador de acreedor')
		);
		for (const bad of ['ES77000', 'E577000B85626240', 'ESXX000B85626240', 'ES77000B8562624!']) {
			const r = validateCreditorIdentifier(bad);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.message).toMatch(/^El identificador de acreedor no es válido/);
		}
	});
});

describe('creditorIdentifierFromNif', () => {
	it('builds the Spanish identifier from NIF and suffix', () => {
		expect(creditorIdentifierFromNif('B85626240')).toEqual(accepted('ES77000B85626240'));
		expect(creditorIdentifierFromNif(' b-85626240 ', 'abc')).toEqual(accepted('ES77ABCB85626240'));
		expect(creditorIdentifierFromNif('12345678Z', '001')).toEqual(accepted('ES5800112345678Z'));
	});

	it('says what is wrong in Spanish', () => {
		expect(creditorIdentifierFromNif('')).toEqual(refused('Introduzca el NIF de la empresa'));
		expect(creditorIdentifierFromNif('B85626241')).toEqual(
			refused('El NIF de la empresa no es válido')
		);
		expect(creditorIdentifierFromNif('B85626240', '00')).toEqual(
			refused('El sufijo debe tener 3 letras o cifras (normalmente 000)')
		);
	});
});
