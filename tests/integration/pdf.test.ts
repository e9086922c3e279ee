// Documents as PDF, generated in Node by the shared code and read back with poppler (text, pages,
// images, pixels) and a QR decoder, as a customer's PDF reader and phone would.
import { describe, expect, it } from 'vitest';
import { PDFDocument, PDFName } from 'pdf-lib';
import { PNG } from 'pngjs';
import {
	renderDocumentPdf,
	verifactuQrUrl,
	type DocumentPdfInput
} from '../../shared/src/pdf/index';
import { sampleInvoice } from '../../shared/src/pdf/fixtures';
import { documentPdfInput } from '../../shared/src/pdf/from-document';
import { documentTotals } from '../../shared/src/domain/document-totals';
import { issuerOf, partyAddress } from '../../shared/src/mutators/document';
import {
	DEFAULT_SERIES,
	type CompanyProfile,
	type Document
} from '../../shared/src/schemas/billing';
import {
	decodeQr,
	pdfImageCount,
	pdfPageCount,
	pdfText,
	redPixels,
	renderPage
} from '../support/pdf';

const CREATED = new Date('2026-12-03T10:00:00Z');
const render = (input: DocumentPdfInput, maskIban = false) =>
	renderDocumentPdf(input, { createdAt: CREATED, maskIban });
const squash = (s: string) => s.replace(/\s+/g, ' ');

describe('an issued invoice (F1, 20 lines, VeriFactu)', async () => {
	const input = sampleInvoice(20);
	const bytes = await render(input);
	const text = pdfText(bytes);
	const flat = squash(text);

	it('prints the issuer, the customer, the title, number and dates in Spanish', () => {
		for (const s of [
			'Telecomunicaciones Peñíscola, S.L.',
			'NIF: B12345674',
			'Avda. de la Constitución, 14, 2º B',
			'facturación@peniscola-net.es',
			'FACTURA',
			'Número: F2026-000123',
			'Serie: F',
			'Fecha: 03/12/2026',
			'Vencimiento: 13/12/2026',
			'María José Núñez Ibáñez (C04711)',
			'NIF: 12345678Z',
			'C/ Señoría de Aragón, 3, 1º'
		])
			expect(flat).toContain(s);
		expect(text).not.toContain('BORRADOR');
		expect(text).not.toContain('Pendiente de numerar');
	});

	it('prints every line with its figures', () => {
		expect(text.match(/Cuota mensual fibra óptica 600 Mb simétricos \(diciembre\)/g)).toHaveLength(
			4
		);
		expect(text.match(/Servicio de teleasistencia \(exento\)/g)).toHaveLength(4);
		for (const s of ['Descripción', 'Cant.', 'Precio', 'Dto.', 'IVA', 'Importe'])
			expect(text).toContain(s);
		for (const s of ['34,90 €', '17,91 €', '10 %', '12,5', 'Exento']) expect(flat).toContain(s);
	});

	it('prints the VAT breakdown per rate and the totals', () => {
		// 4 × (34,90 + 3,00 + 17,91) at 21 %, 4 × 15,00 at 10 %, 4 × 15,00 exempt.
		for (const s of ['223,24 €', '46,88 €', '21 %', '60,00 €', '6,00 €', 'Exento: E1 art. 20 LIVA'])
			expect(flat).toContain(s);
		expect(flat).toMatch(/Base imponible.*343,24 €/);
		expect(flat).toContain('52,88 €');
		expect(flat).toMatch(/TOTAL.*396,12 €/);
	});

	it('prints the payment with the full IBAN, the notes and "Página i de N" on every page', () => {
		expect(flat).toContain('Forma de pago Domiciliación bancaria');
		expect(flat).toContain('IBAN: ES91 2100 0418 4502 0005 1332');
		expect(flat).toContain('Gracias por confiar en nosotros.');
		const pages = pdfPageCount(bytes);
		for (let p = 1; p <= pages; p++) expect(pdfText(bytes, p)).toContain(`Página ${p} de ${pages}`);
	});

	it('carries a QR of 30–40 mm that decodes to the AEAT URL, "QR tributario:" above and VERI*FACTU below', () => {
		const qr = decodeQr(renderPage(bytes, 1, 200, true), 200);
		expect(qr?.text).toBe(
			'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=F2026-000123&fecha=03-12-2026&importe=396.12'
		);
		expect(qr!.sideMm).toBeGreaterThanOrEqual(30);
		expect(qr!.sideMm).toBeLessThanOrEqual(40);
		const lines = pdfText(bytes, 1)
			.split('\n')
			.map((l) => l.trim())
			.filter(Boolean);
		expect(lines[0]).toBe('QR tributario:');
		expect(lines).toContain('VERI*FACTU');
	});

	it('sets the document title, author and language in its metadata', async () => {
		const loaded = await PDFDocument.load(bytes);
		expect(loaded.getTitle()).toBe('Factura F2026-000123');
		expect(loaded.getAuthor()).toBe('Telecomunicaciones Peñíscola, S.L.');
		expect(String(loaded.catalog.get(PDFName.of('Lang')))).toBe('(es-ES)');
	});
});

