// SEPA Direct Debit remittance ("remesa", Cuaderno 19.14 / 19.44) as an ISO 20022
// pain.008.001.02 XML message: the file a Spanish bank takes to collect the customers' debits.
// Pure: no I/O, the same on the device and on the server. docs/sepa-and-wallet.md describes it.

import type { SepaScheme } from '../schemas/finance';
import { validateBic } from './bic';
import { validateIban } from './iban';
import { validateCreditorIdentifier, validateMandateReference } from './sepa';

/** FRST first collection of a recurrent mandate, RCUR the next ones, FNAL the last, OOFF one-off. */
export type SequenceType = 'FRST' | 'RCUR' | 'OOFF' | 'FNAL';
export const SEQUENCE_TYPES: readonly SequenceType[] = ['FRST', 'RCUR', 'OOFF', 'FNAL'];

export type SepaCreditor = {
	name: string;
	iban: string;
	bic?: string;
	/** Identificador de acreedor, e.g. ES77000B85626240. */
	creditorId: string;
};

export type SepaDebit = {
	/** The debit's own reference, returned by the bank with a return ("devolución"); ≤ 35. */
	endToEndId: string;
	amountCents: number;
	/** UMR, the mandate reference (≤ 35). */
	mandateReference: string;
	/** YYYY-MM-DD. */
	mandateSignedOn: string;
	debtorName: string;
	debtorIban: string;
	debtorBic?: string;
	/** What the customer reads on the bank statement (reduced to the SEPA set, ≤ 140). */
	remittanceInfo?: string;
	sequenceType: SequenceType;
	/** YYYY-MM-DD: the day the bank charges the debtor. */
	collectionDate: string;
	/** Defaults to the remittance's scheme. */
	scheme?: SepaScheme;
};

export type SepaRemittance = {
	/** Unique per file sent to the bank (≤ 35, SEPA characters). */
	messageId: string;
	/** ISO date-time of creation; written to the second. */
	createdAt: string;
	scheme: SepaScheme;
	creditor: SepaCreditor;
	debits: SepaDebit[];
};

/** A remittance the bank would refuse: the message says which debit and why, in Spanish. */
export class SepaError extends Error {
	constructor(
		message: string,
		/** Index of the debit at fault in `debits`; undefined for the header or the creditor. */
		readonly debitIndex?: number
	) {
		super(message);
		this.name = 'SepaError';
	}
}

// ---------------------------------------------------------------------------------------------
// Text: the EPC "SEPA Latin" set, escaped for XML

