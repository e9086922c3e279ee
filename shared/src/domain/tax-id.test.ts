import { describe, it, expect } from 'vitest';
import {
	isValidCif,
	isValidDni,
	isValidNie,
	makeCif,
	makeNie,
	makeNif,
	normalizeTaxId,
	validateTaxId
} from './tax-id';
import { accepted, refused } from './result-fixtures';

// DNI letter table, index → letter:
// 0 T, 1 R, 2 W, 3 A, 4 G, 5 M, 6 Y, 7 F, 8 P, 9 D, 10 X, 11 B, 12 N, 13 J, 14 Z, 15 S, 16 Q,
// 17 V, 18 H, 19 L, 20 C, 21 K, 22 E.
// CIF control: over the 7 digits, A = sum of positions 2,4,6; B = sum of the digit-sums of
// 2×(positions 1,3,5,7); C = (10 − (A+B) mod 10) mod 10; letter = 'JABCDEFGHI'[C].

describe('normalizeTaxId', () => {
	it('uppercases and strips spaces, dots and hyphens', () => {
		expect(normalizeTaxId(' 12.345.678-z ')).toBe('12345678Z');
		expect(normalizeTaxId('x-1234567 l')).toBe('X1234567L');
	});
});

describe('isValidDni', () => {
	it.each([
		['12345678Z', '12345678 = 23 × 536768 + 14 → [14] = Z'],
		['00000000T', '0 mod 23 = 0 → T'],
		['54362315K', '54362315 = 23 × 2363578 + 21 → K (the usual worked example)'],
		['99999999R', '99999999 = 23 × 4347826 + 1 → R']
	])('accepts the DNI %s: %s', (taxId) => {
		expect(isValidDni(taxId)).toBe(true);
	});

	it('accepts K/L/M NIFs computed on the 7 digits', () => {
		// 1234567 = 23 × 53676 + 19 → L
		expect(isValidDni('K1234567L')).toBe(true);
		expect(isValidDni('M1234567L')).toBe(true);
		// 0000000 → 0 → T
		expect(isValidDni('L0000000T')).toBe(true);
		expect(isValidDni('K1234567Z')).toBe(false);
	});

	it('normalizes its input', () => {
		expect(isValidDni('12.345.678-z')).toBe(true);
	});

	it('rejects wrong letters, lengths and garbage', () => {
		expect(isValidDni('12345678A')).toBe(false); // should be Z
		expect(isValidDni('00000000R')).toBe(false); // should be T
		expect(isValidDni('1234567Z')).toBe(false); // 7 digits
		expect(isValidDni('123456789Z')).toBe(false); // 9 digits
		expect(isValidDni('12345678')).toBe(false); // no letter
		expect(isValidDni('X1234567L')).toBe(false); // a NIE
		expect(isValidDni('hello')).toBe(false);
		expect(isValidDni('')).toBe(false);
	});
});

describe('isValidNie', () => {
	it.each([
		['X1234567L', 'X → 0: 01234567 = 23 × 53676 + 19 → L'],
		['Y0000000Z', 'Y → 1: 10000000 = 23 × 434782 + 14 → Z'],
		['Z1234567R', 'Z → 2: 21234567 = 23 × 923242 + 1 → R'],
		['X2482300W', 'X → 0: 02482300 = 23 × 107926 + 2 → W (the usual worked example)']
	])('accepts the NIE %s: %s', (taxId) => {
		expect(isValidNie(taxId)).toBe(true);
	});

	it('normalizes its input', () => {
		expect(isValidNie('x-1234567-l')).toBe(true);
	});

	it('rejects wrong letters, prefixes and lengths', () => {
		expect(isValidNie('X1234567A')).toBe(false); // should be L
		expect(isValidNie('Y1234567L')).toBe(false); // 11234567 = 23 × 488459 + 10 → X, not L
		expect(isValidNie('W1234567L')).toBe(false); // W is not a NIE prefix
		expect(isValidNie('X123456L')).toBe(false); // 6 digits
		expect(isValidNie('12345678Z')).toBe(false); // a DNI
		expect(isValidNie('')).toBe(false);
	});
});

