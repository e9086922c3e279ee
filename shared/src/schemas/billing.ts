import { z } from 'zod';
import { validateCreditorIdentifier } from '../domain/sepa';
import { normalizeTaxId } from '../domain/tax-id';
import { Cents, Percent, spanishId } from './company';
import { Id, IsoDate, IsoDateTime, text } from './common';
import { SPANISH_POSTAL_CODE } from './address';
import { VAT_RATES } from './router/tariff';

/**
 * The money side (docs/money.md): the issuing company (Configuración › Empresa), the customer's
 * documents (presupuesto, albarán, factura, factura simplificada, factura rectificativa) and the
 * VeriFactu records the server writes when an invoice is issued or cancelled.
 */

// ---------------------------------------------------------------------------------------------
// Documents

export const DOCUMENT_KINDS = [
	'presupuesto',
	'albaran',
	'factura',
	'simplificada',
	'rectificativa'
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
	presupuesto: 'Presupuesto',
	albaran: 'Albarán',
	factura: 'Factura',
	simplificada: 'Factura simplificada',
	rectificativa: 'Factura rectificativa'
};
/** Kinds that are invoices: issuing one makes a VeriFactu record. */
export const INVOICE_KINDS: readonly DocumentKind[] = ['factura', 'simplificada', 'rectificativa'];
export const isInvoiceKind = (k: DocumentKind) => INVOICE_KINDS.includes(k);

export const DOCUMENT_STATES = [
	'borrador',
	'emitida',
	'cobrada',
	'cobrada-parcial',
	'devuelta',
	'remesada',
	'anulada'
] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];
export const DOCUMENT_STATE_LABELS: Record<DocumentState, string> = {
	borrador: 'Borrador',
	emitida: 'Emitida',
	cobrada: 'Cobrada',
	'cobrada-parcial': 'Cobrada en parte',
	devuelta: 'Devuelta',
	remesada: 'Remesada',
	anulada: 'Anulada'
};
/** The states an issued invoice moves between as it is paid (document.setPayment). */
export const PAYMENT_STATES = ['emitida', 'cobrada', 'cobrada-parcial', 'devuelta'] as const;

/** AEAT's TipoFactura: R1 (art. 80.1, 80.2 y error fundado), R2 (80.3), R3 (80.4), R4 (resto), R5 (simplificadas). */
export const RECTIFICATION_TYPES = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type RectificationType = (typeof RECTIFICATION_TYPES)[number];
export const RECTIFICATION_TYPE_LABELS: Record<RectificationType, string> = {
	R1: 'R1 · Error fundado en derecho y art. 80 Uno, Dos y Seis',
	R2: 'R2 · Art. 80 Tres (concurso)',
	R3: 'R3 · Art. 80 Cuatro (créditos incobrables)',
	R4: 'R4 · Resto de causas',
	R5: 'R5 · Rectificativa de factura simplificada'
};
/** By substitution (S: the new invoice replaces the original's amounts) or by differences (I). */
export const RECTIFICATION_METHODS = ['S', 'I'] as const;
export const RECTIFICATION_METHOD_LABELS = { S: 'Por sustitución', I: 'Por diferencias' } as const;

/** AEAT's causes of exemption (OperacionExenta E1–E6). */
export const EXEMPT_REASONS = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6'] as const;
export type ExemptReason = (typeof EXEMPT_REASONS)[number];
export const EXEMPT_REASON_LABELS: Record<ExemptReason, string> = {
	E1: 'E1 · Exenta por el art. 20 LIVA',
	E2: 'E2 · Exenta por el art. 21 (exportaciones)',
	E3: 'E3 · Exenta por el art. 22',
	E4: 'E4 · Exenta por los arts. 23 y 24',
	E5: 'E5 · Exenta por el art. 25 (entregas intracomunitarias)',
	E6: 'E6 · Exenta por otros'
};

/** A quantity: two decimals at most; negative only in a rectificativa by differences. */
const Quantity = z
	.number('Cantidad no válida')
	.min(-1_000_000, 'Cantidad demasiado grande')
	.max(1_000_000, 'Cantidad demasiado grande')
	.refine((v) => v !== 0, 'La cantidad no puede ser 0')
	.refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'Como mucho dos decimales');

export const DocumentLine = z
	.strictObject({
		/** The tariff of the catalogue the line came from (none: free text). */
		tariffId: Id.optional(),
		/** The renewable package of the catalogue the line came from (Renovaciones). */
		packageId: Id.optional(),
		/**
		 * The renewal of a customer's package this line charges, from its next renewal to the day
		 * before the one after: issuing a factura with it moves the assignment's next renewal on.
		 */
		renewal: z.strictObject({ assignmentId: Id, from: IsoDate, to: IsoDate }).optional(),
		description: z
			.string()
			.trim()
			.min(1, 'Indique la descripción')
			.max(500, 'Máximo 500 caracteres'),
		quantity: Quantity,
		unitCents: Cents,
		discountPercent: Percent.optional(),
		vatRate: z.union(VAT_RATES.map((r) => z.literal(r))),
		/** VAT exempt (rate 0) and why. */
		exemptReason: z.enum(EXEMPT_REASONS).optional()
	})
	.superRefine((l, ctx) => {
		if (l.exemptReason && l.vatRate !== 0) {
			ctx.addIssue({
				code: 'custom',
				path: ['vatRate'],
				message: 'Una línea exenta lleva IVA 0 %'
			});
		}
	});
