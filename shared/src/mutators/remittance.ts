import { z } from 'zod';
import { Id, IsoDate } from '../schemas/common';
import { COMPANY_PROFILE_ID, type Document } from '../schemas/billing';
import { SEPA_SCHEMES, type PaymentMethod, type SepaScheme } from '../schemas/finance';
import { stateServiceOf, type Setting } from '../schemas/setting';
import { Remittance, type RemittanceDebit, type RemittanceException } from '../schemas/payment';
import { AppError } from '../protocol/errors';
import { validateBic } from '../domain/bic';
import { validateIban } from '../domain/iban';
import { validateCreditorIdentifier } from '../domain/sepa';
import {
	SepaError,
	buildPain008,
	checkSepaDebit,
	type SepaRemittance
} from '../domain/sepa-pain008';
import { nextSequenceType, type MandateCollection } from '../domain/sepa-sequence';
import { outstandingCents, recordPayment } from './document';
import { OFFICE_ROLES, defineMutator, parseOrThrow, type Mutator, type MutatorTx } from './types';

/**
 * Remesas SEPA (docs/sepa-and-wallet.md). `planRemittance` picks, from the stored rows, the
 * issued invoices with something outstanding, issued up to `dueUpTo`, of customers whose default
 * payment method is a direct debit (its type uses a bank), and works out each debit's sequence
 * type from the mandate's earlier collections (the `domiciliacion` payments with its reference).
 * Invoices that cannot go (no valid mandate, lapsed, another scheme, bad IBAN) are the
 * exceptions, with the reason. The screen shows the plan as the preview; `remittance.create` runs
 * the same plan on the server's rows and writes the remittance, one `domiciliacion` payment per
 * debit and each invoice `remesada`, in one batch.
 */

export type RemittanceOptions = {
	dueUpTo: string;
	collectionDate: string;
	scheme: SepaScheme;
	/**
	 * Close the mandates of customers who left: a customer in a baja state with nothing else to
	 * collect (no other invoice outstanding, none pending numbering) gets FNAL for the mandate's
	 * last debit in this file, and the mandate takes no more. Off by default: an invoice that
	 * comes later (equipment not returned) would then need another way to be collected.
	 */
	finalForBaja?: boolean;
};
export type RemittancePlan = {
	debits: (RemittanceDebit & { number: string; paymentMethodId: string })[];
	exceptions: RemittanceException[];
	/** The documents read, by id (the mutation writes them without reading them again). */
	documents: Map<string, Document>;
};

/** Outstanding states an invoice can be remitted from. */
const OPEN_STATES = ['emitida', 'cobrada-parcial', 'devuelta'] as const;
const REMITTABLE_KINDS = ['factura', 'simplificada'];

type Reader = Pick<MutatorTx, 'get' | 'findBy'>;

