/**
 * Money and numbers as Spanish users read and type them, in one place.
 *
 * Storage: money is integer cents (`Cents` in schemas/company.ts), percentages and other decimals
 * are plain numbers (a percentage keeps at most two decimals).
 *
 * Display: `1.234,56 €`, `33,5 %`, `1.234,5` — a dot groups every three digits (also in four-digit
 * numbers, which `Intl` for es-ES leaves ungrouped), a comma before the decimals, and a no-break
 * space before `€` and `%` so the symbol never wraps onto a line of its own.
 * Input text (what an `<input>` shows for editing): no grouping, the decimal comma, no symbol —
 * `1234,56`.
 *
 * Rounding, the only rule: half away from zero (0,125 € → 0,13 €; −0,125 € → −0,13 €), applied
 * when a computation (a discount, a share) lands between cents or when a display shows fewer
 * decimals than the number has. Parsing never rounds: typing more decimals than allowed is an error.
 *
 * Empty values, the only convention: formatting `null`, `undefined` or a non-finite number gives
 * `''`; parsing text that is empty or only spaces succeeds with `value: null` (no value), and it is
 * the form's business whether the field is required.
 *
 * What parsing accepts (spaces anywhere are ignored, so `3 000 €` is 3000):
 * - a decimal comma, with or without thousands dots: `1234,5`, `1.234,50`, `,5`;
 * - a lone decimal point when it cannot be a thousands dot: `1234.50`, `29.9`, `0.125`;
 * - dots in groups of three as thousands: `1.234` is one thousand two hundred thirty-four, and
 *   `1.234.567` likewise (that is what a Spanish user means);
 * - `€` (money) or `%` (percentages) before or after the number; a leading `-` or `−` where
 *   negatives are allowed.
 */

/** The outcome of parsing typed text: the number (null when the text was empty) or why not. */
export type NumberParse = { ok: true; value: number | null } | { ok: false; error: string };

const NBSP = '\u00a0';

// ---------------------------------------------------------------------------------------------
// Rounding

/**
 * `value` rounded to `decimals` places, half away from zero. The scaled value is read at 15
 * significant digits first, so binary noise does not decide a tie (1,005 × 100 is 100,4999… in
 * floating point, and must round to 101).
 */
export function roundHalfAwayFromZero(value: number, decimals = 0): number {
	if (!Number.isFinite(value)) return value;
	const factor = 10 ** decimals;
	const exact = Math.abs(value) * factor;
	// Whole numbers stay as they are: 15 digits would spoil cents past 10^15.
	const scaled = Number.isInteger(exact) ? exact : Number(exact.toPrecision(15));
	const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
	return rounded === 0 ? 0 : rounded; // never −0
}

/** Euros as a number (a computed price) to whole cents, by the rounding rule. */
export const centsFromEuros = (euros: number): number => roundHalfAwayFromZero(euros * 100);

/** `percent` % of an amount in cents, in whole cents by the rounding rule (21 % of 0,50 € → 11). */
export const percentOfCents = (cents: number, percent: number): number =>
	roundHalfAwayFromZero((cents * percent) / 100);

// ---------------------------------------------------------------------------------------------
// Formatting

const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');

const isMissing = (n: number | null | undefined): n is null | undefined =>
	n === null || n === undefined || !Number.isFinite(n);

/** Whole and fraction digits of |n| at exactly `decimals` places, rounded by the rule. */
function digitsOf(n: number, decimals: number): { negative: boolean; whole: string; frac: string } {
	const rounded = roundHalfAwayFromZero(n, decimals);
	const [whole, frac = ''] = Math.abs(rounded).toFixed(decimals).split('.');
	return { negative: rounded < 0, whole, frac };
}

/** Cents as the split digits of euros, with integer arithmetic only. */
function centsDigits(cents: number) {
	const c = roundHalfAwayFromZero(cents);
	const abs = Math.abs(c);
	return {
		negative: c < 0,
		whole: String(Math.trunc(abs / 100)),
		frac: String(abs % 100).padStart(2, '0')
	};
}