describe('isValidCif', () => {
	it.each([
		[
			'B12345674',
			'1234567: A = 2+4+6 = 12; B = 2 + 6 + (1+0) + (1+4) = 14; 26 → C = 4 (B needs a digit)'
		],
		['A58818501', '5881850: A = 8+1+5 = 14; B = (1+0) + (1+6) + (1+6) + 0 = 15; 29 → C = 1'],
		['B64717838', '6471783: A = 4+1+8 = 13; B = (1+2) + (1+4) + (1+4) + 6 = 19; 32 → C = 8'],
		[
			'Q2826000H',
			'2826000: A = 8+6+0 = 14; B = 4 + 4 + 0 + 0 = 8; 22 → C = 8 → H (Q needs a letter)'
		],
		['P2807900B', '2807900: A = 8+7+0 = 15; B = 4 + 0 + (1+8) + 0 = 13; 28 → C = 2 → B'],
		['S2811001C', '2811001: A = 8+1+0 = 9; B = 4 + 2 + 0 + 2 = 8; 17 → C = 3 → C'],
		['N0032484H', '0032484: A = 0+2+8 = 10; B = 0 + 6 + 8 + 8 = 22; 32 → C = 8 → H'],
		['P0000000J', '0000000: sum 0 → C = 0 → J'],
		[
			'B12345690',
			'1234569: A = 12; B = 2 + 6 + (1+0) + (1+8) = 18; 30 → C = 0 (digit 0 or letter J)'
		]
	])('accepts the CIF %s: %s', (taxId) => {
		expect(isValidCif(taxId)).toBe(true);
	});

	it('accepts digit or letter for entity types without a fixed rule', () => {
		// G (asociación) with 1234567 → C = 4 → '4' or 'D'
		expect(isValidCif('G12345674')).toBe(true);
		expect(isValidCif('G1234567D')).toBe(true);
		// 1234569 → C = 0 → '0' or 'J'
		expect(isValidCif('G12345690')).toBe(true);
		expect(isValidCif('G1234569J')).toBe(true);
	});

	it('enforces the control kind for the entity letter', () => {
		expect(isValidCif('B1234567D')).toBe(false); // right value, but B needs the digit 4
		expect(isValidCif('B1234569J')).toBe(false); // B needs the digit 0
		expect(isValidCif('Q28260008')).toBe(false); // right value, but Q needs the letter H
		expect(isValidCif('P28079002')).toBe(false); // P needs the letter B
	});

	it('rejects wrong controls, entity letters and garbage', () => {
		expect(isValidCif('B12345675')).toBe(false); // should be 4
		expect(isValidCif('A58818502')).toBe(false); // should be 1
		expect(isValidCif('I12345674')).toBe(false); // I is not an entity letter
		expect(isValidCif('K1234567L')).toBe(false); // K/L/M are natural-person NIFs
		expect(isValidCif('B1234567')).toBe(false); // no control
		expect(isValidCif('B123456789')).toBe(false); // too long
		expect(isValidCif('12345678Z')).toBe(false);
		expect(isValidCif('')).toBe(false);
	});

	it('normalizes its input', () => {
		expect(isValidCif('b-12.345.674')).toBe(true);
	});
});

