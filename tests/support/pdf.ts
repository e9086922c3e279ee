// Reading a generated PDF back with real tools: poppler's pdftotext/pdftoppm/pdfimages for text,
// pixels and images, and jsQR (pure JS) for the QR code on a rendered page.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

function withFile<T>(bytes: Uint8Array, fn: (file: string) => T): T {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-pdf-'));
	try {
		const file = path.join(dir, 'doc.pdf');
		fs.writeFileSync(file, bytes);
		return fn(file);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** The text of the PDF (or of one page), spaces normalized (no-break spaces as plain ones). */
export function pdfText(bytes: Uint8Array, page?: number): string {
	return withFile(bytes, (file) => {
		const range = page ? ['-f', String(page), '-l', String(page)] : [];
		const out = execFileSync('pdftotext', [...range, '-enc', 'UTF-8', file, '-'], {
			encoding: 'utf8'
		});
		return out.replace(/\u00a0/g, ' ');
	});
}

/** Number of pages, from pdfinfo. */
export function pdfPageCount(bytes: Uint8Array): number {
	return withFile(bytes, (file) => {
		const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
		return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
	});
}

/** The images drawn in the PDF (`pdfimages -list` rows of type image; an alpha mask is another). */
export function pdfImageCount(bytes: Uint8Array): number {
	return withFile(bytes, (file) => {
		const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
		return list
			.trim()
			.split('\n')
			.slice(2) // two header lines
			.filter((row) => row.trim().split(/\s+/)[2] === 'image').length;
	});
}

/**
 * One page rendered to an RGBA bitmap at `dpi`; `topHalf` renders only the upper half of an A4
 * page (where the QR is), which keeps decoding it fast.
 */
export function renderPage(bytes: Uint8Array, page = 1, dpi = 200, topHalf = false): PNG {
	return withFile(bytes, (file) => {
		const prefix = path.join(path.dirname(file), 'page');
		const a4 = { w: Math.ceil((210 / 25.4) * dpi), h: Math.ceil((297 / 25.4) * dpi) };
		const crop = topHalf
			? ['-x', '0', '-y', '0', '-W', String(a4.w), '-H', String(Math.ceil(a4.h / 2))]
			: [];
		execFileSync('pdftoppm', [
			...crop,
			'-f',
			String(page),
			'-l',
			String(page),
			'-r',
			String(dpi),
			'-png',
			'-singlefile',
			file,
			prefix
		]);
		return PNG.sync.read(fs.readFileSync(`${prefix}.png`));
	});
}

/** The QR code on a rendered page: its text and its printed side in millimetres, or null. */
export function decodeQr(png: PNG, dpi = 200): { text: string; sideMm: number } | null {
	const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
	if (!found) return null;
	const { topLeftCorner: a, topRightCorner: b } = found.location;
	const sidePx = Math.hypot(b.x - a.x, b.y - a.y);
	return { text: found.data, sideMm: (sidePx / dpi) * 25.4 };
}

/** Pixels of the page that are clearly red (the draft watermark's colour). */
export function redPixels(png: PNG): number {
	let n = 0;
	for (let i = 0; i < png.data.length; i += 4) {
		const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
		if (r - g > 12 && r - b > 12) n++;
	}
	return n;
}
