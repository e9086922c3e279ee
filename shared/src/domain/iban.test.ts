import { describe, it, expect } from 'vitest';
import {
	cccControlDigit,
	formatIban,
	isValidCcc,
	maskIban,
	mod97,
	normalizeIban,
	validateIban
} from './iban';
import { accepted, refused } from './result-fixtures';

// Independent of the code under test: BigInt arithmetic over the letter-expanded string.
// Check digits = 98 − (numeric(BBAN + country + '00') mod 97).
function ibanCheckDigits(country: string, bban: string): string {
	const numeric = [...(bban + country + '00')].map((c) => parseInt(c, 36)).join('');
	return String(98n - (BigInt(numeric) % 97n)).padStart(2, '0');
}

describe('ibanCheckDigits (test helper)', () => {
	it('reproduces the check digits of known valid IBANs', () => {
		expect(ibanCheckDigits('ES', '21000418450200051332')).toBe('91');
		expect(ibanCheckDigits('ES', '21000813610123456789')).toBe('79');
		expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89');
		expect(ibanCheckDigits('GB', 'WEST12345698765432')).toBe('82');
	});
});

describe('mod97', () => {
	it('computes the ISO 7064 remainder with letters expanded', () => {
		// ES9121000418450200051332 rearranged: 21000418450200051332 + E=14 S=28 + 91.
		// Chunked: 210004184 mod 97 = 57; 57|5020005 → 28; 28|1332142 → 35; 35|891 → 1.
		expect(mod97('21000418450200051332ES91')).toBe(1);
		expect(mod97('21000418450200051332142891')).toBe(1);
		// A = 10, Z = 35
		expect(mod97('A')).toBe(10);
		expect(mod97('Z')).toBe(35);
		expect(mod97('97')).toBe(0);
	});
});

describe('CCC', () => {
	it('computes both control digits of 2100 0418 45 0200051332', () => {
		// First over 00 2100 0418: 0·1+0·2+2·4+1·8+0·5+0·10+0·9+4·7+1·3+8·6 = 95;
		// 95 mod 11 = 7 → 11 − 7 = 4
		expect(cccControlDigit('0021000418')).toBe(4);
		// Second over 0200051332: 0+2·2+0+0+0+5·10+1·9+3·7+3·3+2·6 = 105; 105 mod 11 = 6 → 5
		expect(cccControlDigit('0200051332')).toBe(5);
		expect(isValidCcc('21000418450200051332')).toBe(true);
	});

	it('maps 10 → 1 and 11 → 0', () => {
		// 0123456789: 0+1·2+2·4+3·8+4·5+5·10+6·9+7·7+8·3+9·6 = 285; 285 mod 11 = 10 → 1
		expect(cccControlDigit('0123456789')).toBe(1);
		// 0200051331: 105 − 6 = 99; 99 mod 11 = 0 → 11 → 0
		expect(cccControlDigit('0200051331')).toBe(0);
		// All zeros: sum 0 → 11 → 0
		expect(cccControlDigit('0000000000')).toBe(0);
	});

	it('rejects wrong control digits and bad shapes', () => {
		expect(isValidCcc('21000418990200051332')).toBe(false);
		expect(isValidCcc('2100041845020005133')).toBe(false);
		expect(isValidCcc('2100041845020005133A')).toBe(false);
	});
});

describe('normalizeIban', () => {
	it('uppercases, strips spaces and hyphens and an IBAN prefix', () => {
		expect(normalizeIban('es91 2100 0418 4502 0005 1332')).toBe('ES9121000418450200051332');
		expect(normalizeIban('IBAN ES91-2100-0418-4502-0005-1332')).toBe('ES9121000418450200051332');
		expect(normalizeIban(' iban: es9121000418450200051332 ')).toBe('ES9121000418450200051332');
	});
});

