/**
 * A customer's contract as a PDF (the Contratos tab), made on the device by the same pdf-lib and
 * standard fonts as the documents: the filled template's text on A4 pages and, once signed on the
 * screen, a signature block — the signature image, the signer's name and tax id, the date and
 * time, and the GPS point (or why there is none). Also: photos of the signed paper, one per page.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { fitText, spanishDate, wrapText } from './text';

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 50;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const BODY_SIZE = 10.5;
const LEADING = 14.5;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.4, 0.44);
const RULE = rgb(0.8, 0.82, 0.85);

/** Where the contract was signed: a GPS point, or why there is none. */
export type SignaturePlace = { lat: number; lng: number; accuracyM?: number } | { none: string };

/** Why a signature has no GPS point, as the PDF prints it. */
export const NO_PLACE = {
	unsupported: 'el dispositivo no da la ubicación',
	denied: 'permiso de ubicación denegado',
	noSignal: 'sin señal de GPS al firmar'
} as const;

export type ContractSignature = {
	/** The strokes drawn on the screen, as PNG bytes. */
	png: Uint8Array;
	signerName: string;
	signerTaxId: string;
	/** ISO date-time of the signature. */
	signedAt: string;
	place: SignaturePlace;
};

export type ContractPdfInput = {
	/** The issuing company's name, printed in the header ('' for none). */
	issuer: string;
	title: string;
	/** ISO date of the contract. */
	date: string;
	/** The filled template's text. */
	body: string;
	signature?: ContractSignature | null;
};

/** Date and time as read in Spain (peninsular time), e.g. `03/12/2026 11:05`. */
export function spanishDateTime(iso: string): string {
	const parts = new Intl.DateTimeFormat('es-ES', {
		timeZone: 'Europe/Madrid',
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(new Date(iso));
	const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
	return `${v('day')}/${v('month')}/${v('year')} ${v('hour')}:${v('minute')}`;
}

/** The place line printed under the signature. */
export function placeLine(place: SignaturePlace): string {
	if ('none' in place) return `Ubicación: no disponible (${place.none})`;
	const acc = place.accuracyM !== undefined ? ` (±${Math.round(place.accuracyM)} m)` : '';
	return `Ubicación GPS: ${place.lat.toFixed(6)}, ${place.lng.toFixed(6)}${acc}`;
}

/** The contract's file name: `Contrato <name> (firmado).pdf`, characters unsafe in names dropped. */
export function contractPdfFileName(name: string, signed: boolean): string {
	const safe = [...name]
		.map((ch) => (ch < ' ' || '\\/:*?"<>|'.includes(ch) ? ' ' : ch))
		.join('')
		.replace(/\s+/g, ' ')
		.trim();
	return `Contrato ${safe || 'sin nombre'}${signed ? ' (firmado)' : ''}.pdf`;
}

type Cursor = { page: PDFPage; y: number };

export async function renderContractPdf(
	input: ContractPdfInput,
	options: { createdAt?: Date } = {}
): Promise<Uint8Array> {
	const pdf = await PDFDocument.create();
	const font = await pdf.embedFont(StandardFonts.Helvetica);
	const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
	const created = options.createdAt ?? new Date();
	pdf.setTitle(fitText(font, input.title));
	if (input.issuer) pdf.setAuthor(fitText(font, input.issuer));
	pdf.setLanguage('es-ES');
	pdf.setCreator('Enlace');
	pdf.setProducer('Enlace');
	pdf.setCreationDate(created);
	pdf.setModificationDate(created);

	const newPage = (): Cursor => ({ page: pdf.addPage([PAGE_W, PAGE_H]), y: PAGE_H - MARGIN });
	let c = newPage();
	const ensure = (h: number) => {
		if (c.y - h < MARGIN + 20) c = newPage();
	};
	const line = (text: string, f: PDFFont, size: number, color = INK) => {
		ensure(size + 4);
		c.page.drawText(text, { x: MARGIN, y: c.y - size, size, font: f, color });
		c.y -= size + 4;
	};

	if (input.issuer) line(fitText(font, input.issuer), font, 9, MUTED);
	c.y -= 6;
	for (const l of wrapText(bold, fitText(bold, input.title), 16, CONTENT_W)) line(l, bold, 16);
	line(`Fecha: ${spanishDate(input.date)}`, font, 10, MUTED);
	c.y -= 10;
	for (const l of wrapText(font, fitText(font, input.body), BODY_SIZE, CONTENT_W)) {
		ensure(LEADING);
		if (l) c.page.drawText(l, { x: MARGIN, y: c.y - BODY_SIZE, size: BODY_SIZE, font, color: INK });
		c.y -= LEADING;
	}

	const s = input.signature;
	if (s) {
		const image = await pdf.embedPng(s.png);
		const w = Math.min(220, image.width);
		const h = (image.height / image.width) * w;
		ensure(h + 110);
		c.y -= 16;
		c.page.drawLine({
			start: { x: MARGIN, y: c.y },
			end: { x: PAGE_W - MARGIN, y: c.y },
			thickness: 0.6,
			color: RULE
		});
		c.y -= 8;
		line('Firma del cliente', bold, 11);
		c.page.drawImage(image, { x: MARGIN, y: c.y - h, width: w, height: h });
		c.y -= h + 6;
		line(`Firmante: ${fitText(font, s.signerName)}`, font, 10);
		line(`NIF: ${fitText(font, s.signerTaxId)}`, font, 10);
		line(`Fecha y hora: ${spanishDateTime(s.signedAt)} (${s.signedAt})`, font, 10);
		line(fitText(font, placeLine(s.place)), font, 10);
	}

	const pages = pdf.getPages();
	pages.forEach((p, i) => {
		const footer = `${fitText(font, input.title)} · Página ${i + 1} de ${pages.length}`;
		p.drawText(footer, { x: MARGIN, y: MARGIN - 20, size: 8, font, color: MUTED });
	});
	return pdf.save();
}

export type PagePhoto = { bytes: Uint8Array; type: string };

/**
 * Photos of the signed paper as one PDF, a page per photo in order, each page the photo's own
 * proportions fitted to A4 (portrait or landscape as the photo). JPEG and PNG only.
 */
export async function photosToPdf(
	photos: readonly PagePhoto[],
	options: { title?: string; createdAt?: Date } = {}
): Promise<Uint8Array> {
	if (!photos.length) throw new Error('Ninguna foto');
	const pdf = await PDFDocument.create();
	const created = options.createdAt ?? new Date();
	if (options.title) pdf.setTitle(options.title);
	pdf.setCreator('Enlace');
	pdf.setProducer('Enlace');
	pdf.setCreationDate(created);
	pdf.setModificationDate(created);
	for (const photo of photos) {
		const image =
			photo.type === 'image/png'
				? await pdf.embedPng(photo.bytes)
				: await pdf.embedJpg(photo.bytes);
		const landscape = image.width > image.height;
		const [pw, ph] = landscape ? [PAGE_H, PAGE_W] : [PAGE_W, PAGE_H];
		const scale = Math.min((pw - 2 * 20) / image.width, (ph - 2 * 20) / image.height);
		const w = image.width * scale;
		const h = image.height * scale;
		const page = pdf.addPage([pw, ph]);
		page.drawImage(image, { x: (pw - w) / 2, y: (ph - h) / 2, width: w, height: h });
	}
	return pdf.save();
}
