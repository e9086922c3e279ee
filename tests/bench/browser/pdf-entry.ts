// Runs inside Chromium: the shared PDF code as the app runs it (through app/src/lib/pdf.ts), for
// the browser test (same bytes as Node) and the bench (an invoice against an empty page).
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { DocumentPdfInput } from '@enlace/shared/pdf/input';
import { sampleInvoice } from '../../../shared/src/pdf/fixtures';
import { downloadPdf, makeDocumentPdf, openPdf } from '../../../app/src/lib/pdf';

const base64 = (bytes: Uint8Array) => {
	let s = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(s);
};

async function render(input: DocumentPdfInput, createdAt: string, maskIban: boolean) {
	const { bytes, fileName } = await makeDocumentPdf(input, {
		createdAt: new Date(createdAt),
		maskIban
	});
	return { base64: base64(bytes), fileName };
}

/** Makes the PDF and hands it to the browser's download, as the Documentos tab will. */
async function download(input: DocumentPdfInput) {
	const { bytes, fileName } = await makeDocumentPdf(input);
	downloadPdf(bytes, fileName);
	return { size: bytes.length, fileName };
}

/** Makes the PDF and opens it in a new tab (the browser's viewer). */
async function open(input: DocumentPdfInput) {
	const { bytes, fileName } = await makeDocumentPdf(input);
	openPdf(bytes, fileName);
	return { size: bytes.length, fileName };
}

async function time(runs: number, make: () => Promise<Uint8Array>) {
	const ms: number[] = [];
	let size = 0;
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		size = (await make()).length;
		ms.push(performance.now() - t);
	}
	return { ms, size };
}

/** An issued invoice of `lines` lines with its QR, `runs` times. */
const invoiceTimes = (runs: number, lines: number) => {
	const input = sampleInvoice(lines);
	return time(runs, async () => (await makeDocumentPdf(input)).bytes);
};

/** The baseline: an empty A4 page with the same two fonts, `runs` times. */
const emptyTimes = (runs: number) =>
	time(runs, async () => {
		const doc = await PDFDocument.create();
		await doc.embedFont(StandardFonts.Helvetica);
		await doc.embedFont(StandardFonts.HelveticaBold);
		doc.addPage([595.28, 841.89]);
		return doc.save();
	});

(window as unknown as { bench: unknown }).bench = {
	sampleInvoice,
	render,
	download,
	open,
	invoiceTimes,
	emptyTimes
};
