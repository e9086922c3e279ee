import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { documentPdfFileName } from './render';
import { fitText, spanishDate, wrapText } from './text';

const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);

describe('fitText (WinAnsi standard fonts)', () => {
	it('keeps Spanish whole: accents, ñ, ¿¡, ordinals, € and typographic punctuation', () => {
		const spanish = '¿Señoría? ¡Añadir! áéíóú ÁÉÍÓÚ üÜ ñÑ 2º 1ª 12,50 € «comillas» “así” — …';
		expect(fitText(font, spanish)).toBe(spanish);
	});
	it('falls back to the base letter, then to ?, never throws', () => {
		expect(fitText(font, 'Ŀlorenç Ŵ ﬁn')).toBe('L·lorenç W fin');
		expect(fitText(font, 'Wi‑Fi 📶 中')).toBe('Wi-Fi ? ?');
		expect(fitText(font, 'a\tb\r\nc\u200bd')).toBe('a b\ncd');
		// Decomposed input (NFD, as macOS may type it) is recomposed first.
		expect(fitText(font, 'Nu\u0301n\u0303ez')).toBe('Núñez');
		expect(() => font.encodeText(fitText(font, '✓ ok ∑'))).not.toThrow();
	});
});

describe('wrapText', () => {
	it('breaks between words within the width, paragraphs at newlines', () => {
		const lines = wrapText(font, 'uno dos tres cuatro cinco seis\nsiete', 9, 60);
		expect(lines.length).toBeGreaterThan(2);
		expect(lines[lines.length - 1]).toBe('siete');
		for (const l of lines) expect(font.widthOfTextAtSize(l, 9)).toBeLessThanOrEqual(60);
		expect(lines.join(' ')).toBe('uno dos tres cuatro cinco seis siete');
	});
	it('cuts a word longer than the line, losing nothing', () => {
		const word = 'ES9121000418450200051332ES9121000418450200051332';
		const lines = wrapText(font, word, 9, 50);
		expect(lines.length).toBeGreaterThan(1);
		expect(lines.join('')).toBe(word);
		for (const l of lines) expect(font.widthOfTextAtSize(l, 9)).toBeLessThanOrEqual(50);
	});
	it('gives no lines for empty text', () => {
		expect(wrapText(font, '', 9, 50)).toEqual([]);
	});
});

describe('spanishDate and documentPdfFileName', () => {
	it('prints dates dd/mm/yyyy', () => {
		expect(spanishDate('2026-12-03')).toBe('03/12/2026');
	});
	it('names the file by title and number, a draft as a draft, without path characters', () => {
		const doc = (kind: 'F1' | 'delivery_note', number: string | null) => ({
			document: { kind, number, series: 'F', issueDate: null }
		});
		expect(documentPdfFileName(doc('F1', 'F2026-000123'))).toBe('Factura F2026-000123.pdf');
		expect(documentPdfFileName(doc('F1', 'A/2026:7'))).toBe('Factura A-2026-7.pdf');
		expect(documentPdfFileName(doc('delivery_note', null))).toBe('Borrador albarán.pdf');
	});
});