export async function planRemittance(tx: Reader, opts: RemittanceOptions): Promise<RemittancePlan> {
	const docs: Document[] = [];
	for (const s of OPEN_STATES) docs.push(...(await tx.findBy('document', 'state', s)));
	const candidates = docs
		.filter(
			(d) =>
				REMITTABLE_KINDS.includes(d.kind) &&
				d.number &&
				d.issueDate &&
				d.issueDate <= opts.dueUpTo &&
				outstandingCents(d) > 0
		)
		.sort(
			(a, b) =>
				(a.issueDate ?? '').localeCompare(b.issueDate ?? '') ||
				(a.number ?? '').localeCompare(b.number ?? '')
		);
	// The customers paying by direct debit: default methods of a type that uses a bank, read
	// by type (one read per such type, not one per customer).
	const methods = new Map<string, PaymentMethod>();
	const types = await tx.findBy('setting', 'list', 'paymentMethodType');
	for (const type of types.filter((x: Setting) => x.usesBank)) {
		for (const m of await tx.findBy('paymentMethod', 'typeId', type.id)) {
			if (m.isDefault) methods.set(m.customerId, m);
		}
	}
	// Every mandate's earlier collections, from the debit payments (one read, grouped here).
	const history = new Map<string, MandateCollection[]>();
	const collectionsOf = (ref: string) => history.get(ref) ?? history.set(ref, []).get(ref)!;
	for (const p of await tx.findBy('payment', 'method', 'domiciliacion')) {
		if (!p.mandateReference || !p.sequenceType) continue;
		collectionsOf(p.mandateReference).push({
			date: p.collectionDate ?? p.date,
			sequenceType: p.sequenceType,
			outcome: p.returned ? 'returned' : 'sent'
		});
	}
	const plan: RemittancePlan = {
		debits: [],
		exceptions: [],
		documents: new Map(candidates.map((d) => [d.id, d]))
	};
	for (const doc of candidates) {
		const method = methods.get(doc.customerId);
		if (!method) continue; // pays by transfer, cash… (or has no payment method)
		const amountCents = outstandingCents(doc);
		const debtorName = method.accountHolder ?? doc.recipient?.name ?? '';
		const except = (reason: string) =>
			plan.exceptions.push({
				documentId: doc.id,
				customerId: doc.customerId,
				number: doc.number ?? '',
				debtorName,
				amountCents,
				reason
			});
		const ref = method.mandateReference;
		if (!ref || !method.mandateSignedAt || !method.iban || !method.mandateType) {
			except('La forma de pago no tiene un mandato SEPA completo (referencia, firma, IBAN)');
			continue;
		}
		if ((method.mandateScheme ?? 'CORE') !== opts.scheme) {
			except(`El mandato es ${method.mandateScheme}: va en una remesa ${method.mandateScheme}`);
			continue;
		}
		const collections = collectionsOf(ref);
		const seq = nextSequenceType({
			kind: method.mandateType,
			signedOn: method.mandateSignedAt,
			collections,
			collectionDate: opts.collectionDate,
			migratedQ19: method.mandateSignedAt === '2009-10-31'
		});
		if (!seq.ok) {
			except(seq.message);
			continue;
		}
		const debit = {
			endToEndId: doc.number ?? doc.id.slice(0, 35),
			amountCents,
			mandateReference: ref,
			mandateSignedOn: method.mandateSignedAt,
			debtorName,
			debtorIban: method.iban,
			...(method.bic ? { debtorBic: method.bic } : {}),
			sequenceType: seq.value,
			remittanceInfo: `Factura ${doc.number}`
		};
		// What the bank would refuse in the file (a bad IBAN or BIC, a name with no letter…)
		// leaves this invoice out, with the reason, instead of stopping the remittance.
		let checked;
		try {
			checked = checkSepaDebit({ ...debit, collectionDate: opts.collectionDate }, 0, opts.scheme);
		} catch (e) {
			if (!(e instanceof SepaError)) throw e;
			except(e.message.replace(/^El adeudo 1 \([^)]*\)(, )?/, '').replace(/^: /, ''));
			continue;
		}
		// Two invoices of one mandate in one file: the second counts the first as presented.
		collections.push({ date: opts.collectionDate, sequenceType: seq.value, outcome: 'sent' });
		plan.debits.push({
			...debit,
			paymentId: '',
			documentId: doc.id,
			customerId: doc.customerId,
			number: doc.number ?? '',
			paymentMethodId: method.id,
			debtorIban: checked.debtorIban,
			...(checked.debtorBic ? { debtorBic: checked.debtorBic } : {})
		});
	}
	if (opts.finalForBaja) await markFinalDebits(tx, plan, docs);
	return plan;
}

/** `finalForBaja`: the last debit of each leaving customer's mandate in the plan becomes FNAL. */
async function markFinalDebits(tx: Reader, plan: RemittancePlan, open: Document[]) {
	const states = new Map(
		(await tx.findBy('setting', 'list', 'customerState')).map((x: Setting) => [x.id, x])
	);
	const planned = new Set(plan.debits.map((d) => d.documentId));
	// Anything else of the customer's still to collect keeps the mandate open.
	const pending = new Set(
		[
			...open.filter((d) => outstandingCents(d) > 0 && !planned.has(d.id)),
			...(await tx.findBy('document', 'state', 'borrador')).filter((d) =>
				REMITTABLE_KINDS.includes(d.kind)
			)
		].map((d) => d.customerId)
	);
	const lastOfMandate = new Map<string, (typeof plan.debits)[number]>();
	for (const d of plan.debits) lastOfMandate.set(d.mandateReference, d);
	for (const d of lastOfMandate.values()) {
		if (d.sequenceType !== 'RCUR' || pending.has(d.customerId)) continue;
		const customer = await tx.get('customer', d.customerId);
		const state = customer?.stateId
			? (states.get(customer.stateId) ?? { id: customer.stateId })
			: undefined;
		if (state && stateServiceOf(state) === 'baja') d.sequenceType = 'FNAL';
	}
}

