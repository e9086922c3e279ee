import type { DocumentLine, DocumentTotals, ExemptReason } from '../schemas/billing';
import { mulDivRound, vatCents } from './previo';

/**
 * The totals of a document, the one function every screen, the server and the VeriFactu record
 * use (docs/money.md), with the previo's rules:
 *
 * - a line's base is quantity × unit price × (1 − discount % ÷ 100), rounded to the cent half away
 *   from zero, exactly (integers; a quantity and a discount have at most two decimals);
 * - bases are summed per VAT rate (an exempt line by its reason), and the VAT of each is that sum
 *   × rate ÷ 100 rounded the same way;
 * - the total is the bases plus the VAT.
 *
 * A negative quantity (a rectificativa by differences) gives a negative base: the same magnitude
 * as the positive line, with its sign, so a credit exactly undoes the line it mirrors.
 */
export function lineBase(
	l: Pick<DocumentLine, 'quantity' | 'unitCents' | 'discountPercent'>
): number {
	const hundredths = Math.round(Math.abs(l.quantity) * 100);
	const keep = Math.max(0, 10_000 - Math.round((l.discountPercent ?? 0) * 100));
	const magnitude = mulDivRound([hundredths, l.unitCents, keep], 100 * 10_000);
	return l.quantity < 0 && magnitude !== 0 ? -magnitude : magnitude;
}

const signedVat = (base: number, rate: number) =>
	base < 0 ? -vatCents(-base, rate) : vatCents(base, rate);

export function documentTotals(lines: readonly DocumentLine[]): DocumentTotals {
	const groups = new Map<
		string,
		{ vatRate: number; exemptReason?: ExemptReason; baseCents: number }
	>();
	for (const l of lines) {
		const key = `${l.vatRate}|${l.exemptReason ?? ''}`;
		const g = groups.get(key) ?? {
			vatRate: l.vatRate,
			...(l.exemptReason ? { exemptReason: l.exemptReason } : {}),
			baseCents: 0
		};
		g.baseCents += lineBase(l);
		groups.set(key, g);
	}
	const vat = [...groups.values()]
		.sort(
			(a, b) => b.vatRate - a.vatRate || (a.exemptReason ?? '').localeCompare(b.exemptReason ?? '')
		)
		.map((g) => ({ ...g, vatCents: g.exemptReason ? 0 : signedVat(g.baseCents, g.vatRate) }));
	const baseCents = vat.reduce((s, v) => s + v.baseCents, 0);
	const vatTotal = vat.reduce((s, v) => s + v.vatCents, 0);
	return { vat, baseCents, vatCents: vatTotal, totalCents: baseCents + vatTotal };
}