describe('validateIban', () => {
	it('accepts known valid IBANs', () => {
		// ES: 2100 0418 45: DC 4 and 5 as computed above
		expect(validateIban('ES9121000418450200051332')).toEqual(accepted('ES9121000418450200051332'));
		// 2100 0813 61: first over 0021000813 = 8+8+56+3+18 = 93, 93 mod 11 = 5 → 6;
		// second over 0123456789 → 1 (see above)
		expect(validateIban('ES79 2100 0813 6101 2345 6789')).toEqual(
			accepted('ES7921000813610123456789')
		);
		expect(validateIban('GB82WEST12345698765432').ok).toBe(true);
		expect(validateIban('DE89370400440532013000').ok).toBe(true);
		expect(validateIban('IBAN de89 3704 0044 0532 0130 00')).toEqual(
			accepted('DE89370400440532013000')
		);
	});

	it('rejects a changed digit through mod 97', () => {
		// Last digit 2 → 3 (the CCC would also fail, but mod 97 is checked first)
		expect(validateIban('ES9121000418450200051333')).toEqual(
			refused('Los dígitos de control del IBAN no son correctos')
		);
		expect(validateIban('ES9221000418450200051332')).toEqual(
			refused('Los dígitos de control del IBAN no son correctos')
		);
		expect(validateIban('DE89370400440532013001').ok).toBe(false);
		expect(validateIban('GB82WEST12345698765433').ok).toBe(false);
	});

	it('rejects the wrong length', () => {
		expect(validateIban('ES912100041845020005133')).toEqual(
			refused('El IBAN debe tener 24 caracteres en España')
		);
		expect(validateIban('ES91210004184502000513321')).toEqual(
			refused('El IBAN debe tener 24 caracteres en España')
		);
		expect(validateIban('DE8937040044053201300')).toEqual(
			refused('El IBAN debe tener 22 caracteres en Alemania')
		);
	});

	it('rejects an ES IBAN whose mod 97 passes but whose CCC digits are wrong', () => {
		// CCC 2100 0418 99 0200051332 (DC should be 45); IBAN check digits computed for it.
		const bban = '21000418990200051332';
		const check = ibanCheckDigits('ES', bban);
		expect(check).toBe('41');
		const iban = `ES${check}${bban}`;
		expect(mod97(bban + 'ES' + check)).toBe(1);
		expect(validateIban(iban)).toEqual(
			refused('Los dígitos de control de la cuenta (CCC) no son correctos')
		);
		// Example from the stdnum docs: mod 97 passes, CCC DC should be 40, not 45.
		expect(validateIban('ES2121000418450200051331')).toEqual(
			refused('Los dígitos de control de la cuenta (CCC) no son correctos')
		);
	});

	it('rejects never-issued check digits even when they alias mod 97', () => {
		// CCC 2100 0418 49 0000000247: account 2·7 + 4·3 + 7·6 = 68, 68 mod 11 = 2 → 9.
		// Its IBAN check digits are 98; 01 = 98 − 97 also leaves mod 97 = 1 but is never issued.
		const bban = '21000418490000000247';
		expect(ibanCheckDigits('ES', bban)).toBe('98');
		expect(validateIban(`ES98${bban}`).ok).toBe(true);
		expect(mod97(`${bban}ES01`)).toBe(1);
		expect(validateIban(`ES01${bban}`)).toEqual(
			refused('Los dígitos de control del IBAN no son correctos')
		);
	});

	it('rejects garbage, unknown countries and letters in a Spanish BBAN', () => {
		expect(validateIban('')).toEqual(refused('Introduzca el IBAN'));
		expect(validateIban('ES91 2100 0418 4502 0005 133!').ok).toBe(false);
		expect(validateIban('1234567890').ok).toBe(false);
		expect(validateIban('US12345678901234567890')).toEqual(refused('El país US no usa IBAN'));
		expect(validateIban('ES91A1000418450200051332')).toEqual(
			refused('Tras ES, el IBAN español solo puede contener cifras')
		);
	});
});

describe('formatIban', () => {
	it('groups in fours', () => {
		expect(formatIban('ES9121000418450200051332')).toBe('ES91 2100 0418 4502 0005 1332');
		expect(formatIban('gb82west12345698765432')).toBe('GB82 WEST 1234 5698 7654 32');
		expect(formatIban('IBAN ES91 2100-0418')).toBe('ES91 2100 0418');
	});
});

describe('maskIban', () => {
	it('shows only the last four characters, in the print groups', () => {
		expect(maskIban('ES9121000418450200051332')).toBe('•••• •••• •••• •••• •••• 1332');
		expect(maskIban('es91 2100 0418 4502 0005 1332')).toBe('•••• •••• •••• •••• •••• 1332');
		// The groups stay those of the printed IBAN (GB82 WEST 1234 5698 7654 32).
		expect(maskIban('GB82WEST12345698765432')).toBe('•••• •••• •••• •••• ••54 32');
	});
	it('never leaks a digit of a short value, and leaves empty empty', () => {
		expect(maskIban('1234')).toBe('••••');
		expect(maskIban('12')).toBe('••••');
		expect(maskIban('  ')).toBe('');
	});
	it('keeps no digit but the last four', () => {
		const masked = maskIban('ES9121000418450200051332');
		expect(masked.replace(/[^0-9A-Z]/g, '')).toBe('1332');
	});
});
