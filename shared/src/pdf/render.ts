/**
 * A document's PDF (A4, Spanish), the same bytes in the browser and in Node: pdf-lib with the
 * standard Helvetica fonts (nothing to load, nothing fetched) and a QR drawn as one vector path.
 * Layout: issuer and logo, the VeriFactu QR (top right, 35 mm), title/number/dates beside the
 * customer, the lines table (breaks across pages, its header repeated), the VAT breakdown and
 * totals, payment, notes; every page has "Página i de N"; a draft carries a BORRADOR watermark.
 */
import {
	PDFDocument,
	StandardFonts,
	degrees,
	rgb,
	type PDFFont,
	type PDFImage,
	type PDFPage
} from 'pdf-lib';
import qrcode from 'qrcode-generator';
import { formatIban, maskIban } from '../domain/iban';
import { formatDecimal, formatEuros, formatPercent } from '../domain/money';
import type {
	DocumentPdfInput,
	DocumentPdfOptions,
	PdfDocumentKind,
	PdfLine,
	PdfVatRow
} from './input';
import { fitText, spanishDate, wrapText } from './text';

const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN = 40;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const FOOTER_H = 28;
const BOTTOM = MARGIN + FOOTER_H;
const MM = 72 / 25.4;
/** The QR's printed side: 35 mm, inside the 30–40 mm the AEAT asks for. */
export const QR_SIDE_MM = 35;

const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.4, 0.44);
const RULE = rgb(0.8, 0.82, 0.85);
const HEADER_FILL = rgb(0.93, 0.94, 0.96);
const DRAFT_RED = rgb(0.8, 0.15, 0.15);

const TITLES: Record<PdfDocumentKind, string> = {
	quote: 'Presupuesto',
	delivery_note: 'Albarán',
	F1: 'Factura',
	F2: 'Factura simplificada',
	R1: 'Factura rectificativa',
	R2: 'Factura rectificativa',
	R3: 'Factura rectificativa',
	R4: 'Factura rectificativa',
	R5: 'Factura rectificativa simplificada'
};

export const PENDING_NUMBER = 'Pendiente de numerar';
export const DRAFT_WATERMARK = 'BORRADOR';

/** The document's title as printed ("Factura", "Albarán", …). */
export const documentTitle = (kind: PdfDocumentKind) => TITLES[kind];

/** A file name for the PDF: `Factura F2026-000123.pdf`, `Borrador factura.pdf`. */
export function documentPdfFileName(input: Pick<DocumentPdfInput, 'document' | 'sheet'>): string {
	const { kind, number } = input.document;
	const name = input.sheet
		? input.sheet.title
		: number
			? `${TITLES[kind]} ${number}`
			: `Borrador ${TITLES[kind].charAt(0).toLowerCase()}${TITLES[kind].slice(1)}`;
	return `${name.replace(/[\\/:*?"<>|]+/g, '-')}.pdf`;
}

type Align = 'left' | 'right' | 'center';
type TextStyle = { font?: PDFFont; size?: number; color?: ReturnType<typeof rgb>; align?: Align };

/** One table column: header, width in points, alignment and the cell text of a line. */
type Column = { header: string; width: number; align: Align; cell: (l: PdfLine) => string };

const COLUMNS: Column[] = [
	{ header: 'Descripción', width: 231, align: 'left', cell: (l) => l.description },
	{ header: 'Cant.', width: 44, align: 'right', cell: (l) => formatDecimal(l.quantity, 3) },
	{ header: 'Precio', width: 64, align: 'right', cell: (l) => formatEuros(l.unitPriceCents) },
	{
		header: 'Dto.',
		width: 40,
		align: 'right',
		cell: (l) => (l.discountPercent ? formatPercent(l.discountPercent) : '')
	},
	{ header: 'IVA', width: 50, align: 'right', cell: (l) => vatLabel(l) },
	{
		header: 'Importe',
		width: CONTENT_W - 429,
		align: 'right',
		cell: (l) => formatEuros(l.baseCents)
	}
];

