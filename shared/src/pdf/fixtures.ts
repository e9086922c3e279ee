// A sample invoice for tests and the bench: realistic Spanish text, several VAT rates, an exempt
// line and a long description, with totals computed the plain way (base per rate, then cuota).
import { percentOfCents } from '../domain/money';
import type { DocumentPdfInput, PdfLine, PdfVatRow } from './input';
import { verifactuQrUrl } from './verifactu-qr';

const ITEMS: Omit<PdfLine, 'baseCents'>[] = [
	{
		description: 'Cuota mensual fibra óptica 600 Mb simétricos (diciembre)',
		quantity: 1,
		unitPriceCents: 3490,
		discountPercent: 0,
		vatRate: 21
	},
	{
		description: 'Alquiler de router Wi‑Fi 6 con instalación en domicilio',
		quantity: 1,
		unitPriceCents: 300,
		discountPercent: 0,
		vatRate: 21
	},
	{
		description: 'Línea móvil adicional — 25 GB, llamadas ilimitadas',
		quantity: 2,
		unitPriceCents: 995,
		discountPercent: 10,
		vatRate: 21
	},
	{
		description: 'Cableado estructurado: tendido de 12,5 m de cable UTP cat. 6 por canaleta',
		quantity: 12.5,
		unitPriceCents: 120,
		discountPercent: 0,
		vatRate: 10
	},
	{
		description: 'Servicio de teleasistencia (exento)',
		quantity: 1,
		unitPriceCents: 1500,
		discountPercent: 0,
		vatRate: 0,
		exemptReason: 'E1 art. 20 LIVA'
	}
];

export const lineBase = (l: Omit<PdfLine, 'baseCents'>) => {
	const gross = Math.round(l.quantity * l.unitPriceCents);
	return gross - percentOfCents(gross, l.discountPercent);
};

/** VAT breakdown and totals of `lines`, one row per rate (exempt lines on their own row). */
export function sampleTotals(lines: PdfLine[]): DocumentPdfInput['totals'] {
	const rows = new Map<string, PdfVatRow>();
	for (const l of lines) {
		const key = l.exemptReason ? `x${l.exemptReason}` : `r${l.vatRate}`;
		const row = rows.get(key) ?? {
			vatRate: l.vatRate,
			exemptReason: l.exemptReason ?? null,
			baseCents: 0,
			quotaCents: 0
		};
		row.baseCents += l.baseCents;
		rows.set(key, row);
	}
	const byRate = [...rows.values()].sort((a, b) => b.vatRate - a.vatRate);
	for (const r of byRate)
		r.quotaCents = r.exemptReason ? 0 : percentOfCents(r.baseCents, r.vatRate);
	const baseCents = byRate.reduce((s, r) => s + r.baseCents, 0);
	const quotaCents = byRate.reduce((s, r) => s + r.quotaCents, 0);
	return { byRate, baseCents, quotaCents, totalCents: baseCents + quotaCents };
}

/** An F1 invoice of `lineCount` lines (the items above in turn), numbered, with its QR. */
export function sampleInvoice(
	lineCount = 20,
	{ number = 'F2026-000123' as string | null, sent = true } = {}
): DocumentPdfInput {
	const lines = Array.from({ length: lineCount }, (_, i) => {
		const item = ITEMS[i % ITEMS.length];
		return { ...item, baseCents: lineBase(item) };
	});
	const totals = sampleTotals(lines);
	const issuer = {
		legalName: 'Telecomunicaciones Peñíscola, S.L.',
		taxId: 'B12345674',
		address: ['Avda. de la Constitución, 14, 2º B', '12598 Peñíscola (Castellón)'],
		email: 'facturación@peniscola-net.es',
		phone: '964 000 111'
	};
	return {
		issuer,
		customer: {
			name: 'María José Núñez Ibáñez',
			taxId: '12345678Z',
			address: ['C/ Señoría de Aragón, 3, 1º', '12580 Benicarló (Castellón)'],
			code: 'C04711'
		},
		document: { kind: 'F1', series: 'F', number, issueDate: '2026-12-03', dueDate: '2026-12-13' },
		lines,
		totals,
		payment: { method: 'Domiciliación bancaria', iban: 'ES9121000418450200051332' },
		verifactu: number
			? {
					qrUrl: verifactuQrUrl({
						nif: issuer.taxId,
						number,
						issueDate: '2026-12-03',
						totalCents: totals.totalCents
					}),
					sent
				}
			: null,
		notes:
			'Gracias por confiar en nosotros.\nAtención al cliente: 964 000 111 (de lunes a viernes).'
	};
}
