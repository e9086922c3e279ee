/**
 * Numbers as people type them in Spain ("1.234,56", "33,33", "29.9") and back. Money is stored
 * in integer cents and percentages as numbers with two decimals at most.
 */

/** A decimal typed with a comma or a dot; thousands dots allowed. NaN when it is not a number. */
export function parseDecimal(input: string, decimals: number): number {
	let s = input.trim().replace(/[\s€%]/g, '');
	if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
	else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
	const re = new RegExp(`^-?\\d+(\\.\\d{1,${decimals}})?$`);
	return re.test(s) ? Number(s) : Number.NaN;
}

/**
 * Euros typed in a form to cents: '' → undefined (no value), not an amount → NaN, so the
 * schema reports it on the field.
 */
export function eurosToCents(input: unknown): number | undefined {
	if (input === undefined || input === null || String(input).trim() === '') return undefined;
	const v = parseDecimal(String(input), 2);
	return Number.isNaN(v) ? Number.NaN : Math.round(v * 100);
}

/** A percentage typed in a form: '' → undefined, otherwise the number (NaN when not one). */
export function toPercent(input: unknown): number | undefined {
	if (input === undefined || input === null || String(input).trim() === '') return undefined;
	return parseDecimal(String(input), 2);
}

/** A whole number typed in a form: '' → undefined; '12,5' or 'x' → NaN. */
export function toInteger(input: unknown): number | undefined {
	if (input === undefined || input === null || String(input).trim() === '') return undefined;
	const s = String(input).trim().replace(/\./g, '');
	return /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
}

/** Cents as the editable text of an input: 250000 → '2500,00'. */
export const centsToInput = (cents: number | undefined) =>
	cents === undefined ? '' : (cents / 100).toFixed(2).replace('.', ',');

/** A number as the editable text of an input: 33.5 → '33,5'. */
export const numberToInput = (n: number | undefined) =>
	n === undefined ? '' : String(n).replace('.', ',');

// 'always': es-ES leaves four-digit amounts ungrouped (1234 €), which reads badly beside 12.345 €.
const eur = new Intl.NumberFormat('es-ES', {
	style: 'currency',
	currency: 'EUR',
	useGrouping: 'always'
});
const pct = new Intl.NumberFormat('es-ES', { maximumFractionDigits: 2 });

export const fmtEuros = (cents: number | undefined) =>
	cents === undefined ? '' : eur.format(cents / 100);

export const fmtPercent = (n: number | undefined) => (n === undefined ? '' : `${pct.format(n)} %`);
