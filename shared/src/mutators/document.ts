import { z } from 'zod';
import {
	COMPANY_PROFILE_ID,
	CompanyProfile,
	DOCUMENT_KIND_LABELS,
	Document,
	ISSUED_FIELDS,
	PAYMENT_STATES,
	RECTIFICATION_METHODS,
	RECTIFICATION_TYPES,
	isInvoiceKind,
	type DocumentKind,
	type Party,
	type VerifactuRecord
} from '../schemas/billing';
import { Cents } from '../schemas/company';
import { Id, IsoDate } from '../schemas/common';
import { AppError } from '../protocol/errors';
import { documentTotals } from '../domain/document-totals';
import { madridTime } from '../domain/madrid';
import { aeatAmount, aeatDate, huellaAlta, huellaAnulacion } from '../domain/verifactu';
import { formatEuros } from '../domain/money';
import { WalletEntry } from '../schemas/wallet';
import { Payment } from '../schemas/payment';
import { crudMutators } from './crud';
import { customerOrThrow, notFound } from './guards';
import { keepBalance } from './wallet';
import { advanceRenewals, checkRenewalLines } from './renewal';
import {
	ADMIN_ONLY,
	OFFICE_ROLES,
	defineMutator,
	parseOrThrow,
	type Mutator,
	type MutatorTx
} from './types';

/**
 * Documentos (docs/money.md). A document is written by devices only as a draft (`borrador`):
 * create, edit, delete, convert, rectify. `document.issue` asks for it to be issued; on the
 * server it takes the series' next number, the issue date, the issuer's and recipient's data, its
 * totals and — for an invoice, with VeriFactu on — the alta record chained to the issuer's last
 * one, all in the mutation's one atomic batch. An issued document never changes again except its
 * payment state; `document.cancel` cancels it (an anulación record for an invoice).
 */

const conflict = (message: string, field?: string) => new AppError('conflict', message, field, 409);

const isDraft = (d: Document) => d.state === 'borrador' && !d.issueRequested;

/** A draft holds none of the fields only issuing sets (a device cannot forge a number). */
function checkDraft(row: Document, existing?: Document) {
	if (existing && !isDraft(existing)) {
		throw conflict(
			existing.issueRequested
				? 'El documento está pendiente de numerar: ya no se puede modificar'
				: 'Un documento emitido no se modifica: haga una factura rectificativa o anúlelo'
		);
	}
	if (row.state !== 'borrador' || row.issueRequested) {
		throw conflict('Un documento nuevo o editado es un borrador', 'state');
	}
	for (const f of ISSUED_FIELDS) {
		if (row[f] !== undefined) throw conflict('Ese dato lo pone el servidor al emitir', f);
	}
	if (row.kind === 'rectificativa' && !row.rectifies) {
		throw new AppError('invalid-field', 'Indique la factura que rectifica', 'rectifies');
	}
	if (row.kind !== 'rectificativa' && row.rectifies) {
		throw new AppError(
			'invalid-field',
			'Solo una rectificativa rectifica otra factura',
			'rectifies'
		);
	}
	const negative = row.lines.findIndex((l) => l.quantity < 0);
	if (negative >= 0 && row.rectifies?.method !== 'I') {
		throw new AppError(
			'invalid-field',
			'Cantidades negativas solo en una rectificativa por diferencias',
			`lines.${negative}.quantity`
		);
	}
}

const documentCrud = crudMutators({
	entity: 'document',
	noun: 'El documento',
	object: Document,
	roles: OFFICE_ROLES,
	parent: 'customer',
	async check(tx, row, existing) {
		checkDraft(row, existing);
		await checkRenewalLines(tx, row);
	},
	async deletable(_tx, row) {
		if (!isDraft(row)) throw conflict('Un documento emitido no se borra: anúlelo');
	}
});

async function documentOrThrow(tx: MutatorTx, id: string) {
	const doc = await tx.get('document', id);
	if (!doc) throw notFound('El documento', 'id');
	return doc;
}