describe('QR variants', () => {
	it('an & in the number reaches the phone as %26 and reads back whole; no VERI*FACTU when records are not sent', async () => {
		const input = sampleInvoice(3, { number: 'A&B/2026-7', sent: false });
		const bytes = await render(input);
		const qr = decodeQr(renderPage(bytes, 1, 200, true), 200);
		expect(qr?.text).toContain('numserie=A%26B%2F2026-7&fecha=03-12-2026');
		expect(new URL(qr!.text).searchParams.get('numserie')).toBe('A&B/2026-7');
		const text = pdfText(bytes);
		expect(text).toContain('QR tributario:');
		expect(text).not.toContain('VERI*FACTU');
	});

	it('a quote or a delivery note carries no QR even when given one', async () => {
		const base = sampleInvoice(3);
		for (const kind of ['quote', 'delivery_note'] as const) {
			const bytes = await render({ ...base, document: { ...base.document, kind } });
			const text = pdfText(bytes);
			expect(text).toContain(kind === 'quote' ? 'PRESUPUESTO' : 'ALBARÁN');
			expect(text).not.toContain('QR tributario:');
			expect(decodeQr(renderPage(bytes, 1, 150, true), 150)).toBeNull();
		}
		const quote = await render({ ...base, document: { ...base.document, kind: 'quote' } });
		expect(pdfText(quote)).toContain('Válido hasta: 13/12/2026');
	});
});

describe('a draft', async () => {
	const input = sampleInvoice(5, { number: null });
	const bytes = await render(input);
	const text = pdfText(bytes);

	it('says BORRADOR and "Pendiente de numerar", has no number and no QR', () => {
		expect(text).toContain('BORRADOR');
		expect(text).toContain('Número: Pendiente de numerar');
		expect(text).not.toContain('F2026-000123');
		expect(text).not.toContain('QR tributario:');
		expect(decodeQr(renderPage(bytes, 1, 150, true), 150)).toBeNull();
	});

	it('is watermarked across the page, which an issued one is not', async () => {
		expect(redPixels(renderPage(bytes, 1, 50))).toBeGreaterThan(5000);
		const issued = await render(sampleInvoice(5));
		expect(redPixels(renderPage(issued, 1, 50))).toBe(0);
	});
});

describe('a technician copy', () => {
	it('shows only the last four characters of the IBAN', async () => {
		const bytes = await render(sampleInvoice(3), true);
		const text = squash(pdfText(bytes));
		expect(text).toContain('IBAN: •••• •••• •••• •••• •••• 1332');
		expect(text).not.toContain('ES91');
		expect(text).not.toContain('2100 0418');
		expect(text).not.toContain('0418');
	});
});

