import { documentTotals, lineBase } from '../domain/document-totals';
import {
	EXEMPT_REASON_LABELS,
	type CompanyProfile,
	type Document,
	type DocumentKind,
	type DocumentLine,
	type DocumentTotals,
	type Party
} from '../schemas/billing';
import { issuerOf } from '../mutators/document';
import type { DocumentPdfInput, PdfDocumentKind } from './input';
import { verifactuQrUrl } from './verifactu-qr';

/**
 * A Documentos row as its PDF input (docs/pdf.md, "The input contract"): the one mapping the app
 * (offline, from Dexie) and the server use. An issued document prints what was frozen when it
 * was issued (issuer, recipient, totals, number); a draft prints the company and the customer as
 * they are now, with totals computed from its lines, and no number.
 */
export type DocumentPdfSources = {
	document: Document;
	/** Configuración › Empresa (for a draft's issuer, the series and VeriFactu on or off). */
	company: CompanyProfile | undefined;
	/** The customer as it is now (a draft's recipient). */
	customer: { name: string; code?: string; taxId?: string; address?: string };
	/** The invoice a rectificativa corrects, if the device holds it. */
	rectified?: Pick<Document, 'number' | 'issueDate' | 'date'>;
};

const KIND: Record<Exclude<DocumentKind, 'rectificativa'>, PdfDocumentKind> = {
	presupuesto: 'quote',
	albaran: 'delivery_note',
	factura: 'F1',
	simplificada: 'F2'
};

/** A one-line address (partyAddress) printed as two: the street, then postal code onwards. */
const lines = (text?: string) => (text ? text.split(/,\s*(?=\d{5}\s)/).filter(Boolean) : []);

/** The issuer and the customer as the PDF prints them (documents and renewal sheets). */
export function pdfParties(
	issuer: Party,
	company: CompanyProfile | undefined,
	recipient: Party,
	code?: string
): Pick<DocumentPdfInput, 'issuer' | 'customer'> {
	return {
		issuer: {
			legalName: issuer.name,
			taxId: issuer.taxId ?? '',
			address: lines(issuer.address),
			email: company?.email || null,
			phone: company?.phone || null
		},
		customer: {
			name: recipient.name,
			taxId: recipient.taxId ?? null,
			address: lines(recipient.address),
			code: code ?? null
		}
	};
}

/** Lines and their totals as the PDF prints them. */
export function pdfLines(
	docLines: readonly DocumentLine[],
	totals: DocumentTotals = documentTotals(docLines)
): Pick<DocumentPdfInput, 'lines' | 'totals'> {
	return {
		lines: docLines.map((l) => ({
			description: l.description,
			quantity: l.quantity,
			unitPriceCents: l.unitCents,
			discountPercent: l.discountPercent ?? 0,
			vatRate: l.vatRate,
			exemptReason: l.exemptReason ? EXEMPT_REASON_LABELS[l.exemptReason] : null,
			baseCents: lineBase(l)
		})),
		totals: {
			byRate: totals.vat.map((v) => ({
				vatRate: v.vatRate,
				exemptReason: v.exemptReason ? EXEMPT_REASON_LABELS[v.exemptReason] : null,
				baseCents: v.baseCents,
				quotaCents: v.vatCents
			})),
			baseCents: totals.baseCents,
			quotaCents: totals.vatCents,
			totalCents: totals.totalCents
		}
	};
}

export function documentPdfInput(s: DocumentPdfSources): DocumentPdfInput {
	const d = s.document;
	const company = s.company;
	const issuer: Party = d.issuer ?? (company ? issuerOf(company) : { name: '' });
	const recipient: Party = d.recipient ?? {
		name: s.customer.name,
		taxId: s.customer.taxId,
		address: s.customer.address
	};
	const totals = d.totals ?? documentTotals(d.lines);
	const kind = d.kind === 'rectificativa' ? (d.rectifies?.type ?? 'R4') : KIND[d.kind];
	const number = d.number ?? null;
	const issueDate = d.issueDate ?? null;
	const withQr =
		number && issueDate && d.verifactuRecordId && company?.verifactu !== false && issuer.taxId;
	return {
		...pdfParties(issuer, company, recipient, s.customer.code),
		document: {
			kind,
			series: company?.series[d.kind]?.prefix ?? '',
			number,
			issueDate: issueDate ?? (number ? d.date : null),
			rectifies: d.rectifies
				? {
						number: s.rectified?.number ?? '',
						issueDate: s.rectified?.issueDate ?? s.rectified?.date ?? d.date,
						reason: d.rectifies.reason || null
					}
				: null
		},
		...pdfLines(d.lines, totals),
		verifactu: withQr
			? {
					qrUrl: verifactuQrUrl({
						nif: issuer.taxId!,
						number: number!,
						issueDate: issueDate!,
						totalCents: totals.totalCents
					}),
					// Records wait "pendiente de envío": nothing is sent to the AEAT yet.
					sent: false
				}
			: null,
		notes: d.notes || null
	};
}