/** Cents for reading: 123456 → `1.234,56 €`; null → ''. */
export function formatEuros(cents: number | null | undefined): string {
	if (isMissing(cents)) return '';
	const { negative, whole, frac } = centsDigits(cents);
	return `${negative ? '-' : ''}${groupThousands(whole)},${frac}${NBSP}€`;
}

/** Cents as the editable text of an input: 123456 → `1234,56`; null → ''. */
export function formatCentsInput(cents: number | null | undefined): string {
	if (isMissing(cents)) return '';
	const { negative, whole, frac } = centsDigits(cents);
	return `${negative ? '-' : ''}${whole},${frac}`;
}

/** Drops trailing zero decimals: `12,50` → `12,5`, `12,00` → `12`. */
const trimFraction = (frac: string) => frac.replace(/0+$/, '');

function decimalText(n: number, maxDecimals: number, grouped: boolean): string {
	const { negative, whole, frac } = digitsOf(n, maxDecimals);
	const shownFrac = trimFraction(frac);
	const w = grouped ? groupThousands(whole) : whole;
	return `${negative ? '-' : ''}${w}${shownFrac ? `,${shownFrac}` : ''}`;
}

/** A number for reading: 1234.5 → `1.234,5` (at most `maxDecimals`, no trailing zeros). */
export function formatDecimal(n: number | null | undefined, maxDecimals = 6): string {
	return isMissing(n) ? '' : decimalText(n, maxDecimals, true);
}

/** A number as the editable text of an input: 1234.5 → `1234,5`; null → ''. */
export function formatDecimalInput(n: number | null | undefined, maxDecimals = 6): string {
	return isMissing(n) ? '' : decimalText(n, maxDecimals, false);
}