const SEPA_TEXT_RE = /[^A-Za-z0-9/\-?:().,'+ ]/g;
const SEPA_PLAIN_RE = /^[A-Za-z0-9/\-?:().,'+ ]*$/;
const ID_RE = /^[A-Za-z0-9/\-?:().,'+ ]{1,35}$/;
// What a name can hold that the set has an obvious stand-in for.
const REPLACEMENTS: Record<string, string> = {
	'&': '+',
	ß: 'ss',
	Æ: 'AE',
	æ: 'ae',
	Ø: 'O',
	ø: 'o',
	Œ: 'OE',
	œ: 'oe',
	ª: 'a',
	º: 'o',
	'€': 'EUR',
	_: '-',
	'"': "'",
	'«': "'",
	'»': "'",
	'“': "'",
	'”': "'",
	'‘': "'",
	'’': "'",
	'–': '-',
	'—': '-',
	'\u00b7': '.'
};

const REPLACE_RE = new RegExp(`[${Object.keys(REPLACEMENTS).join('')}]`, 'g');

/**
 * Free text (names, remittance information) reduced to the SEPA character set: accents and
 * diacritics dropped (á→a, ñ→n, ç→c), `&`→`+`, anything else without a stand-in becomes a space;
 * runs of spaces collapse, and the result is cut to `max` characters.
 */
export function toSepaText(raw: string, max: number): string {
	// Most names need nothing but the trim: no per-character work for them.
	const plain = SEPA_PLAIN_RE.test(raw)
		? raw
		: raw
				.normalize('NFC')
				.replace(REPLACE_RE, (ch) => REPLACEMENTS[ch])
				.normalize('NFD')
				.replace(/\p{M}/gu, '')
				.replace(SEPA_TEXT_RE, ' ');
	return plain.replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

const XML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;'
};
const xml = (s: string) => s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** Cents as the decimal amount the XML wants: 1234 → "12.34". */
export function sepaAmount(cents: number): string {
	const whole = Math.floor(cents / 100);
	return `${whole}.${String(cents % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Checks

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) =>
	DATE_RE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
// ActiveOrHistoricCurrencyAndAmount: at most 11 digits before the point; banks cap a debit lower.
const MAX_CENTS = 99_999_999_999;

function checkId(value: string, what: string, at?: number): string {
	const v = value.trim();
	if (!ID_RE.test(v)) {
		throw new SepaError(
			`${what} debe tener de 1 a 35 caracteres: letras sin acentos, cifras, espacios y / - ? : ( ) . , ' +`,
			at
		);
	}
	return v;
}

function checkIban(raw: string, what: string, at?: number): string {
	const r = validateIban(raw);
	if (!r.ok) throw new SepaError(`${what}: ${r.message}`, at);
	return r.value;
}

function checkBic(raw: string | undefined, what: string, at?: number): string | undefined {
	if (!raw?.trim()) return undefined;
	const r = validateBic(raw);
	if (!r.ok) throw new SepaError(`${what}: ${r.message}`, at);
	return r.value;
}

function checkName(raw: string, what: string, at?: number): string {
	const v = toSepaText(raw, 70);
	if (!v) throw new SepaError(`${what}: falta el nombre (o no tiene ninguna letra ni cifra)`, at);
	return v;
}

type CheckedDebit = Omit<SepaDebit, 'scheme'> & { scheme: SepaScheme; remittanceInfo: string };

function checkDebit(d: SepaDebit, at: number, scheme: SepaScheme): CheckedDebit {
	const n = at + 1;
	const endToEndId = checkId(d.endToEndId, `El adeudo ${n}: la referencia del adeudo`, at);
	const who = `El adeudo ${n} (${endToEndId})`;
	if (!Number.isInteger(d.amountCents) || d.amountCents <= 0 || d.amountCents > MAX_CENTS) {
		throw new SepaError(`${who}: el importe debe ser mayor que 0,00 €`, at);
	}
	const mandate = validateMandateReference(d.mandateReference);
	if (!mandate.ok) throw new SepaError(`${who}: ${mandate.message}`, at);
	if (!isDate(d.mandateSignedOn)) {
		throw new SepaError(`${who}: falta la fecha de firma del mandato`, at);
	}
	if (!isDate(d.collectionDate)) throw new SepaError(`${who}: fecha de cobro no válida`, at);
	if (d.mandateSignedOn > d.collectionDate) {
		throw new SepaError(`${who}: el mandato se firma después de la fecha de cobro`, at);
	}
	if (!SEQUENCE_TYPES.includes(d.sequenceType)) {
		throw new SepaError(`${who}: tipo de secuencia no válido (FRST, RCUR, OOFF o FNAL)`, at);
	}
	const s = d.scheme ?? scheme;
	if (s !== 'CORE' && s !== 'B2B')
		throw new SepaError(`${who}: esquema no válido (CORE o B2B)`, at);
	return {
		...d,
		endToEndId,
		mandateReference: mandate.value,
		debtorName: checkName(d.debtorName, `${who}, titular`, at),
		debtorIban: checkIban(d.debtorIban, `${who}, cuenta del titular`, at),
		debtorBic: checkBic(d.debtorBic, `${who}, BIC del titular`, at),
		remittanceInfo: toSepaText(d.remittanceInfo ?? '', 140),
		scheme: s
	};
}

/**
 * One debit as `buildPain008` checks it (the number in messages is `at + 1`): the debit with its
 * identifiers trimmed, IBAN and BIC normalised and texts reduced to the SEPA set, or SepaError.
 */
export const checkSepaDebit = (d: SepaDebit, at: number, scheme: SepaScheme) =>
	checkDebit(d, at, scheme);

// ---------------------------------------------------------------------------------------------
// XML

const agent = (bic: string | undefined) =>
	bic
		? `<FinInstnId><BIC>${bic}</BIC></FinInstnId>`
		: '<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>';

function transaction(d: CheckedDebit): string {
	return (
		'<DrctDbtTxInf>' +
		`<PmtId><EndToEndId>${xml(d.endToEndId)}</EndToEndId></PmtId>` +
		`<InstdAmt Ccy="EUR">${sepaAmount(d.amountCents)}</InstdAmt>` +
		'<DrctDbtTx><MndtRltdInf>' +
		`<MndtId>${xml(d.mandateReference)}</MndtId><DtOfSgntr>${d.mandateSignedOn}</DtOfSgntr>` +
		'<AmdmntInd>false</AmdmntInd>' +
		'</MndtRltdInf></DrctDbtTx>' +
		`<DbtrAgt>${agent(d.debtorBic)}</DbtrAgt>` +
		`<Dbtr><Nm>${xml(d.debtorName)}</Nm></Dbtr>` +
		`<DbtrAcct><Id><IBAN>${d.debtorIban}</IBAN></Id></DbtrAcct>` +
		(d.remittanceInfo ? `<RmtInf><Ustrd>${xml(d.remittanceInfo)}</Ustrd></RmtInf>` : '') +
		'</DrctDbtTxInf>'
	);
}

/** One payment information block: the debits that share sequence type, date and scheme. */
export type SepaBatch = {
	id: string;
	scheme: SepaScheme;
	sequenceType: SequenceType;
	collectionDate: string;
	count: number;
	totalCents: number;
};

/**
 * The pain.008.001.02 document for a remittance, and its batches. Throws SepaError (with the
 * debit at fault) when a bank would refuse the file; nothing is dropped silently.
 * Debits are grouped into one PmtInf per (sequence type, collection date, scheme), in the order
 * each group first appears; NbOfTxs and CtrlSum are counted in whole cents.
 */
export function buildPain008(r: SepaRemittance): { xml: string; batches: SepaBatch[] } {
	const messageId = checkId(r.messageId, 'El identificador de la remesa');
	const createdAt = new Date(r.createdAt);
	if (Number.isNaN(createdAt.getTime())) {
		throw new SepaError('La fecha de creación de la remesa no es válida');
	}
	if (r.scheme !== 'CORE' && r.scheme !== 'B2B') {
		throw new SepaError('Esquema no válido (CORE o B2B)');
	}
	const creditorName = checkName(r.creditor.name, 'El acreedor');
	const creditorIban = checkIban(r.creditor.iban, 'La cuenta del acreedor');
	const creditorBic = checkBic(r.creditor.bic, 'El BIC del acreedor');
	const cid = validateCreditorIdentifier(r.creditor.creditorId);
	if (!cid.ok) throw new SepaError(cid.message);
	if (!r.debits.length) throw new SepaError('La remesa no tiene ningún adeudo');

	const groups = new Map<string, { batch: SepaBatch; debits: CheckedDebit[] }>();
	const seen = new Set<string>();
	r.debits.forEach((raw, i) => {
		const d = checkDebit(raw, i, r.scheme);
		if (seen.has(d.endToEndId)) {
			throw new SepaError(`El adeudo ${i + 1}: la referencia ${d.endToEndId} está repetida`, i);
		}
		seen.add(d.endToEndId);
		const key = `${d.sequenceType}|${d.collectionDate}|${d.scheme}`;
		let g = groups.get(key);
		if (!g) {
			const id = `${messageId.slice(0, 26)}-${String(groups.size + 1).padStart(3, '0')}`;
			g = {
				batch: {
					id,
					scheme: d.scheme,
					sequenceType: d.sequenceType,
					collectionDate: d.collectionDate,
					count: 0,
					totalCents: 0
				},
				debits: []
			};
			groups.set(key, g);
		}
		g.batch.count++;
		g.batch.totalCents += d.amountCents;
		g.debits.push(d);
	});

	const batches = [...groups.values()].map((g) => g.batch);
	const total = batches.reduce((s, b) => s + b.totalCents, 0);
	const creditorIdXml =
		`<Id><PrvtId><Othr><Id>${cid.value}</Id>` +
		'<SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id>';
	const parts: string[] = [
		'<?xml version="1.0" encoding="UTF-8"?>\n',
		'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02" ',
		'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
		'<CstmrDrctDbtInitn><GrpHdr>',
		`<MsgId>${xml(messageId)}</MsgId>`,
		`<CreDtTm>${createdAt.toISOString().slice(0, 19)}</CreDtTm>`,
		`<NbOfTxs>${r.debits.length}</NbOfTxs><CtrlSum>${sepaAmount(total)}</CtrlSum>`,
		// Spanish banks identify the presenter by the creditor identifier (AEB guide).
		`<InitgPty><Nm>${xml(creditorName)}</Nm>`,
		`<Id><OrgId><Othr><Id>${cid.value}</Id></Othr></OrgId></Id></InitgPty>`,
		'</GrpHdr>'
	];
	for (const { batch: b, debits } of groups.values()) {
		parts.push(
			'\n<PmtInf>',
			`<PmtInfId>${xml(b.id)}</PmtInfId><PmtMtd>DD</PmtMtd><BtchBookg>true</BtchBookg>`,
			`<NbOfTxs>${b.count}</NbOfTxs><CtrlSum>${sepaAmount(b.totalCents)}</CtrlSum>`,
			'<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl>',
			`<LclInstrm><Cd>${b.scheme}</Cd></LclInstrm><SeqTp>${b.sequenceType}</SeqTp></PmtTpInf>`,
			`<ReqdColltnDt>${b.collectionDate}</ReqdColltnDt>`,
			`<Cdtr><Nm>${xml(creditorName)}</Nm></Cdtr>`,
			`<CdtrAcct><Id><IBAN>${creditorIban}</IBAN></Id></CdtrAcct>`,
			`<CdtrAgt>${agent(creditorBic)}</CdtrAgt>`,
			'<ChrgBr>SLEV</ChrgBr>',
			`<CdtrSchmeId>${creditorIdXml}</CdtrSchmeId>`
		);
		for (const d of debits) parts.push('\n', transaction(d));
		parts.push('\n</PmtInf>');
	}
	parts.push('\n</CstmrDrctDbtInitn></Document>\n');
	return { xml: parts.join(''), batches };
}
