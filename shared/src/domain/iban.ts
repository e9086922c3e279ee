// IBAN (ISO 13616, check ISO 7064 MOD 97-10) with the extra Spanish CCC check.
// One bad IBAN rejects a whole SEPA batch, so check both.

export type IbanResult = { ok: true; value: string } | { ok: false; message: string };

// IBAN lengths from the SWIFT IBAN registry: every SEPA country plus the other registered ones.
const IBAN_LENGTHS: Record<string, number> = {
	// SEPA
	AD: 24,
	AL: 28,
	AT: 20,
	BE: 16,
	BG: 22,
	CH: 21,
	CY: 28,
	CZ: 24,
	DE: 22,
	DK: 18,
	EE: 20,
	ES: 24,
	FI: 18,
	FR: 27,
	GB: 22,
	GI: 23,
	GR: 27,
	HR: 21,
	HU: 28,
	IE: 22,
	IS: 26,
	IT: 27,
	LI: 21,
	LT: 20,
	LU: 20,
	LV: 21,
	MC: 27,
	MD: 24,
	ME: 22,
	MK: 19,
	MT: 31,
	NL: 18,
	NO: 15,
	PL: 28,
	PT: 25,
	RO: 24,
	SE: 24,
	SI: 19,
	SK: 24,
	SM: 27,
	VA: 22,
	// Outside SEPA
	AE: 23,
	AZ: 28,
	BA: 20,
	BH: 22,
	BR: 29,
	BY: 28,
	CR: 22,
	DO: 28,
	EG: 29,
	FO: 18,
	GE: 22,
	GL: 18,
	GT: 28,
	IL: 23,
	IQ: 23,
	JO: 30,
	KW: 30,
	KZ: 20,
	LB: 28,
	LC: 32,
	LY: 25,
	MR: 27,
	MU: 30,
	PK: 24,
	PS: 29,
	QA: 29,
	RS: 22,
	SA: 24,
	SC: 31,
	SD: 18,
	ST: 25,
	SV: 28,
	TL: 23,
	TN: 24,
	TR: 26,
	UA: 29,
	VG: 24,
	XK: 20
};

// Spanish names for the length message; other countries fall back to the ISO code.
const COUNTRY_NAMES: Record<string, string> = {
	AD: 'Andorra',
	AT: 'Austria',
	BE: 'Bélgica',
	CH: 'Suiza',
	DE: 'Alemania',
	ES: 'España',
	FR: 'Francia',
	GB: 'Reino Unido',
	GI: 'Gibraltar',
	IE: 'Irlanda',
	IT: 'Italia',
	LU: 'Luxemburgo',
	NL: 'Países Bajos',
	PT: 'Portugal'
};

const CCC_WEIGHTS = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6];

export function normalizeIban(raw: string): string {
	return raw
		.trim()
		.toUpperCase()
		.replace(/^IBAN[\s:]*/, '')
		.replace(/[\s-]/g, '');
}

/** ISO 7064 MOD 97-10 remainder of an alphanumeric string (letters A=10 … Z=35). */
export function mod97(alnum: string): number {
	let rem = 0;
	for (const ch of alnum) {
		const code = ch.charCodeAt(0);
		// Digits add one decimal place, letters (two-digit numbers) add two.
		rem = code <= 57 ? (rem * 10 + (code - 48)) % 97 : (rem * 100 + (code - 55)) % 97;
	}
	return rem;
}

/** One CCC control digit over 10 digits: 11 − (Σ dᵢ·wᵢ mod 11), where 11 → 0 and 10 → 1. */
export function cccControlDigit(tenDigits: string): number {
	let sum = 0;
	for (let i = 0; i < 10; i++) sum += Number(tenDigits[i]) * CCC_WEIGHTS[i];
	const d = 11 - (sum % 11);
	return d === 11 ? 0 : d === 10 ? 1 : d;
}

/** Whether a 20-digit Spanish CCC (entity, office, DC, account) carries the right control digits. */
export function isValidCcc(ccc: string): boolean {
	if (!/^\d{20}$/.test(ccc)) return false;
	const first = cccControlDigit('00' + ccc.slice(0, 8));
	const second = cccControlDigit(ccc.slice(10, 20));
	return ccc.slice(8, 10) === `${first}${second}`;
}

const fail = (message: string): IbanResult => ({ ok: false, message });

export function validateIban(raw: string): IbanResult {
	const v = normalizeIban(raw);
	if (v === '') return fail('Introduzca el IBAN');
	if (!/^[A-Z0-9]+$/.test(v)) {
		return fail('El IBAN solo puede contener letras y números');
	}
	if (!/^[A-Z]{2}\d{2}/.test(v)) {
		return fail('El IBAN debe empezar por el código del país y dos dígitos de control');
	}
	const country = v.slice(0, 2);
	const length = IBAN_LENGTHS[country];
	if (length === undefined) return fail(`El país ${country} no usa IBAN`);
	if (v.length !== length) {
		const where = COUNTRY_NAMES[country] ?? `el país ${country}`;
		return fail(`El IBAN debe tener ${length} caracteres en ${where}`);
	}
	if (country === 'ES' && !/^ES\d{22}$/.test(v)) {
		return fail('Tras ES, el IBAN español solo puede contener cifras');
	}
	// Check digits 00, 01 and 99 can satisfy mod 97 by aliasing but are never issued (ISO 13616).
	const check = Number(v.slice(2, 4));
	if (check < 2 || check > 98 || mod97(v.slice(4) + v.slice(0, 4)) !== 1) {
		return fail('Los dígitos de control del IBAN no son correctos');
	}
	if (country === 'ES' && !isValidCcc(v.slice(4))) {
		return fail('Los dígitos de control de la cuenta (CCC) no son correctos');
	}
	return { ok: true, value: v };
}

/** Print form: groups of four separated by spaces. */
export function formatIban(v: string): string {
	return normalizeIban(v).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * An IBAN as someone who must not read it sees it (a technician's PDF): only the last four
 * characters, the rest as `•` in the same print groups — `ES91 2100 0418 4502 0005 1332` →
 * `•••• •••• •••• •••• •••• 1332`. Four or fewer characters show as `••••`; empty stays empty.
 */
export function maskIban(raw: string): string {
	const v = normalizeIban(raw);
	if (v === '') return '';
	if (v.length <= 4) return '••••';
	return formatIban('•'.repeat(v.length - 4) + v.slice(-4));
}
