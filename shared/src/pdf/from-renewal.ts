import { renewalLine } from '../domain/renewals';
import { formatEuros } from '../domain/money';
import type { CompanyProfile, Party } from '../schemas/billing';
import {
	RENEWAL_PERIOD_LABELS,
	type RenewalAssignment,
	type RenewalPackage
} from '../schemas/renewal';
import { issuerOf } from '../mutators/document';
import type { DocumentPdfInput } from './input';
import { pdfLines, pdfParties } from './from-document';
import { spanishDate } from './text';

/**
 * "Imprimir paquete" (docs/renewals.md): a customer's renewable package as a sheet with the
 * documents' layout — the company, the customer, the package's period, start and next renewal,
 * and the line its next renewal would be invoiced with (name, period, items, price), its totals
 * and the assignment's notes. Not a document: no number, no watermark, no QR.
 */
export type RenewalPdfSources = {
	assignment: RenewalAssignment;
	package: RenewalPackage;
	company: CompanyProfile | undefined;
	customer: { name: string; code?: string; taxId?: string; address?: string };
};

export function renewalPdfInput(s: RenewalPdfSources): DocumentPdfInput {
	const a = s.assignment;
	const p = s.package;
	const issuer: Party = s.company ? issuerOf(s.company) : { name: '' };
	const recipient: Party = {
		name: s.customer.name,
		taxId: s.customer.taxId,
		address: s.customer.address
	};
	const line = renewalLine(a, p, a.nextRenewal);
	return {
		...pdfParties(issuer, s.company, recipient, s.customer.code),
		document: { kind: 'quote', series: '', number: null, issueDate: null },
		...pdfLines([line]),
		notes: a.notes || null,
		sheet: {
			title: `Paquete ${p.name}`,
			facts: [
				`Periodicidad: ${RENEWAL_PERIOD_LABELS[p.period]}`,
				`Precio: ${formatEuros(a.priceCents)} × ${a.quantity} + IVA ${p.vatRate} %`,
				`Inicio: ${spanishDate(a.startDate)}`,
				`Próxima renovación: ${spanishDate(a.nextRenewal)}`,
				...(a.lastInvoiced?.number
					? [
							`Última facturada: ${a.lastInvoiced.number} (hasta el ${spanishDate(a.lastInvoiced.to)})`
						]
					: [])
			]
		}
	};
}