export type DocumentLine = z.infer<typeof DocumentLine>;

/** A party as printed on an issued document, copied when it is issued (it never changes after). */
export const Party = z.strictObject({
	name: z.string().max(200),
	taxId: z.string().max(30).optional(),
	taxIdType: z.string().max(10).optional(),
	address: z.string().max(400).optional()
});
export type Party = z.infer<typeof Party>;

export const VatBreakdown = z.strictObject({
	vatRate: z.number(),
	exemptReason: z.enum(EXEMPT_REASONS).optional(),
	baseCents: z.number().int(),
	vatCents: z.number().int()
});
export const DocumentTotals = z.strictObject({
	vat: z.array(VatBreakdown),
	baseCents: z.number().int(),
	vatCents: z.number().int(),
	totalCents: z.number().int()
});
export type DocumentTotals = z.infer<typeof DocumentTotals>;

/** Fields only the server writes, when the document is issued. A draft has none of them. */
export const ISSUED_FIELDS = [
	'number',
	'issueDate',
	'issuer',
	'recipient',
	'totals',
	'verifactuRecordId',
	'cancelRecordId',
	'billingRun'
] as const;

/** A billing run's month, `YYYY-MM` (docs/billing-run.md). */
export const BillingMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Indique el mes (AAAA-MM)');

export const Document = z.strictObject({
	id: Id,
	customerId: Id,
	kind: z.enum(DOCUMENT_KINDS),
	state: z.enum(DOCUMENT_STATES),
	/** The date a draft carries (offer date, delivery date); issuing sets `issueDate`. */
	date: IsoDate,
	lines: z.array(DocumentLine).min(1, 'Añada al menos una línea').max(500, 'Máximo 500 líneas'),
	notes: text(2000),
	/** Rectificativas: the invoice corrected, how, and AEAT's type. */
	rectifies: z
		.strictObject({
			documentId: Id,
			method: z.enum(RECTIFICATION_METHODS),
			type: z.enum(RECTIFICATION_TYPES),
			reason: text(500)
		})
		.optional(),
	/** The document this one was converted from (presupuesto → albarán → factura), and to. */
	sourceId: Id.optional(),
	convertedToId: Id.optional(),
	/** Asked to be issued on a device with no signal: "pendiente de numerar" until the server. */
	issueRequested: z.boolean().optional(),
	paidCents: Cents.optional(),
	// Set by the server when the document is issued:
	number: z.string().max(60).optional(),
	issueDate: IsoDate.optional(),
	issuer: Party.optional(),
	recipient: Party.optional(),
	totals: DocumentTotals.optional(),
	verifactuRecordId: Id.optional(),
	cancelRecordId: Id.optional(),
	/**
	 * An invoice of the billing run: the contract and the run's month it invoices. The database
	 * holds one per pair (migration 0009), so a run done twice never invoices twice.
	 */
	billingRun: z.strictObject({ contractId: Id, period: BillingMonth }).optional(),
	createdAt: IsoDateTime.optional(),
	updatedAt: IsoDateTime.optional()
});
export type Document = z.infer<typeof Document>;

// ---------------------------------------------------------------------------------------------
// The issuing company (Configuración › Empresa)

export const COMPANY_PROFILE_ID = 'empresa';

export const Series = z.strictObject({
	prefix: z
		.string()
		.trim()
		.min(1, 'Indique el prefijo')
		.max(10, 'Máximo 10 caracteres')
		.regex(/^[A-Za-z0-9/-]+$/, 'Solo letras, cifras, / y -'),
	/** Numbering starts again at 1 every year (the number then carries the year). */
	yearly: z.boolean()
});
export type Series = z.infer<typeof Series>;

export const DEFAULT_SERIES: Record<DocumentKind, Series> = {
	presupuesto: { prefix: 'P', yearly: true },
	albaran: { prefix: 'A', yearly: true },
	factura: { prefix: 'F', yearly: true },
	simplificada: { prefix: 'FS', yearly: true },
	rectificativa: { prefix: 'R', yearly: true }
};

