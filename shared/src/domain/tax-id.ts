// Spanish tax identifiers (DNI/NIF, NIE, CIF) plus free-form passport/other documents.
// Algorithms follow python-stdnum stdnum/es/{dni,nie,cif,nif}.py.

export type TaxIdType = 'nif' | 'nie' | 'cif' | 'passport' | 'other';

export type TaxIdResult = { ok: true; value: string } | { ok: false; message: string };

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const CIF_LETTERS = 'JABCDEFGHI';

// Entity letters valid as the first character of a CIF (Orden EHA/451/2008).
const CIF_ENTITY = 'ABCDEFGHJNPQRSUVW';
// Public bodies, religious entities and non-residents always carry a letter control.
const CIF_LETTER_CONTROL = 'NPQRSW';
// Companies (SA, SL), comunidades de bienes and de propietarios always carry a digit control.
const CIF_DIGIT_CONTROL = 'ABEH';

const DNI_RE = /^\d{8}[A-Z]$/;
const KLM_RE = /^[KLM]\d{7}[A-Z]$/;
const NIE_RE = /^[XYZ]\d{7}[A-Z]$/;
const CIF_RE = new RegExp(`^[${CIF_ENTITY}]\\d{7}[0-9A-J]$`);

export function normalizeTaxId(raw: string): string {
	return raw.toUpperCase().replace(/[\s.-]/g, '');
}

// Users often paste the intra-community VAT form (ES + NIF); the NIF itself is what we store.
function stripEsPrefix(v: string): string {
	return v.length === 11 && v.startsWith('ES') ? v.slice(2) : v;
}

function dniLetter(digits: string): string {
	return DNI_LETTERS[Number(digits) % 23];
}

/** The expected control letter for a DNI or K/L/M NIF, or null if the shape is wrong. */
function nifExpectedLetter(v: string): string | null {
	if (DNI_RE.test(v)) return dniLetter(v.slice(0, 8));
	// K/L/M NIFs (minors, non-resident Spaniards, foreigners without NIE) use the 7 digits only.
	if (KLM_RE.test(v)) return dniLetter(v.slice(1, 8));
	return null;
}

function nieExpectedLetter(v: string): string | null {
	if (!NIE_RE.test(v)) return null;
	return dniLetter('XYZ'.indexOf(v[0]) + v.slice(1, 8));
}

/** The accepted control characters for a CIF (one or two of them), or null if the shape is wrong. */
function cifExpectedControls(v: string): string[] | null {
	if (!CIF_RE.test(v)) return null;
	const digits = v.slice(1, 8);
	let sum = 0;
	for (let i = 0; i < 7; i++) {
		const d = Number(digits[i]);
		// Positions 1,3,5,7 (index 0,2,4,6) are doubled and their digits added; 2,4,6 added as is.
		if (i % 2 === 0) {
			const twice = d * 2;
			sum += Math.floor(twice / 10) + (twice % 10);
		} else {
			sum += d;
		}
	}
	const c = (10 - (sum % 10)) % 10;
	const digit = String(c);
	const letter = CIF_LETTERS[c];
	if (CIF_LETTER_CONTROL.includes(v[0])) return [letter];
	if (CIF_DIGIT_CONTROL.includes(v[0])) return [digit];
	return [digit, letter];
}

export function isValidDni(v: string): boolean {
	const n = normalizeTaxId(v);
	const expected = nifExpectedLetter(n);
	return expected !== null && n[8] === expected;
}

export function isValidNie(v: string): boolean {
	const n = normalizeTaxId(v);
	const expected = nieExpectedLetter(n);
	return expected !== null && n[8] === expected;
}

export function isValidCif(v: string): boolean {
	const n = normalizeTaxId(v);
	const expected = cifExpectedControls(n);
	return expected !== null && expected.includes(n[8]);
}

const fail = (message: string): TaxIdResult => ({ ok: false, message });

// Suggest the right document type when the number clearly belongs to another one.
function wrongTypeHint(v: string, type: 'nif' | 'nie' | 'cif'): string | null {
	if (type !== 'nif' && (DNI_RE.test(v) || KLM_RE.test(v)))
		return 'Parece un NIF: elija el tipo NIF';
	if (type !== 'nie' && NIE_RE.test(v)) return 'Parece un NIE: elija el tipo NIE';
	if (type !== 'cif' && CIF_RE.test(v)) return 'Parece un CIF: elija el tipo CIF';
	return null;
}

/** What a number of each controlled type must look like, when it does not. */
const SHAPE_MESSAGES = {
	nif: 'El NIF no es válido: debe tener 8 cifras y una letra',
	nie: 'El NIE no es válido: debe empezar por X, Y o Z, seguida de 7 cifras y una letra',
	cif: 'El CIF no es válido: debe tener una letra de entidad, 7 cifras y un carácter de control'
};

/** A NIF, NIE or CIF against its accepted control characters (null: the shape is wrong). */
function checkControl(type: 'nif' | 'nie' | 'cif', v: string, expected: string[] | null) {
	if (expected === null) return fail(wrongTypeHint(v, type) ?? SHAPE_MESSAGES[type]);
	if (!expected.includes(v[8])) {
		const control = type === 'cif' ? 'el carácter de control' : 'la letra de control';
		return fail(
			`El ${type.toUpperCase()} no es válido: ${control} debería ser ${expected.join(' o ')}`
		);
	}
	return { ok: true, value: v } as const;
}

const listOf = (letter: string | null) => (letter === null ? null : [letter]);

export function validateTaxId(type: TaxIdType, raw: string): TaxIdResult {
	const v = normalizeTaxId(raw);
	if (v === '') return fail('Introduzca el número de documento');
	switch (type) {
		case 'nif':
		case 'nie':
		case 'cif': {
			const n = stripEsPrefix(v);
			const expected =
				type === 'cif'
					? cifExpectedControls(n)
					: listOf(type === 'nif' ? nifExpectedLetter(n) : nieExpectedLetter(n));
			return checkControl(type, n, expected);
		}
		case 'passport':
			return /^[A-Z0-9]{5,20}$/.test(v)
				? { ok: true, value: v }
				: fail('El pasaporte no es válido: debe tener entre 5 y 20 letras o cifras');
		case 'other':
			return v.length <= 30
				? { ok: true, value: v }
				: fail('El documento no es válido: no puede tener más de 30 caracteres');
	}
}

// Generators of valid numbers, for tests, the demo and the bench (never for real customers).

/** A valid NIF (DNI) for any number: its last 8 digits and their control letter. */
export function makeNif(n: number): string {
	const digits = String(Math.abs(Math.trunc(n)) % 100_000_000).padStart(8, '0');
	return digits + dniLetter(digits);
}

/** A valid NIE for any number: X, Y or Z, 7 digits and the control letter. */
export function makeNie(n: number): string {
	const m = Math.abs(Math.trunc(n));
	const digits = String(m % 10_000_000).padStart(7, '0');
	const prefix = 'XYZ'[Math.floor(m / 10_000_000) % 3];
	return prefix + digits + dniLetter('XYZ'.indexOf(prefix) + digits);
}

/**
 * A valid CIF for any number (its last 7 digits) and entity letter (B, a limited company, by
 * default): a digit control where the entity must or may carry one, a letter where it must.
 */
export function makeCif(n: number, entity = 'B'): string {
	const base = `${entity}${String(Math.abs(Math.trunc(n)) % 10_000_000).padStart(7, '0')}`;
	const [control] = cifExpectedControls(`${base}0`) ?? [];
	if (control === undefined) throw new Error(`makeCif: ${entity} is not a CIF entity letter`);
	return base + control;
}