const vatLabel = (v: { vatRate: number; exemptReason?: string | null }) =>
	v.exemptReason ? 'Exento' : formatPercent(v.vatRate);

const vatRowLabel = (v: PdfVatRow) =>
	v.exemptReason ? `Exento: ${v.exemptReason}` : `IVA ${formatPercent(v.vatRate)}`;

class Writer {
	readonly pages: PDFPage[] = [];
	page!: PDFPage;
	y = 0;
	constructor(
		readonly doc: PDFDocument,
		readonly regular: PDFFont,
		readonly bold: PDFFont,
		readonly draft: boolean,
		/** Drawn at the top of every page after the first (a short reminder and the table header). */
		readonly continuation: (w: Writer) => void
	) {}

	addPage() {
		this.page = this.doc.addPage([PAGE_W, PAGE_H]);
		this.pages.push(this.page);
		this.y = PAGE_H - MARGIN;
		if (this.draft) this.watermark();
		if (this.pages.length > 1) this.continuation(this);
	}

	/** Room for `height` more points on this page, or a new page. */
	ensure(height: number) {
		if (this.y - height < BOTTOM) this.addPage();
	}

	text(s: string, x: number, y: number, width: number, style: TextStyle = {}) {
		const font = style.font ?? this.regular;
		const size = style.size ?? 9;
		const t = fitText(font, s);
		const w = font.widthOfTextAtSize(t, size);
		const dx = style.align === 'right' ? width - w : style.align === 'center' ? (width - w) / 2 : 0;
		this.page.drawText(t, { x: x + dx, y, size, font, color: style.color ?? INK });
	}

	/** Wrapped text from the current y down, one line at a time (pages break between lines). */
	paragraph(s: string, x: number, width: number, style: TextStyle = {}) {
		const font = style.font ?? this.regular;
		const size = style.size ?? 9;
		for (const line of wrapText(font, fitText(font, s), size, width)) {
			this.ensure(size * 1.3);
			this.y -= size * 1.3;
			this.text(line, x, this.y + size * 0.3, width, style);
		}
	}

	/** Lines of text in a column starting at `top`; returns the y below them. */
	block(lines: [string, TextStyle?][], x: number, top: number, width: number) {
		let y = top;
		for (const [s, style = {}] of lines) {
			const font = style.font ?? this.regular;
			const size = style.size ?? 9;
			for (const line of wrapText(font, fitText(font, s), size, width)) {
				y -= size * 1.3;
				this.text(line, x, y + size * 0.3, width, style);
			}
		}
		return y;
	}

	rule(y: number, x = MARGIN, width = CONTENT_W) {
		this.page.drawLine({
			start: { x, y },
			end: { x: x + width, y },
			thickness: 0.6,
			color: RULE
		});
	}

	watermark() {
		const size = 96;
		const w = this.bold.widthOfTextAtSize(DRAFT_WATERMARK, size);
		const h = size * 0.72; // cap height
		const angle = 54; // about the page's diagonal
		const rad = (angle * Math.PI) / 180;
		// The rotated word's centre on the page's centre.
		const x = PAGE_W / 2 - (Math.cos(rad) * w) / 2 + (Math.sin(rad) * h) / 2;
		const y = PAGE_H / 2 - (Math.sin(rad) * w) / 2 - (Math.cos(rad) * h) / 2;
		this.page.drawText(DRAFT_WATERMARK, {
			x,
			y,
			size,
			font: this.bold,
			color: DRAFT_RED,
			opacity: 0.13,
			rotate: degrees(angle)
		});
	}
}

/** The QR of `url` (error correction M) as one path of dark modules, `side` points wide. */
function drawQr(page: PDFPage, url: string, x: number, top: number, side: number) {
	const qr = qrcode(0, 'M');
	qr.addData(url, 'Byte');
	qr.make();
	const n = qr.getModuleCount();
	let path = '';
	for (let r = 0; r < n; r++) {
		for (let c = 0; c < n; c++) {
			if (!qr.isDark(r, c)) continue;
			let run = 1;
			while (c + run < n && qr.isDark(r, c + run)) run++;
			path += `M${c} ${r}h${run}v1h${-run}z`;
			c += run - 1;
		}
	}
	page.drawSvgPath(path, { x, y: top, scale: side / n, color: rgb(0, 0, 0), borderWidth: 0 });
}