describe('a long invoice', () => {
	it('breaks the table across pages, repeats its header and numbers the pages', async () => {
		const input = sampleInvoice(45);
		const bytes = await render(input);
		expect(pdfPageCount(bytes)).toBe(2);
		const first = pdfText(bytes, 1);
		const second = pdfText(bytes, 2);
		expect(first).toContain('Página 1 de 2');
		expect(second).toContain('Página 2 de 2');
		for (const page of [first, second]) {
			expect(page).toContain('Descripción');
			expect(page).toContain('Importe');
		}
		expect(second).toContain('Factura F2026-000123 · Telecomunicaciones Peñíscola, S.L.');
		// Every line printed once, none lost at the break.
		const all = first + second;
		const count = (s: string) => all.split(s).length - 1;
		expect(count('Alquiler de router Wi-Fi 6 con instalación en domicilio')).toBe(9);
		expect(count('Servicio de teleasistencia (exento)')).toBe(9);
		expect(squash(second)).toMatch(/TOTAL/);
	});

	it('continues a description longer than a page on the next one, losing no word', async () => {
		const base = sampleInvoice(1);
		const words = Array.from({ length: 1500 }, (_, i) => `palabra${i}`);
		const bytes = await render({
			...base,
			lines: [{ ...base.lines[0], description: words.join(' ') }]
		});
		expect(pdfPageCount(bytes)).toBeGreaterThanOrEqual(2);
		const text = pdfText(bytes);
		for (const i of [0, 1, 700, 1499]) expect(text).toContain(`palabra${i} `.trim());
		expect(text.match(/palabra\d+/g)).toHaveLength(1500);
	});

	it('prints a document without lines (header, totals) on one page', async () => {
		const base = sampleInvoice(1);
		const bytes = await render({
			...base,
			lines: [],
			totals: { byRate: [], baseCents: 0, quotaCents: 0, totalCents: 0 },
			payment: null,
			notes: null
		});
		const text = squash(pdfText(bytes));
		expect(text).toContain('Página 1 de 1');
		expect(text).toMatch(/TOTAL.*0,00 €/);
		expect(text).not.toMatch(/[1-9],\d\d €/);
		expect(text).not.toContain('Forma de pago');
	});

	it('keeps going past two pages', async () => {
		const bytes = await render(sampleInvoice(130));
		const pages = pdfPageCount(bytes);
		expect(pages).toBeGreaterThanOrEqual(4);
		expect(pdfText(bytes, pages)).toContain(`Página ${pages} de ${pages}`);
	});
});

describe('rectifying invoices, logos and odd text', () => {
	it('an R1 names the invoice it rectifies and why', async () => {
		const base = sampleInvoice(2, { number: 'R2026-000004' });
		const bytes = await render({
			...base,
			document: {
				...base.document,
				kind: 'R1',
				series: 'R',
				rectifies: {
					number: 'F2026-000100',
					issueDate: '2026-11-01',
					reason: 'error en la tarifa aplicada'
				}
			}
		});
		const text = squash(pdfText(bytes));
		expect(text).toContain('FACTURA RECTIFICATIVA');
		expect(text).toContain(
			'Rectifica la factura F2026-000100 de 01/11/2026. Motivo: error en la tarifa aplicada'
		);
	});

	it('embeds a PNG logo given as bytes or as a data URL, and refuses other images in Spanish', async () => {
		const png = new PNG({ width: 40, height: 20 });
		png.data.fill(0x40);
		const logo = new Uint8Array(PNG.sync.write(png));
		const base = sampleInvoice(2);
		for (const l of [logo, `data:image/png;base64,${Buffer.from(logo).toString('base64')}`]) {
			const bytes = await render({ ...base, issuer: { ...base.issuer, logo: l } });
			expect(pdfImageCount(bytes)).toBe(1);
		}
		await expect(
			render({
				...base,
				issuer: { ...base.issuer, logo: new Uint8Array([0x47, 0x49, 0x46, 0x38]) }
			})
		).rejects.toThrow('El logotipo debe ser una imagen PNG o JPEG');
	});

	it('prints text the fonts cannot encode as the nearest they can, without failing', async () => {
		const base = sampleInvoice(1);
		const bytes = await render({
			...base,
			customer: { ...base.customer, name: 'Associació Ŀ’Horta 📶' },
			lines: [{ ...base.lines[0], description: 'Fibra 1 Gb ✓ — instalación' }]
		});
		const text = pdfText(bytes);
		expect(text).toContain('Associació L·’Horta ?');
		expect(text).toContain('Fibra 1 Gb ? — instalación');
	});

	it('uses the URL it is given, built by verifactuQrUrl', () => {
		const input = sampleInvoice(20);
		expect(input.verifactu?.qrUrl).toBe(
			verifactuQrUrl({
				nif: 'B12345674',
				number: 'F2026-000123',
				issueDate: '2026-12-03',
				totalCents: 39612
			})
		);
	});
});