/** The file's MsgId: derived from the remittance's id, so device and server agree. */
export const remittanceMessageId = (id: string, collectionDate: string) =>
	`REM-${collectionDate.replaceAll('-', '')}-${id.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;

/** The pain.008 input of a stored remittance: the file can be built again at any time. */
export function remittanceFile(r: Remittance): SepaRemittance {
	return {
		messageId: r.messageId,
		createdAt: r.fileCreatedAt,
		scheme: r.scheme,
		creditor: r.creditor,
		debits: r.debits.map((d) => ({
			endToEndId: d.endToEndId,
			amountCents: d.amountCents,
			mandateReference: d.mandateReference,
			mandateSignedOn: d.mandateSignedOn,
			debtorName: d.debtorName,
			debtorIban: d.debtorIban,
			...(d.debtorBic ? { debtorBic: d.debtorBic } : {}),
			...(d.remittanceInfo ? { remittanceInfo: d.remittanceInfo } : {}),
			sequenceType: d.sequenceType,
			collectionDate: r.collectionDate
		}))
	};
}

/** The pain.008.001.02 XML of a stored remittance. */
export const remittanceXml = (r: Remittance): string => buildPain008(remittanceFile(r)).xml;

const invalid = (message: string, field?: string) => new AppError('invalid-field', message, field);

export const remittanceCreate = defineMutator({
	name: 'remittance.create',
	args: z.strictObject({
		id: Id,
		scheme: z.enum(SEPA_SCHEMES),
		dueUpTo: IsoDate,
		collectionDate: IsoDate,
		creditorIban: z.string().max(50),
		creditorBic: z.string().max(20).optional(),
		finalForBaja: z.boolean().optional()
	}),
	roles: OFFICE_ROLES,
	async apply(
		tx,
		{ id, scheme, dueUpTo, collectionDate, creditorIban, creditorBic, finalForBaja }
	) {
		if (await tx.get('remittance', id)) return; // replayed
		if (collectionDate < tx.ctx.now.slice(0, 10)) {
			throw invalid('La fecha de cobro no puede ser pasada', 'collectionDate');
		}
		const company = await tx.get('companyProfile', COMPANY_PROFILE_ID);
		if (!company) {
			throw new AppError('conflict', 'Faltan los datos de la empresa (Configuración › Empresa)');
		}
		const cid = validateCreditorIdentifier(company.sepaCreditorId ?? '');
		if (!company.sepaCreditorId || !cid.ok) {
			throw new AppError(
				'conflict',
				'Falta el identificador de acreedor SEPA en Configuración › Empresa'
			);
		}
		const iban = validateIban(creditorIban);
		if (!iban.ok) throw invalid(iban.message, 'creditorIban');
		if (creditorBic && !validateBic(creditorBic).ok) {
			throw invalid('El BIC no es válido', 'creditorBic');
		}
		const plan = await planRemittance(tx, { dueUpTo, collectionDate, scheme, finalForBaja });
		if (!plan.debits.length) {
			throw new AppError('conflict', 'No hay recibos domiciliados que remesar hasta esa fecha');
		}
		const debits: RemittanceDebit[] = plan.debits.map(
			({ number: _n, paymentMethodId: _m, ...d }, i) => ({ ...d, paymentId: `${id}-${i + 1}` })
		);
		const row = parseOrThrow(Remittance, {
			id,
			messageId: remittanceMessageId(id, collectionDate),
			scheme,
			dueUpTo,
			collectionDate,
			fileCreatedAt: tx.ctx.now,
			creditor: {
				name: company.legalName,
				iban: iban.value,
				...(creditorBic ? { bic: creditorBic.replace(/\s/g, '').toUpperCase() } : {}),
				creditorId: cid.value
			},
			debits,
			excluded: plan.exceptions,
			count: debits.length,
			totalCents: debits.reduce((s, d) => s + d.amountCents, 0),
			userName: tx.ctx.userName,
			createdAt: tx.ctx.now,
			updatedAt: tx.ctx.now
		});
		// Each debit passed the file's own checks in the plan; the header's are the creditor's.
		await tx.put('remittance', row);
		for (const [i, d] of plan.debits.entries()) {
			const doc = plan.documents.get(d.documentId)!;
			await recordPayment(tx, doc, {
				id: debits[i].paymentId,
				method: 'domiciliacion',
				amountCents: d.amountCents,
				date: collectionDate,
				remittanceId: id,
				paymentMethodId: d.paymentMethodId,
				mandateReference: d.mandateReference,
				sequenceType: d.sequenceType,
				collectionDate
			});
		}
	}
});

export const remittanceMutators: Mutator[] = [remittanceCreate as Mutator];