async function companyOrThrow(tx: MutatorTx): Promise<CompanyProfile> {
	const c = await tx.get('companyProfile', COMPANY_PROFILE_ID);
	if (!c) {
		throw conflict(
			'Faltan los datos de la empresa: un administrador debe completarlos en Configuración › Empresa'
		);
	}
	return c;
}

/** AEAT's TipoFactura of an invoice. */
function tipoFactura(d: Document): string {
	if (d.kind === 'simplificada') return 'F2';
	if (d.kind === 'rectificativa') return d.rectifies?.type ?? 'R4';
	return 'F1';
}

/** The next number of the kind's series: `F2026-0001` (yearly) or `F-0001`. */
async function nextDocumentNumber(
	tx: MutatorTx,
	company: CompanyProfile,
	kind: DocumentKind,
	day: string
): Promise<string> {
	const { prefix, yearly } = company.series[kind];
	const year = day.slice(0, 4);
	const n = await tx.nextNumber(yearly ? `doc:${prefix}:${year}` : `doc:${prefix}`);
	return `${prefix}${yearly ? year : ''}-${String(n).padStart(4, '0')}`;
}

async function recipientOf(tx: MutatorTx, customerId: string): Promise<Party> {
	const c = await customerOrThrow(tx, customerId);
	const addresses = await tx.findBy('address', 'customerId', customerId);
	const a = addresses.find((x) => x.label === 'fiscal') ?? addresses[0];
	const address = a ? partyAddress(a) : undefined;
	return {
		name: c.name,
		...(c.taxId ? { taxId: c.taxId, taxIdType: c.taxIdType } : {}),
		...(address ? { address } : {})
	};
}

/** An address as a document prints it on one line: street, postal code and town, province. */
export const partyAddress = (a: {
	street: string;
	postalCode?: string;
	town?: string;
	province?: string;
}) =>
	[a.street, [a.postalCode, a.town].filter(Boolean).join(' '), a.province]
		.filter(Boolean)
		.join(', ');

/** The issuing company as a document prints it. */
export const issuerOf = (c: CompanyProfile): Party => ({
	name: c.legalName,
	taxId: c.nif,
	taxIdType: 'nif',
	address: partyAddress(c)
});

/**
 * The next record of the issuer's chain: its position is the issuer's counter (guarded, so two
 * server instances never take the same one), the previous record is the one at the position
 * before, and the database refuses a second record at a position or after the same huella.
 */
type RecordExtra = Partial<
	Pick<
		VerifactuRecord,
		| 'tipoFactura'
		| 'tipoRectificativa'
		| 'rectified'
		| 'importeRectificacion'
		| 'descripcion'
		| 'recipient'
		| 'detail'
		| 'cuotaTotal'
		| 'importeTotal'
	>
>;

async function appendRecord(
	tx: MutatorTx,
	company: CompanyProfile,
	of: { doc: Document; kind: VerifactuRecord['kind']; numSerie: string; fecha: string },
	extra: RecordExtra,
	huellaOf: (previousHuella: string, generatedAt: string) => string
): Promise<VerifactuRecord> {
	const position = await tx.nextNumber(`verifactu:${company.nif}`);
	const [prev] =
		position > 1
			? await tx.findBy('verifactuRecord', 'chainKey', `${company.nif}#${position - 1}`)
			: [];
	if (position > 1 && !prev) {
		throw new AppError('internal', `Falta el registro ${position - 1} de la cadena VeriFactu`);
	}
	const previousHuella = prev?.huella ?? '';
	const generatedAt = madridTime(tx.ctx.now).stamp;
	const record: VerifactuRecord = {
		// Derived from the document: a replayed issue or cancel can never make a second record.
		id: `vf-${of.doc.id}-${of.kind}`,
		kind: of.kind,
		position,
		chainKey: `${company.nif}#${position}`,
		issuerNif: company.nif,
		issuerName: company.legalName,
		documentId: of.doc.id,
		customerId: of.doc.customerId,
		numSerie: of.numSerie,
		fecha: of.fecha,
		...extra,
		...(prev
			? { previous: { numSerie: prev.numSerie, fecha: prev.fecha, huella: prev.huella } }
			: {}),
		previousHuella,
		generatedAt,
		huella: huellaOf(previousHuella, generatedAt),
		state: 'pendiente',
		createdAt: tx.ctx.now
	};
	await tx.put('verifactuRecord', record);
	return record;
}

