/**
 * Spanish number input for the finance forms: amounts in euros typed as people write them
 * ("1.500,50", "1500,5", "1500.50 €"), stored as integer cents.
 */

/** Thousands with dots and a decimal comma, or a plain decimal point: cents, or null. */
export function parseEuros(text: string): number | null {
	let s = text.replace(/[€\s\u00a0]/g, '');
	if (!s) return null;
	if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
	else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
	const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
	if (!m) return null;
	// Whole and fraction apart: 0.29 × 100 in floating point is 28.999….
	return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Cents as the input shows them: "1500,50". */
export const centsToInput = (cents?: number) =>
	cents === undefined ? '' : `${Math.trunc(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

const euros = new Intl.NumberFormat('es-ES', { style: 'currency', currency: 'EUR' });
export const formatEuros = (cents: number) => euros.format(cents / 100);

/** "12,5" or "12.5" → 12.5; null when it is not a number. */
export function parseDecimal(text: string): number | null {
	const s = text.trim().replace(',', '.');
	if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
	return Number(s);
}

export const decimalToInput = (n?: number) => (n === undefined ? '' : String(n).replace('.', ','));

/** "5, 20" or "5 y 20" → [5, 20]; null when something else is in there. */
export function parseDays(text: string): number[] | null {
	const parts = text
		.split(/[\s,;/y]+/)
		.map((p) => p.trim())
		.filter(Boolean);
	if (!parts.every((p) => /^\d{1,2}$/.test(p))) return null;
	return parts.map(Number);
}