async function embedLogo(doc: PDFDocument, logo: Uint8Array | string): Promise<PDFImage> {
	if (typeof logo === 'string') {
		if (/^data:image\/png[;,]/i.test(logo)) return doc.embedPng(logo);
		if (/^data:image\/jpe?g[;,]/i.test(logo)) return doc.embedJpg(logo);
	} else {
		if (logo[0] === 0x89 && logo[1] === 0x50 && logo[2] === 0x4e && logo[3] === 0x47)
			return doc.embedPng(logo);
		if (logo[0] === 0xff && logo[1] === 0xd8) return doc.embedJpg(logo);
	}
	throw new Error('El logotipo debe ser una imagen PNG o JPEG');
}

/** The document's PDF as bytes. */
export async function renderDocumentPdf(
	input: DocumentPdfInput,
	options: DocumentPdfOptions = {}
): Promise<Uint8Array> {
	const { issuer, customer, document: d, totals } = input;
	const sheet = input.sheet ?? null;
	const draft = !sheet && d.number === null;
	const title = sheet?.title ?? TITLES[d.kind];
	const isInvoice = !sheet && d.kind !== 'quote' && d.kind !== 'delivery_note';
	const heading = sheet ? title : draft ? `${title} (borrador)` : `${title} ${d.number}`;

	const doc = await PDFDocument.create();
	const regular = await doc.embedFont(StandardFonts.Helvetica);
	const bold = await doc.embedFont(StandardFonts.HelveticaBold);
	const created = options.createdAt ?? new Date();
	doc.setTitle(heading);
	doc.setAuthor(issuer.legalName);
	doc.setSubject(`${title} para ${customer.name}`);
	doc.setCreator('Enlace');
	doc.setProducer('Enlace (pdf-lib)');
	doc.setLanguage('es-ES');
	doc.setCreationDate(created);
	doc.setModificationDate(created);

	const numberText = d.number ?? PENDING_NUMBER;
	const tableHeader = (w: Writer) => {
		const h = 16;
		w.ensure(h + 20);
		w.page.drawRectangle({
			x: MARGIN,
			y: w.y - h,
			width: CONTENT_W,
			height: h,
			color: HEADER_FILL
		});
		let x = MARGIN;
		for (const col of COLUMNS) {
			w.text(col.header, x + 4, w.y - 11, col.width - 8, {
				font: bold,
				size: 8.5,
				align: col.align
			});
			x += col.width;
		}
		w.y -= h;
	};
	let inTable = false;
	const w = new Writer(doc, regular, bold, draft, (w) => {
		w.text(`${heading} · ${issuer.legalName}`, MARGIN, w.y - 9, CONTENT_W, {
			size: 8.5,
			color: MUTED
		});
		w.y -= 20;
		if (inTable) tableHeader(w);
	});
	w.addPage();

	// Header: logo and issuer on the left, the VeriFactu QR on the right.
	const top = w.y;
	let left = top;
	if (issuer.logo) {
		const image = await embedLogo(doc, issuer.logo);
		const scale = Math.min(150 / image.width, 50 / image.height, 1);
		const lw = image.width * scale;
		const lh = image.height * scale;
		w.page.drawImage(image, { x: MARGIN, y: top - lh, width: lw, height: lh });
		left = top - lh - 6;
	}
	const qr = isInvoice && !draft ? input.verifactu : null;
	const qrSide = QR_SIDE_MM * MM;
	const issuerWidth = qr ? CONTENT_W - qrSide - 30 : CONTENT_W / 2;
	left = w.block(
		[
			[issuer.legalName, { font: bold, size: 12 }],
			[`NIF: ${issuer.taxId}`],
			...issuer.address.map((a): [string] => [a]),
			...(issuer.phone ? [[`Tel.: ${issuer.phone}`] as [string]] : []),
			...(issuer.email ? [[issuer.email] as [string]] : [])
		],
		MARGIN,
		left,
		issuerWidth
	);
	let right = top;
	if (qr) {
		const x = PAGE_W - MARGIN - qrSide;
		w.text('QR tributario:', x, top - 8, qrSide, { size: 8, align: 'center' });
		drawQr(w.page, qr.qrUrl, x, top - 12, qrSide);
		right = top - 12 - qrSide;
		if (qr.sent) {
			w.text('VERI*FACTU', x, right - 11, qrSide, { font: bold, size: 8, align: 'center' });
			right -= 14;
		}
	}
	w.y = Math.min(left, right) - 16;

	// Title, number and dates on the left; the customer on the right.
	const bandTop = w.y;
	const half = CONTENT_W / 2 - 10;
	const dueLabel = d.kind === 'quote' ? 'Válido hasta' : 'Vencimiento';
	const titleBottom = w.block(
		sheet
			? [[title.toUpperCase(), { font: bold, size: 16 }], ...sheet.facts.map((f): [string] => [f])]
			: [
					[title.toUpperCase(), { font: bold, size: 16 }],
					...(draft
						? [[DRAFT_WATERMARK, { font: bold, size: 10, color: DRAFT_RED }] as [string, TextStyle]]
						: []),
					[`Número: ${numberText}`, { font: bold, size: 10 }],
					[`Serie: ${d.series}`],
					[`Fecha: ${d.issueDate ? spanishDate(d.issueDate) : 'Pendiente'}`],
					...(d.dueDate ? [[`${dueLabel}: ${spanishDate(d.dueDate)}`] as [string]] : [])
				],
		MARGIN,
		bandTop,
		half
	);
	const boxX = MARGIN + CONTENT_W / 2 + 10;
	const customerBottom = w.block(
		[
			['Cliente', { font: bold, size: 8, color: MUTED }],
			[
				customer.code ? `${customer.name} (${customer.code})` : customer.name,
				{ font: bold, size: 10 }
			],
			...(customer.taxId ? [[`NIF: ${customer.taxId}`] as [string]] : []),
			...customer.address.map((a): [string] => [a])
		],
		boxX + 8,
		bandTop - 6,
		half - 16
	);
	w.page.drawRectangle({
		x: boxX,
		y: customerBottom - 8,
		width: half,
		height: bandTop - customerBottom + 8,
		borderColor: RULE,
		borderWidth: 0.8
	});
	w.y = Math.min(titleBottom, customerBottom - 8) - 14;

	if (d.rectifies) {
		const r = d.rectifies;
		w.paragraph(
			`Rectifica la factura ${r.number} de ${spanishDate(r.issueDate)}.` +
				(r.reason ? ` Motivo: ${r.reason}` : ''),
			MARGIN,
			CONTENT_W,
			{ size: 9.5 }
		);
		w.y -= 8;
	}

	// The lines.
	tableHeader(w);
	inTable = true;
	const lineH = 8.5 * 1.3;
	for (const line of input.lines) {
		const desc = wrapText(regular, fitText(regular, line.description), 8.5, COLUMNS[0].width - 8);
		const rows = Math.max(desc.length, 1);
		const height = rows * lineH + 6;
		// A row stays whole unless it would not fit on an empty page either.
		if (height <= PAGE_H - MARGIN - BOTTOM - 60) w.ensure(height);
		for (let i = 0; i < rows; i++) {
			w.ensure(lineH + 6);
			const y = w.y - 3 - lineH + 2.5;
			w.text(desc[i] ?? '', MARGIN + 4, y, COLUMNS[0].width - 8, { size: 8.5 });
			if (i === 0) {
				let x = MARGIN + COLUMNS[0].width;
				for (const col of COLUMNS.slice(1)) {
					w.text(col.cell(line), x + 4, y, col.width - 8, { size: 8.5, align: col.align });
					x += col.width;
				}
			}
			w.y -= lineH;
		}
		w.y -= 6;
		w.rule(w.y + 1.5);
	}
	inTable = false;

	// VAT breakdown on the left, totals on the right; kept together on one page.
	const rowH = 13;
	const vatRows = totals.byRate;
	w.ensure(Math.max(vatRows.length + 1, 3) * rowH + 40);
	w.y -= 14;
	const breakdownTop = w.y;
	const bw = [130, 60, 70];
	const bx = [MARGIN, MARGIN + bw[0], MARGIN + bw[0] + bw[1]];
	w.page.drawRectangle({
		x: MARGIN,
		y: breakdownTop - rowH - 2,
		width: bw[0] + bw[1] + bw[2],
		height: rowH + 2,
		color: HEADER_FILL
	});
	['Base imponible', 'Tipo', 'Cuota'].forEach((h, i) =>
		w.text(h, bx[i] + 4, breakdownTop - 10, bw[i] - 8, {
			font: bold,
			size: 8.5,
			align: 'right'
		})
	);
	let by = breakdownTop - rowH - 2;
	for (const v of vatRows) {
		by -= rowH;
		w.text(formatEuros(v.baseCents), bx[0] + 4, by + 3, bw[0] - 8, { size: 8.5, align: 'right' });
		w.text(v.exemptReason ? 'Exento' : formatPercent(v.vatRate), bx[1] + 4, by + 3, bw[1] - 8, {
			size: 8.5,
			align: 'right'
		});
		w.text(formatEuros(v.quotaCents), bx[2] + 4, by + 3, bw[2] - 8, { size: 8.5, align: 'right' });
	}
	const exemptions = vatRows.filter((v) => v.exemptReason);
	for (const v of exemptions) {
		by -= rowH;
		w.text(vatRowLabel(v), bx[0] + 4, by + 3, CONTENT_W / 2, { size: 8, color: MUTED });
	}

	const tx = MARGIN + CONTENT_W - 200;
	let ty = breakdownTop;
	const totalRow = (label: string, value: string, big = false) => {
		const size = big ? 12 : 9;
		ty -= big ? 20 : rowH;
		const style = { font: big ? bold : regular, size };
		w.text(label, tx, ty + 3, 110, style);
		w.text(value, tx + 110, ty + 3, 90, { ...style, align: 'right' });
	};
	totalRow('Base imponible', formatEuros(totals.baseCents));
	totalRow('IVA', formatEuros(totals.quotaCents));
	w.rule(ty - 4, tx, 200);
	totalRow('TOTAL', formatEuros(totals.totalCents), true);
	w.y = Math.min(by, ty) - 18;

	// Payment and notes.
	if (input.payment) {
		const p = input.payment;
		w.ensure(40);
		w.paragraph('Forma de pago', MARGIN, CONTENT_W, { font: bold, size: 9.5 });
		w.paragraph(p.method, MARGIN, CONTENT_W);
		if (p.iban)
			w.paragraph(
				`IBAN: ${options.maskIban ? maskIban(p.iban) : formatIban(p.iban)}`,
				MARGIN,
				CONTENT_W
			);
		w.y -= 10;
	}
	if (input.notes?.trim()) {
		w.ensure(40);
		w.paragraph('Observaciones', MARGIN, CONTENT_W, { font: bold, size: 9.5 });
		w.paragraph(input.notes.trim(), MARGIN, CONTENT_W);
	}

	// Footer on every page, now that the count is known.
	const count = w.pages.length;
	w.pages.forEach((page, i) => {
		w.page = page;
		w.rule(MARGIN + 14);
		w.text(`${issuer.legalName} · NIF ${issuer.taxId}`, MARGIN, MARGIN, CONTENT_W - 100, {
			size: 7.5,
			color: MUTED
		});
		w.text(`Página ${i + 1} de ${count}`, PAGE_W - MARGIN - 100, MARGIN, 100, {
			size: 7.5,
			color: MUTED,
			align: 'right'
		});
	});

	return doc.save();
}