describe('a Documentos row as its PDF (documentPdfInput, the mapping the app and server share)', async () => {
	const company: CompanyProfile = {
		id: 'empresa',
		legalName: 'Enlace Telecom SL',
		tradeName: '',
		nif: 'B12345674',
		street: 'C/ Mayor, 7',
		postalCode: '05200',
		town: 'Arévalo',
		province: 'Ávila',
		phone: '920 000 000',
		email: 'facturas@enlace.test',
		sepaCreditorId: '',
		series: DEFAULT_SERIES,
		verifactu: true
	};
	const lines: Document['lines'] = [
		{ description: 'Fibra 300 Mb (diciembre)', quantity: 1, unitCents: 3990, vatRate: 21 },
		{
			description: 'Instalación',
			quantity: 2,
			unitCents: 2500,
			discountPercent: 10,
			vatRate: 21
		}
	];
	const draft: Document = {
		id: 'd1',
		customerId: 'c1',
		kind: 'factura',
		state: 'borrador',
		date: '2026-12-03',
		lines,
		notes: 'Gracias por confiar en nosotros'
	};
	const customer = {
		name: 'Lucía Estado Prueba',
		code: 'C00042',
		taxId: '12345678Z',
		address: partyAddress({ street: 'Plaza Real, 3', postalCode: '05200', town: 'Arévalo' })
	};
	// As the server leaves it when the issue lands: number, date, parties and totals frozen.
	const issued: Document = {
		...draft,
		state: 'emitida',
		number: 'F2026-0007',
		issueDate: '2026-12-03',
		issuer: issuerOf(company),
		recipient: { name: customer.name, taxId: customer.taxId, address: customer.address },
		totals: documentTotals(lines),
		verifactuRecordId: 'r1'
	};
	const draftText = squash(
		pdfText(await render(documentPdfInput({ document: draft, company, customer })))
	);
	const issuedBytes = await render(documentPdfInput({ document: issued, company, customer }));
	const issuedText = squash(pdfText(issuedBytes));

	it('a draft: BORRADOR, no number, the company and customer as they are, totals from its lines', () => {
		for (const s of [
			'BORRADOR',
			'Pendiente de numerar',
			'Enlace Telecom SL',
			'C/ Mayor, 7',
			'05200 Arévalo, Ávila',
			'Lucía Estado Prueba',
			'Plaza Real, 3',
			// 39,90 + 2 × 25,00 − 10 % = 84,90 base; 17,83 VAT; 102,73.
			'84,90 €',
			'17,83 €',
			'102,73 €',
			'Gracias por confiar en nosotros'
		])
			expect(draftText).toContain(s);
		expect(draftText).not.toContain('QR tributario');
	});

	it('an issued invoice: its number, and the QR with the frozen issuer, number, date and total', () => {
		expect(issuedText).toContain('F2026-0007');
		expect(issuedText).not.toContain('BORRADOR');
		const qr = decodeQr(renderPage(issuedBytes, 1, 200, true), 200);
		expect(qr?.text).toBe(
			'https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&numserie=F2026-0007&fecha=03-12-2026&importe=102.73'
		);
	});
});