/** A percentage for reading: 33.5 → `33,5 %`; null → ''. */
export function formatPercent(n: number | null | undefined, maxDecimals = 2): string {
	return isMissing(n) ? '' : `${decimalText(n, maxDecimals, true)}${NBSP}%`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Split = { negative: boolean; whole: string; frac: string } | undefined;

/** Thousands dots in groups of three; the first group does not start with 0 (`0.500` is a decimal). */
const GROUPED = /^[1-9]\d{0,2}(\.\d{3})+$/;

/**
 * Typed text (spaces and the allowed symbol already removed) to sign, whole digits and fraction
 * digits, by the rules in the header; undefined when it is not a number.
 */
function splitNumber(s: string): Split {
	let negative = false;
	if (/^[-−]/.test(s)) {
		negative = true;
		s = s.slice(1);
	}
	let whole: string;
	let frac = '';
	if (s.includes(',')) {
		const parts = s.split(',');
		if (parts.length !== 2) return undefined;
		[whole, frac] = parts;
		if (!frac || !/^\d+$/.test(frac)) return undefined;
		if (GROUPED.test(whole)) whole = whole.replace(/\./g, '');
		else if (whole === '') whole = '0';
		else if (!/^\d+$/.test(whole)) return undefined;
	} else if (GROUPED.test(s)) {
		whole = s.replace(/\./g, '');
	} else if (/^\d+$/.test(s)) {
		whole = s;
	} else {
		const m = /^(\d*)\.(\d+)$/.exec(s);
		if (!m) return undefined;
		whole = m[1] || '0';
		frac = m[2];
	}
	return { negative, whole, frac };
}

type Rules = {
	symbol?: '€' | '%';
	maxDecimals: number;
	negative: boolean;
	notANumber: string;
	negativeError: string;
};

/** Removes spaces (also the no-break ones `Intl` writes) and one symbol at either end. */
function clean(text: string, symbol: Rules['symbol']): string {
	let s = text.replace(/[\s\u00a0\u202f]/g, '');
	if (symbol) {
		if (s.endsWith(symbol)) s = s.slice(0, -1);
		else if (s.startsWith(symbol)) s = s.slice(1);
	}
	return s;
}

function tooManyDecimals(max: number) {
	if (max === 0) return 'Escriba un número entero, sin decimales';
	if (max === 1) return 'Como mucho un decimal';
	if (max === 2) return 'Como mucho dos decimales';
	return `Como mucho ${max} decimales`;
}

function parseWith(text: string | null | undefined, rules: Rules): NumberParse & { split?: Split } {
	const s = clean(text ?? '', rules.symbol);
	if (!s) {
		// Only a symbol ("€") is not an empty field: the user typed something that is not a number.
		return (text ?? '').trim() ? { ok: false, error: rules.notANumber } : { ok: true, value: null };
	}
	const split = splitNumber(s);
	if (!split) return { ok: false, error: rules.notANumber };
	if (split.frac.length > rules.maxDecimals) {
		return { ok: false, error: tooManyDecimals(rules.maxDecimals) };
	}
	const magnitude = Number(`${split.whole}.${split.frac || '0'}`);
	if (split.negative && magnitude !== 0 && !rules.negative) {
		return { ok: false, error: rules.negativeError };
	}
	const value = split.negative && magnitude !== 0 ? -magnitude : magnitude;
	return { ok: true, value, split };
}

/**
 * Euros typed by a user to integer cents: `1.234,5 €` → 123450. At most two decimals; negatives
 * only with `{ negative: true }` (stored amounts are not negative).
 */
export function parseEuros(
	text: string | null | undefined,
	opts: { negative?: boolean } = {}
): NumberParse {
	const r = parseWith(text, {
		symbol: '€',
		maxDecimals: 2,
		negative: opts.negative ?? false,
		notANumber: 'Escriba un importe en euros, por ejemplo 1.234,56',
		negativeError: 'El importe no puede ser negativo'
	});
	if (!r.ok || r.value === null || !r.split) return strip(r);
	// Whole and fraction apart: 0.29 × 100 in floating point is 28.999….
	const { negative, whole, frac } = r.split;
	const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
	if (!Number.isSafeInteger(cents)) return { ok: false, error: 'Importe demasiado grande' };
	return { ok: true, value: negative && cents !== 0 ? -cents : cents };
}

type NumberOptions = { negative?: boolean; maxDecimals?: number };

/** A parser under fixed rules whose sign and decimals each caller may still override. */
function numberParser(rules: Rules) {
	return (text: string | null | undefined, opts: NumberOptions = {}): NumberParse =>
		strip(
			parseWith(text, {
				...rules,
				maxDecimals: opts.maxDecimals ?? rules.maxDecimals,
				negative: opts.negative ?? rules.negative
			})
		);
}

/** A percentage as typed: `12,5 %` → 12.5. Two decimals at most; not negative unless asked. */
export const parsePercent = numberParser({
	symbol: '%',
	maxDecimals: 2,
	negative: false,
	notANumber: 'Escriba un porcentaje, por ejemplo 12,5',
	negativeError: 'El porcentaje no puede ser negativo'
});

/** A decimal number as typed: `-1.234,5` → −1234.5. Negatives allowed unless refused. */
export const parseDecimal = numberParser({
	maxDecimals: 6,
	negative: true,
	notANumber: 'Escriba un número, por ejemplo 1.234,5',
	negativeError: 'El número no puede ser negativo'
});

const parseWholeNumber = numberParser({
	maxDecimals: 0,
	negative: false,
	notANumber: 'Escriba un número entero',
	negativeError: 'El número no puede ser negativo'
});

/** A whole number as typed: `1.200` → 1200; `12,5` is an error. Not negative unless asked. */
export function parseInteger(
	text: string | null | undefined,
	opts: { negative?: boolean } = {}
): NumberParse {
	const r = parseWholeNumber(text, { negative: opts.negative });
	if (r.ok && r.value !== null && !Number.isSafeInteger(r.value)) {
		return { ok: false, error: 'Número demasiado grande' };
	}
	return r;
}

function strip(r: NumberParse & { split?: Split }): NumberParse {
	return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
}

/**
 * A parse as a value for a form object checked by a zod schema: undefined when empty, NaN when
 * not a number (the schema then reports it on that field), otherwise the number.
 */
export const formValue = (r: NumberParse): number | undefined =>
	r.ok ? (r.value ?? undefined) : Number.NaN;