export const CompanyProfile = z
	.strictObject({
		id: z.literal(COMPANY_PROFILE_ID),
		legalName: z
			.string()
			.trim()
			.min(1, 'Indique la razón social')
			.max(120, 'Máximo 120 caracteres'),
		tradeName: text(120),
		nif: spanishId(['nif', 'nie', 'cif']),
		street: z.string().trim().min(1, 'Indique la dirección').max(200, 'Máximo 200 caracteres'),
		postalCode: z
			.string()
			.regex(SPANISH_POSTAL_CODE, 'Código postal español no válido (5 dígitos, 01–52)'),
		town: z.string().trim().min(1, 'Indique la población').max(100, 'Máximo 100 caracteres'),
		province: text(100),
		phone: text(30),
		email: text(254),
		/** SEPA creditor identifier (AT-02) for the direct-debit remittances (`checkCreditorId`). */
		sepaCreditorId: text(35),
		series: z.strictObject(
			Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, Series])) as Record<
				DocumentKind,
				typeof Series
			>
		),
		/** Make a VeriFactu record for every issued invoice and cancellation (on by default). */
		verifactu: z.boolean(),
		createdAt: IsoDateTime.optional(),
		updatedAt: IsoDateTime.optional()
	})
	.superRefine((c, ctx) => {
		const seen = new Map<string, DocumentKind>();
		for (const k of DOCUMENT_KINDS) {
			const p = c.series[k].prefix.toUpperCase();
			const other = seen.get(p);
			if (other) {
				ctx.addIssue({
					code: 'custom',
					path: ['series', k, 'prefix'],
					message: `El prefijo ya es el de ${DOCUMENT_KIND_LABELS[other]}`
				});
			}
			seen.set(p, k);
		}
		checkCreditorId(c.sepaCreditorId, c.nif, ctx);
	});
export type CompanyProfile = z.infer<typeof CompanyProfile>;

/**
 * The SEPA creditor identifier: `ES` + check digits (mod 97) + 3-character business code + the
 * company's own NIF (domain/sepa.ts), so a remittance never goes out under another creditor.
 */
function checkCreditorId(v: string | undefined, nif: string, ctx: z.RefinementCtx) {
	if (!v) return;
	const r = validateCreditorIdentifier(v);
	const message = !r.ok
		? r.message
		: r.value.startsWith('ES') && nif && r.value.slice(7) !== normalizeTaxId(nif)
			? 'El identificador de acreedor debe llevar el NIF de la empresa'
			: '';
	if (message) ctx.addIssue({ code: 'custom', path: ['sepaCreditorId'], message });
}

// ---------------------------------------------------------------------------------------------
// VeriFactu records (server-written, read-only on devices)

export const VERIFACTU_STATES = ['pendiente'] as const;
export const VERIFACTU_STATE_LABELS = { pendiente: 'Pendiente de envío' } as const;

export const VerifactuDetail = z.strictObject({
	vatRate: z.number(),
	exemptReason: z.enum(EXEMPT_REASONS).optional(),
	baseCents: z.number().int(),
	vatCents: z.number().int()
});

export const VerifactuRecord = z.strictObject({
	id: Id,
	kind: z.enum(['alta', 'anulacion']),
	/** Chain position per issuer, from 1, in generation order; `chainKey` is `<nif>#<position>`. */
	position: z.number().int().min(1),
	chainKey: z.string(),
	issuerNif: z.string(),
	issuerName: z.string(),
	documentId: Id,
	customerId: Id,
	/** IDFactura (of the invoice issued, or of the one cancelled). */
	numSerie: z.string(),
	/** dd-mm-yyyy */
	fecha: z.string(),
	tipoFactura: z.string().optional(),
	tipoRectificativa: z.enum(RECTIFICATION_METHODS).optional(),
	rectified: z.strictObject({ numSerie: z.string(), fecha: z.string() }).optional(),
	/**
	 * ImporteRectificacion of a rectificativa by substitution (S): the base and VAT of the invoice
	 * it replaces (`12.35`), which the AEAT checks against the original.
	 */
	importeRectificacion: z
		.strictObject({ baseRectificada: z.string(), cuotaRectificada: z.string() })
		.optional(),
	descripcion: z.string().optional(),
	recipient: Party.optional(),
	detail: z.array(VerifactuDetail).optional(),
	/** CuotaTotal and ImporteTotal as written in the huella (`12.35`). */
	cuotaTotal: z.string().optional(),
	importeTotal: z.string().optional(),
	previous: z
		.strictObject({ numSerie: z.string(), fecha: z.string(), huella: z.string() })
		.optional(),
	/** The previous record's huella ('' for the first): unique per issuer, so no chain forks. */
	previousHuella: z.string(),
	/** FechaHoraHusoGenRegistro: 2026-12-03T05:41:30+01:00 */
	generatedAt: z.string(),
	huella: z.string(),
	state: z.enum(VERIFACTU_STATES),
	createdAt: IsoDateTime.optional()
});
export type VerifactuRecord = z.infer<typeof VerifactuRecord>;

/** Historial labels of a document's fields. */
export const DOCUMENT_FIELD_LABELS: Record<string, string> = {
	kind: 'Tipo de documento',
	state: 'Estado',
	date: 'Fecha',
	lines: 'Líneas',
	number: 'Número',
	issueDate: 'Fecha de expedición',
	issueRequested: 'Pendiente de numerar',
	totals: 'Importes',
	paidCents: 'Cobrado',
	rectifies: 'Rectifica',
	convertedToId: 'Convertido en',
	sourceId: 'Procede de'
};