export const documentIssue = defineMutator({
	name: 'document.issue',
	args: z.strictObject({ id: Id }),
	roles: OFFICE_ROLES,
	async apply(tx, { id }) {
		const doc = await documentOrThrow(tx, id);
		if (doc.state !== 'borrador') throw conflict('El documento ya está emitido');
		if (!doc.lines.length) throw new AppError('invalid-field', 'Añada al menos una línea', 'lines');
		if (!tx.ctx.server) {
			// No signal: the draft waits for the server's number ("pendiente de numerar").
			if (!doc.issueRequested) {
				await tx.put('document', { ...doc, issueRequested: true, updatedAt: tx.ctx.now });
			}
			return;
		}
		const company = await companyOrThrow(tx);
		let rectified: Document | undefined;
		if (doc.rectifies) {
			rectified = await tx.get('document', doc.rectifies.documentId);
			if (
				!rectified?.number ||
				rectified.customerId !== doc.customerId ||
				!isInvoiceKind(rectified.kind)
			) {
				throw conflict('La factura rectificada no existe o no está emitida', 'rectifies');
			}
		}
		const day = madridTime(tx.ctx.now).day;
		const number = await nextDocumentNumber(tx, company, doc.kind, day);
		const totals = documentTotals(doc.lines);
		const recipient = await recipientOf(tx, doc.customerId);
		if (doc.kind === 'factura' && !recipient.taxId) {
			throw conflict(
				'Una factura completa lleva el NIF del cliente: complételo o haga una factura simplificada'
			);
		}
		const { issueRequested: _pending, ...draft } = doc;
		const issued: Document = {
			...draft,
			state: 'emitida',
			number,
			issueDate: day,
			issuer: issuerOf(company),
			recipient,
			totals,
			updatedAt: tx.ctx.now
		};
		if (isInvoiceKind(doc.kind) && company.verifactu) {
			const tipo = tipoFactura(doc);
			const fecha = aeatDate(day);
			const cuotaTotal = aeatAmount(totals.vatCents);
			const importeTotal = aeatAmount(totals.totalCents);
			const record = await appendRecord(
				tx,
				company,
				{ doc, kind: 'alta', numSerie: number, fecha },
				{
					tipoFactura: tipo,
					...(doc.rectifies ? { tipoRectificativa: doc.rectifies.method } : {}),
					...(rectified?.number && rectified.issueDate
						? { rectified: { numSerie: rectified.number, fecha: aeatDate(rectified.issueDate) } }
						: {}),
					...(doc.rectifies?.method === 'S' && rectified?.totals
						? {
								importeRectificacion: {
									baseRectificada: aeatAmount(rectified.totals.baseCents),
									cuotaRectificada: aeatAmount(rectified.totals.vatCents)
								}
							}
						: {}),
					descripcion: doc.lines
						.map((l) => l.description)
						.join('; ')
						.slice(0, 500),
					recipient,
					detail: totals.vat,
					cuotaTotal,
					importeTotal
				},
				(Huella, FechaHoraHusoGenRegistro) =>
					huellaAlta({
						IDEmisorFactura: company.nif,
						NumSerieFactura: number,
						FechaExpedicionFactura: fecha,
						TipoFactura: tipo,
						CuotaTotal: cuotaTotal,
						ImporteTotal: importeTotal,
						Huella,
						FechaHoraHusoGenRegistro
					})
			);
			issued.verifactuRecordId = record.id;
		}
		await tx.put('document', issued);
		// Invoicing a renewal moves its next renewal on (docs/renewals.md).
		if (doc.kind === 'factura' || doc.kind === 'simplificada') await advanceRenewals(tx, issued);
	}
});