describe('validateTaxId', () => {
	it('returns the normalized NIF', () => {
		expect(validateTaxId('nif', ' 12.345.678-z ')).toEqual(accepted('12345678Z'));
		expect(validateTaxId('nif', 'k1234567l')).toEqual(accepted('K1234567L'));
	});

	it('drops an intra-community ES prefix', () => {
		expect(validateTaxId('nif', 'ES 12345678Z')).toEqual(accepted('12345678Z'));
		expect(validateTaxId('cif', 'ESB12345674')).toEqual(accepted('B12345674'));
		expect(validateTaxId('nie', 'ESX1234567L')).toEqual(accepted('X1234567L'));
	});

	it('accepts NIEs and CIFs, normalized', () => {
		expect(validateTaxId('nie', 'y0000000z')).toEqual(accepted('Y0000000Z'));
		expect(validateTaxId('cif', 'a-58818501')).toEqual(accepted('A58818501'));
	});

	// Each refusal tells the user what is wrong: the expected control, or the right type.
	it.each([
		['nif', '12345678A', 'El NIF no es válido: la letra de control debería ser Z'],
		['nif', 'X1234567L', 'Parece un NIE: elija el tipo NIE'],
		['nif', 'B12345674', 'Parece un CIF: elija el tipo CIF'],
		['nie', 'X1234567A', 'El NIE no es válido: la letra de control debería ser L'],
		['nie', '12345678Z', 'Parece un NIF: elija el tipo NIF'],
		['cif', 'B12345670', 'El CIF no es válido: el carácter de control debería ser 4'],
		['cif', 'Q28260008', 'El CIF no es válido: el carácter de control debería ser H'],
		['cif', 'G12345670', 'El CIF no es válido: el carácter de control debería ser 4 o D'],
		['cif', '12345678Z', 'Parece un NIF: elija el tipo NIF'],
		['cif', 'Z1234567R', 'Parece un NIE: elija el tipo NIE']
	] as const)('refuses %s %s: %s', (type, raw, message) => {
		expect(validateTaxId(type, raw)).toEqual(refused(message));
	});

	it.each([
		['nif', '1234567'],
		['nie', 'X12'],
		['cif', 'I1234567']
	] as const)('refuses a badly shaped %s (%s)', (type, raw) => {
		const r = validateTaxId(type, raw);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.message).toMatch(new RegExp(`^El ${type.toUpperCase()} no es válido`));
	});

	it('validates passports as 5–20 letters or digits', () => {
		expect(validateTaxId('passport', 'paa 123-456')).toEqual(accepted('PAA123456'));
		expect(validateTaxId('passport', 'AB123')).toEqual(accepted('AB123'));
		expect(validateTaxId('passport', 'A'.repeat(20)).ok).toBe(true);
		expect(validateTaxId('passport', 'AB12').ok).toBe(false);
		expect(validateTaxId('passport', 'A'.repeat(21)).ok).toBe(false);
		expect(validateTaxId('passport', 'AB12!34').ok).toBe(false);
	});

	it('validates other documents as 1–30 non-blank characters', () => {
		expect(validateTaxId('other', 'fr 123/45')).toEqual(accepted('FR123/45'));
		expect(validateTaxId('other', 'X'.repeat(30)).ok).toBe(true);
		expect(validateTaxId('other', 'X'.repeat(31)).ok).toBe(false);
	});

	it('rejects empty input for every type', () => {
		for (const type of ['nif', 'nie', 'cif', 'passport', 'other'] as const) {
			expect(validateTaxId(type, ' - ')).toEqual(refused('Introduzca el número de documento'));
		}
	});
});

describe('makeNif, makeNie, makeCif', () => {
	it('make numbers the validators accept, for any input', () => {
		for (const n of [0, 7, 12_345_678, 99_999_999, 123_456_789_012, 4_000_017]) {
			expect(isValidDni(makeNif(n))).toBe(true);
			expect(isValidNie(makeNie(n))).toBe(true);
			expect(isValidCif(makeCif(n))).toBe(true);
			for (const entity of ['A', 'G', 'P', 'W']) expect(isValidCif(makeCif(n, entity))).toBe(true);
		}
	});

	it('give the well-known values', () => {
		expect(makeNif(12_345_678)).toBe('12345678Z');
		expect(makeNif(0)).toBe('00000000T');
		expect(makeNie(1_234_567)).toBe('X1234567L');
		expect(makeNie(10_000_000)).toBe('Y0000000Z');
		expect(makeCif(5_881_850, 'A')).toBe('A58818501');
		expect(makeCif(2_826_000, 'Q')).toBe('Q2826000H');
		expect(() => makeCif(1, 'I')).toThrow();
	});
});
