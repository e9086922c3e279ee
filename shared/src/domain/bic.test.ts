import { describe, it, expect } from 'vitest';
import { normalizeBic, validateBic } from './bic';
import { accepted, refused } from './result-fixtures';

describe('normalizeBic', () => {
	it('uppercases and strips spaces and hyphens', () => {
		expect(normalizeBic(' caix es bb xxx ')).toBe('CAIXESBBXXX');
		expect(normalizeBic('bsch-es-mm')).toBe('BSCHESMM');
	});
});

describe('validateBic', () => {
	it('accepts 8- and 11-character BICs', () => {
		expect(validateBic('CAIXESBBXXX')).toEqual(accepted('CAIXESBBXXX'));
		expect(validateBic('bschesmm')).toEqual(accepted('BSCHESMM'));
		expect(validateBic('DEUTDEFF500').ok).toBe(true);
		// Digits are allowed in the location code
		expect(validateBic('NWBKGB2L').ok).toBe(true);
		expect(validateBic('BBVA ES MM XXX').ok).toBe(true);
	});

	it('rejects the wrong length', () => {
		const message = 'El BIC debe tener 8 u 11 caracteres';
		expect(validateBic('CAIXESB')).toEqual(refused(message));
		expect(validateBic('CAIXESBBXX')).toEqual(refused(message));
		expect(validateBic('CAIXESBBXXXX')).toEqual(refused(message));
	});

	it('rejects digits in the bank or country code and other characters', () => {
		for (const bad of ['1AIXESBB', 'CAIX1SBB', 'CAIXE5BB', 'CAIXES_B', 'CAIXESBBXX!']) {
			const r = validateBic(bad);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.message).toMatch(/^El BIC no es válido/);
		}
	});

	it('rejects empty input', () => {
		expect(validateBic('  ')).toEqual(refused('Introduzca el BIC'));
	});
});