export const documentCancel = defineMutator({
	name: 'document.cancel',
	args: z.strictObject({ id: Id, reason: z.string().max(500).optional() }),
	roles: OFFICE_ROLES,
	async apply(tx, { id, reason }) {
		const doc = await documentOrThrow(tx, id);
		if (doc.state === 'anulada') return;
		if (doc.state === 'borrador' && !doc.issueRequested) {
			throw conflict('Un borrador no se anula: bórrelo');
		}
		if (doc.state === 'borrador' && !tx.ctx.server) {
			throw conflict('Espere a que el servidor lo numere para anularlo');
		}
		const cancelled: Document = { ...doc, state: 'anulada', updatedAt: tx.ctx.now };
		if (tx.ctx.server && doc.verifactuRecordId && doc.number && doc.issueDate) {
			const company = await companyOrThrow(tx);
			const number = doc.number;
			const fecha = aeatDate(doc.issueDate);
			const record = await appendRecord(
				tx,
				company,
				{ doc, kind: 'anulacion', numSerie: number, fecha },
				{},
				(Huella, FechaHoraHusoGenRegistro) =>
					huellaAnulacion({
						IDEmisorFacturaAnulada: company.nif,
						NumSerieFacturaAnulada: number,
						FechaExpedicionFacturaAnulada: fecha,
						Huella,
						FechaHoraHusoGenRegistro
					})
			);
			cancelled.cancelRecordId = record.id;
		}
		await tx.put('document', cancelled, reason ? { reason } : undefined);
	}
});

export const documentSetPayment = defineMutator({
	name: 'document.setPayment',
	args: z.strictObject({ id: Id, state: z.enum(PAYMENT_STATES), paidCents: Cents.optional() }),
	roles: OFFICE_ROLES,
	async apply(tx, { id, state, paidCents }) {
		const doc = await documentOrThrow(tx, id);
		if (!isInvoiceKind(doc.kind) || !doc.number || doc.state === 'anulada') {
			throw conflict('Solo una factura emitida y no anulada se cobra');
		}
		if (state === 'cobrada-parcial' && paidCents === undefined) {
			throw new AppError('invalid-field', 'Indique lo cobrado', 'paidCents');
		}
		const { paidCents: _old, ...rest } = doc;
		await tx.put('document', {
			...rest,
			state,
			...(state === 'cobrada-parcial' ? { paidCents } : {}),
			updatedAt: tx.ctx.now
		});
	}
});

/** The kinds paid with the Monedero (document.payWithWallet): not a quote, not a rectification. */
export const WALLET_PAYABLE_KINDS: readonly DocumentKind[] = ['factura', 'simplificada', 'albaran'];

/** What is paid of an issued document, in cents (all of it once `cobrada` or `remesada`). */
export function paidCentsOf(d: Document): number {
	if (!d.totals) return 0;
	if (d.state === 'cobrada' || d.state === 'remesada') return d.totals.totalCents;
	if (d.state === 'cobrada-parcial' || d.state === 'devuelta') return d.paidCents ?? 0;
	return 0;
}

/** What is left to pay of an issued document, in cents (0 once `cobrada` or `remesada`). */
export function outstandingCents(d: Document): number {
	if (!d.totals || d.state === 'anulada' || d.state === 'borrador') return 0;
	return Math.max(0, d.totals.totalCents - paidCentsOf(d));
}

/** A customer's outstanding balance: what is left to pay of the issued invoices (not albaranes). */
export const customerOutstandingCents = (docs: readonly Document[]): number =>
	docs
		.filter((d) => d.kind === 'factura' || d.kind === 'simplificada')
		.reduce((sum, d) => sum + outstandingCents(d), 0);

/** The document with `paid` cents paid: `cobrada`, `cobrada-parcial` or, nothing paid, `emitida`. */
export function withPaid(d: Document, paid: number, now: string): Document {
	const { paidCents: _old, ...rest } = d;
	const total = d.totals?.totalCents ?? 0;
	if (paid >= total) return { ...rest, state: 'cobrada', updatedAt: now };
	if (paid <= 0) return { ...rest, state: 'emitida', updatedAt: now };
	return { ...rest, state: 'cobrada-parcial', paidCents: paid, updatedAt: now };
}

