/**
 * Euros as typed in Spain ("29,90", "1.234,50", "29.9") to integer cents; undefined when it is
 * not an amount. Money is stored in cents everywhere (DESIGN.md "Language").
 */
export function eurosToCents(input: string): number | undefined {
	let s = input.trim().replace(/\s|€/g, '');
	if (!s) return undefined;
	if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
	else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, '');
	if (!/^\d+(\.\d{1,2})?$/.test(s)) return undefined;
	const [whole, frac = ''] = s.split('.');
	return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const eur = new Intl.NumberFormat('es-ES', { style: 'currency', currency: 'EUR' });

export const fmtCents = (cents: number) => eur.format(cents / 100);

/** Cents as the editable text of an input: 2990 → "29,90". */
export const centsToInput = (cents: number | undefined) =>
	cents === undefined ? '' : (cents / 100).toFixed(2).replace('.', ',');
