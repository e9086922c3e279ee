/**
 * What a document's PDF is made from: plain values, no entity, no database row. Whoever holds a
 * document (the app from Dexie, the server from libSQL) maps its rows onto this and calls
 * `renderDocumentPdf`; docs/pdf.md is the mapping contract.
 *
 * Money is integer cents, dates are ISO `YYYY-MM-DD`, percentages plain numbers (21 = 21 %).
 * The PDF prints what it is given: totals are computed elsewhere (the shared totals module) and
 * passed in, never recomputed here.
 */

/** Quote, delivery note, or an invoice by its AEAT type (F1, F2 simplified, R1–R5 rectifying). */
export const PDF_DOCUMENT_KINDS = [
	'quote',
	'delivery_note',
	'F1',
	'F2',
	'R1',
	'R2',
	'R3',
	'R4',
	'R5'
] as const;
export type PdfDocumentKind = (typeof PDF_DOCUMENT_KINDS)[number];

export type PdfIssuer = {
	/** Razón social. */
	legalName: string;
	/** NIF/CIF as stored (normalized, e.g. `B12345678`). */
	taxId: string;
	/** Postal address, one printed line each (street, `CP Ciudad (Provincia)`, …). */
	address: string[];
	email?: string | null;
	phone?: string | null;
	/** PNG or JPEG, as bytes or as a `data:image/png;base64,…` / `data:image/jpeg;…` URL. */
	logo?: Uint8Array | string | null;
};

export type PdfCustomer = {
	name: string;
	/** NIF/NIE/CIF; null for a simplified invoice to a consumer who gave none. */
	taxId?: string | null;
	address: string[];
	/** The customer's code in the ERP, printed after the name when given. */
	code?: string | null;
};

export type PdfDocumentHeader = {
	kind: PdfDocumentKind;
	/** Series code (e.g. `F`, `R`, `P`), printed beside the number. */
	series: string;
	/**
	 * The full number as printed and as sent to the AEAT (NumSerieFactura, e.g. `F2026-000123`);
	 * null for a draft, which prints "BORRADOR" and "Pendiente de numerar".
	 */
	number: string | null;
	/** Issue date; null on a draft that has none yet ("Pendiente"). */
	issueDate: string | null;
	dueDate?: string | null;
	/** For R1–R5: the invoice this one rectifies. */
	rectifies?: { number: string; issueDate: string; reason?: string | null } | null;
};

export type PdfLine = {
	description: string;
	/** Units, up to three decimals (`1`, `2,5`). */
	quantity: number;
	unitPriceCents: number;
	/** Line discount in %, 0 for none. */
	discountPercent: number;
	/** VAT %, 0 when exempt. */
	vatRate: number;
	/** Why no VAT (e.g. `Exento art. 20 LIVA`); when set the IVA column prints "Exento". */
	exemptReason?: string | null;
	/** Taxable base of the line after discount, as the totals module computed it. */
	baseCents: number;
};

/** One row of the VAT breakdown (one per rate, and one per exemption reason). */
export type PdfVatRow = {
	vatRate: number;
	exemptReason?: string | null;
	baseCents: number;
	quotaCents: number;
};

export type PdfTotals = {
	byRate: PdfVatRow[];
	baseCents: number;
	quotaCents: number;
	totalCents: number;
};

export type PdfPayment = {
	/** The method as the customer reads it: "Domiciliación bancaria", "Transferencia", … */
	method: string;
	/** Printed in groups of four, or masked (`maskIban` option). */
	iban?: string | null;
};

export type PdfVerifactu = {
	/** `verifactuQrUrl(…)` of this invoice. */
	qrUrl: string;
	/** Whether the records are sent to the AEAT (VERI*FACTU mode): prints "VERI*FACTU" under the QR. */
	sent: boolean;
};

export type DocumentPdfInput = {
	issuer: PdfIssuer;
	customer: PdfCustomer;
	document: PdfDocumentHeader;
	lines: PdfLine[];
	totals: PdfTotals;
	payment?: PdfPayment | null;
	/** Invoices only; ignored on a draft (a draft has no record, so no QR). */
	verifactu?: PdfVerifactu | null;
	/** Free text printed after the totals; line breaks kept. */
	notes?: string | null;
	/**
	 * Not a document but a sheet with the same layout (a customer's renewable package): this title
	 * and these facts print instead of the kind, number, series and date; never a draft, no QR.
	 */
	sheet?: PdfSheet | null;
};

export type PdfSheet = { title: string; facts: string[] };

export type DocumentPdfOptions = {
	/** Print only the IBAN's last four characters (a technician's copy). */
	maskIban?: boolean;
	/** The PDF's creation date in its metadata (default now); fixed in tests for equal bytes. */
	createdAt?: Date;
};