/**
 * The issued document a payment of `amountCents` goes to, or why not (with the field the screen
 * shows it on): a quote or rectification, a draft, pending its number, cancelled, already paid,
 * an amount above what is outstanding.
 */
export async function payableDocument(
	tx: MutatorTx,
	documentId: string,
	amountCents: number,
	what = 'no se cobra'
): Promise<Document> {
	const doc = await documentOrThrow(tx, documentId);
	const label = DOCUMENT_KIND_LABELS[doc.kind].toLowerCase();
	if (!WALLET_PAYABLE_KINDS.includes(doc.kind)) {
		throw conflict(`Un ${label} ${what}`, 'documentId');
	}
	if (doc.state === 'anulada') throw conflict('El documento está anulado', 'documentId');
	if (!doc.number || !doc.totals || doc.state === 'borrador') {
		throw conflict(
			doc.issueRequested
				? 'El documento está pendiente de numerar: se paga cuando el servidor lo emita'
				: 'Un borrador no se paga: emítalo primero',
			'documentId'
		);
	}
	const outstanding = outstandingCents(doc);
	if (outstanding <= 0) {
		throw conflict(
			doc.state === 'remesada'
				? 'El documento está en una remesa: se cobra por domiciliación'
				: 'El documento ya está cobrado',
			'amountCents'
		);
	}
	if (amountCents > outstanding) {
		throw new AppError(
			'invalid-field',
			`El importe supera lo pendiente del documento: quedan ${formatEuros(outstanding)}`,
			'amountCents'
		);
	}
	return doc;
}

export const PaymentAmount = z
	.number('Importe no válido')
	.int('El importe va en céntimos')
	.positive('El importe debe ser mayor que 0,00 €');

/**
 * "Pagar con monedero": one atomic change writes the wallet's spend (`id` is the movement's id,
 * linked to the document), the payment (method `monedero`, same id) and raises the document's
 * `paidCents` and state. The balance check is the wallet's own (`keepBalance`, a guarded
 * `findBy` on the server) and the document is read with `get` (guarded too), so two devices
 * paying with the same money, or paying the same document, cannot both pass: the refused one
 * leaves the document, the wallet and the payments as they were.
 */
export const documentPayWithWallet = defineMutator({
	name: 'document.payWithWallet',
	args: z.strictObject({ id: Id, documentId: Id, amountCents: PaymentAmount, date: IsoDate }),
	roles: OFFICE_ROLES,
	async apply(tx, args) {
		if (await tx.get('walletEntry', args.id)) return; // replayed
		await payFromWallet(tx, args);
	}
});

export async function payFromWallet(
	tx: MutatorTx,
	{
		id,
		documentId,
		amountCents,
		date
	}: { id: string; documentId: string; amountCents: number; date: string }
) {
	const doc = await payableDocument(tx, documentId, amountCents, 'no se paga con el monedero');
	const entry = parseOrThrow(WalletEntry, {
		id,
		customerId: doc.customerId,
		concept: `Pago ${doc.kind === 'albaran' ? 'albarán' : 'factura'} ${doc.number}`,
		date,
		amountCents: -amountCents,
		documentId,
		userName: tx.ctx.userName,
		createdAt: tx.ctx.now,
		updatedAt: tx.ctx.now
	});
	await keepBalance(tx, entry);
	await tx.put('walletEntry', entry);
	await recordPayment(tx, doc, {
		id,
		method: 'monedero',
		amountCents,
		date,
		walletEntryId: id
	});
}

/** Writes a payment of `doc` and raises the document's paid amount and state, one batch. */
export async function recordPayment(
	tx: MutatorTx,
	doc: Document,
	p: Omit<Payment, 'customerId' | 'documentId' | 'userName' | 'createdAt' | 'updatedAt'>
) {
	const payment = parseOrThrow(Payment, {
		...p,
		customerId: doc.customerId,
		documentId: doc.id,
		userName: tx.ctx.userName,
		createdAt: tx.ctx.now,
		updatedAt: tx.ctx.now
	});
	await tx.put('payment', payment);
	const next = withPaid(doc, paidCentsOf(doc) + p.amountCents, tx.ctx.now);
	// A direct debit in a remittance: paid unless the bank returns it (payment.return).
	await tx.put('document', p.method === 'domiciliacion' ? { ...next, state: 'remesada' } : next);
}

