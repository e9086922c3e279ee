import type { Document, VerifactuRecord } from '../schemas/billing';
import { sha256Hex } from './sha256';

/**
 * VeriFactu (RD 1007/2023): the fingerprint ("huella") of each invoice record, chained per issuer
 * NIF, and the check of a stored chain. Pure; the server builds records with it when an invoice
 * is issued or cancelled (mutators/document.ts), the chain check and the XML read them back.
 */

export type AltaFields = {
	IDEmisorFactura: string;
	NumSerieFactura: string;
	FechaExpedicionFactura: string;
	TipoFactura: string;
	CuotaTotal: string;
	ImporteTotal: string;
	Huella: string;
	FechaHoraHusoGenRegistro: string;
};

export type AnulacionFields = {
	IDEmisorFacturaAnulada: string;
	NumSerieFacturaAnulada: string;
	FechaExpedicionFacturaAnulada: string;
	Huella: string;
	FechaHoraHusoGenRegistro: string;
};

const ALTA_ORDER: (keyof AltaFields)[] = [
	'IDEmisorFactura',
	'NumSerieFactura',
	'FechaExpedicionFactura',
	'TipoFactura',
	'CuotaTotal',
	'ImporteTotal',
	'Huella',
	'FechaHoraHusoGenRegistro'
];
const ANULACION_ORDER: (keyof AnulacionFields)[] = [
	'IDEmisorFacturaAnulada',
	'NumSerieFacturaAnulada',
	'FechaExpedicionFacturaAnulada',
	'Huella',
	'FechaHoraHusoGenRegistro'
];

/** `name=value&…` in the given order, values trimmed, an empty value still `name=`. */
const joinFields = <T extends Record<string, string>>(f: T, order: (keyof T)[]) =>
	order.map((k) => `${String(k)}=${(f[k] ?? '').trim()}`).join('&');

export const altaFingerprintText = (f: AltaFields) => joinFields(f, ALTA_ORDER);
export const anulacionFingerprintText = (f: AnulacionFields) => joinFields(f, ANULACION_ORDER);
export const huellaAlta = (f: AltaFields) => sha256Hex(altaFingerprintText(f));
export const huellaAnulacion = (f: AnulacionFields) => sha256Hex(anulacionFingerprintText(f));

/** Cents as AEAT writes amounts: 1235 → `12.35`, −500 → `-5.00`. */
export function aeatAmount(cents: number): string {
	const abs = Math.abs(cents);
	return `${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** YYYY-MM-DD → dd-mm-yyyy. */
export const aeatDate = (day: string) =>
	`${day.slice(8, 10)}-${day.slice(5, 7)}-${day.slice(0, 4)}`;

/** The huella a stored record should have, from its own fields. */
export function recordHuella(r: VerifactuRecord): string {
	if (r.kind === 'alta') {
		return huellaAlta({
			IDEmisorFactura: r.issuerNif,
			NumSerieFactura: r.numSerie,
			FechaExpedicionFactura: r.fecha,
			TipoFactura: r.tipoFactura ?? '',
			CuotaTotal: r.cuotaTotal ?? '',
			ImporteTotal: r.importeTotal ?? '',
			Huella: r.previousHuella,
			FechaHoraHusoGenRegistro: r.generatedAt
		});
	}
	return huellaAnulacion({
		IDEmisorFacturaAnulada: r.issuerNif,
		NumSerieFacturaAnulada: r.numSerie,
		FechaExpedicionFacturaAnulada: r.fecha,
		Huella: r.previousHuella,
		FechaHoraHusoGenRegistro: r.generatedAt
	});
}

export type ChainProblem = {
	id: string;
	position: number;
	numSerie: string;
	documentId: string;
	reason: string;
};
export type ChainCheck = { ok: boolean; count: number; firstBad?: ChainProblem };

/**
 * "Comprobar cadena": walks one issuer's records in chain order and names the first that does not
 * hold — a position missing, a huella that no longer matches its fields, a link to a previous
 * record that is not the one before, or an issued invoice whose number, date or totals differ
 * from what its record says (the invoice was altered after it was issued).
 */
export function checkChain(
	records: readonly VerifactuRecord[],
	documents: ReadonlyMap<string, Document> = new Map()
): ChainCheck {
	const sorted = [...records].sort((a, b) => a.position - b.position);
	let prev: VerifactuRecord | undefined;
	for (const [i, r] of sorted.entries()) {
		const bad = (reason: string): ChainCheck => ({
			ok: false,
			count: sorted.length,
			firstBad: {
				id: r.id,
				position: r.position,
				numSerie: r.numSerie,
				documentId: r.documentId,
				reason
			}
		});
		if (r.position !== i + 1) return bad(`Falta el registro ${i + 1} de la cadena`);
		if (recordHuella(r) !== r.huella)
			return bad('La huella no corresponde a los datos del registro');
		const expectedPrev = prev?.huella ?? '';
		if (r.previousHuella !== expectedPrev || (prev && r.previous?.huella !== prev.huella)) {
			return bad('No encadena con el registro anterior');
		}
		if (prev && (r.previous?.numSerie !== prev.numSerie || r.previous?.fecha !== prev.fecha)) {
			return bad('No encadena con el registro anterior');
		}
		const doc = documents.get(r.documentId);
		if (r.kind === 'alta' && doc) {
			const total = doc.totals ? aeatAmount(doc.totals.totalCents) : '';
			const cuota = doc.totals ? aeatAmount(doc.totals.vatCents) : '';
			if (
				doc.number !== r.numSerie ||
				aeatDate(doc.issueDate ?? '') !== r.fecha ||
				total !== r.importeTotal ||
				cuota !== r.cuotaTotal
			) {
				return bad('La factura no coincide con su registro (se modificó después de emitirla)');
			}
		}
		prev = r;
	}
	return { ok: true, count: sorted.length };
}

/** The AEAT's QR check URL of an invoice (exactly these four parameters, URL-encoded). */
export function verifactuQrUrl(
	r: { nif: string; numSerie: string; fecha: string; importe: string },
	test = false
): string {
	const base = test
		? 'https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR'
		: 'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR';
	const q = [
		['nif', r.nif],
		['numserie', r.numSerie],
		['fecha', r.fecha],
		['importe', r.importe]
	]
		.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
		.join('&');
	return `${base}?${q}`;
}