/** The kinds a document converts to: presupuesto → albarán → factura. */
export const CONVERSIONS: Partial<Record<DocumentKind, readonly DocumentKind[]>> = {
	presupuesto: ['albaran', 'factura'],
	albaran: ['factura']
};

export const documentConvert = defineMutator({
	name: 'document.convert',
	args: z.strictObject({ id: Id, sourceId: Id, to: z.enum(['albaran', 'factura']), date: IsoDate }),
	roles: OFFICE_ROLES,
	async apply(tx, { id, sourceId, to, date }) {
		const source = await documentOrThrow(tx, sourceId);
		if (!CONVERSIONS[source.kind]?.includes(to)) {
			throw conflict(
				`Un ${DOCUMENT_KIND_LABELS[source.kind].toLowerCase()} no se convierte en eso`
			);
		}
		if (source.state === 'anulada') throw conflict('Un documento anulado no se convierte');
		if (source.convertedToId) throw conflict('Este documento ya se convirtió', 'convertedToId');
		if (await tx.get('document', id)) return; // replayed
		const draft: Document = {
			id,
			customerId: source.customerId,
			kind: to,
			state: 'borrador',
			date,
			lines: source.lines,
			...(source.notes ? { notes: source.notes } : {}),
			sourceId,
			createdAt: tx.ctx.now,
			updatedAt: tx.ctx.now
		};
		await tx.put('document', Document.parse(draft));
		await tx.put('document', { ...source, convertedToId: id, updatedAt: tx.ctx.now });
	}
});

export const documentRectify = defineMutator({
	name: 'document.rectify',
	args: z.strictObject({
		id: Id,
		originalId: Id,
		method: z.enum(RECTIFICATION_METHODS),
		type: z.enum(RECTIFICATION_TYPES),
		reason: z.string().max(500).optional(),
		date: IsoDate
	}),
	roles: OFFICE_ROLES,
	async apply(tx, { id, originalId, method, type, reason, date }) {
		const original = await documentOrThrow(tx, originalId);
		if (!isInvoiceKind(original.kind) || original.state === 'borrador') {
			throw conflict('Solo se rectifica una factura emitida');
		}
		if (original.state === 'anulada') throw conflict('Una factura anulada no se rectifica');
		if (await tx.get('document', id)) return; // replayed
		const draft: Document = {
			id,
			customerId: original.customerId,
			kind: 'rectificativa',
			state: 'borrador',
			date,
			// By differences the draft starts as the whole credit (every line negated), to be edited.
			lines:
				method === 'I'
					? original.lines.map((l) => ({ ...l, quantity: -l.quantity }))
					: original.lines,
			rectifies: { documentId: originalId, method, type, ...(reason ? { reason } : {}) },
			createdAt: tx.ctx.now,
			updatedAt: tx.ctx.now
		};
		await tx.put('document', Document.parse(draft));
	}
});

/** Configuración › Empresa: one row, written whole by an administrator. */
export const companyProfileSave = defineMutator({
	name: 'companyProfile.save',
	args: CompanyProfile,
	roles: ADMIN_ONLY,
	async apply(tx, row) {
		const existing = await tx.get('companyProfile', COMPANY_PROFILE_ID);
		await tx.put('companyProfile', {
			...row,
			createdAt: existing?.createdAt ?? tx.ctx.now,
			updatedAt: tx.ctx.now
		});
	}
});

export const documentMutators: Mutator[] = [
	...documentCrud,
	documentIssue as Mutator,
	documentCancel as Mutator,
	documentSetPayment as Mutator,
	documentPayWithWallet as Mutator,
	documentConvert as Mutator,
	documentRectify as Mutator,
	companyProfileSave as Mutator
];
