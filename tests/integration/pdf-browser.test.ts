// The same document made inside Chromium, by the app's helper over the shared code, is the same
// PDF as in Node: equal bytes, so equal text and QR. And the helper's download hands the browser
// that PDF under its name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { renderDocumentPdf, type DocumentPdfInput } from '../../shared/src/pdf/index';
import { sampleInvoice } from '../../shared/src/pdf/fixtures';
import { bundle, launchChromium, openBundle } from '../bench/sync';
import { decodeQr, pdfText, renderPage } from '../support/pdf';

type Bench = {
	render(
		input: DocumentPdfInput,
		createdAt: string,
		maskIban: boolean
	): Promise<{ base64: string; fileName: string }>;
	download(input: DocumentPdfInput): Promise<{ size: number; fileName: string }>;
	open(input: DocumentPdfInput): Promise<{ size: number; fileName: string }>;
};

const CREATED = '2026-12-03T10:00:00.000Z';
let tmp: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-pdf-browser-'));
	await bundle(tmp, { entry: 'pdf-entry.ts' });
	browser = await launchChromium();
	page = await openBundle(await browser.newContext({ acceptDownloads: true }), tmp);
}, 120_000);

afterAll(async () => {
	await browser?.close();
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const inBrowser = async (input: DocumentPdfInput, maskIban = false) => {
	const out = await page.evaluate(
		([input, createdAt, maskIban]) =>
			(window as never as { bench: Bench }).bench.render(input, createdAt, maskIban),
		[input, CREATED, maskIban] as const
	);
	return { bytes: new Uint8Array(Buffer.from(out.base64, 'base64')), fileName: out.fileName };
};

describe('a PDF made in Chromium', () => {
	it('is byte for byte the one Node makes: a long invoice with a logo and its QR', async () => {
		const png = new PNG({ width: 60, height: 24 });
		for (let i = 0; i < png.data.length; i += 4) png.data.set([11, 92, 171, 255], i);
		const logo = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
		const base = sampleInvoice(45);
		const input = { ...base, issuer: { ...base.issuer, logo } };
		const { bytes, fileName } = await inBrowser(input);
		const node = await renderDocumentPdf(input, { createdAt: new Date(CREATED) });
		expect(fileName).toBe('Factura F2026-000123.pdf');
		expect(Buffer.from(bytes).equals(Buffer.from(node))).toBe(true);
		const text = pdfText(bytes);
		expect(text).toContain('Página 2 de 2');
		expect(text).toContain('María José Núñez Ibáñez');
		expect(text.replace(/\u00a0/g, ' ')).toContain('IBAN: ES91 2100 0418 4502 0005 1332');
		expect(decodeQr(renderPage(bytes, 1, 200, true), 200)?.text).toBe(input.verifactu!.qrUrl);
	});

	it('masks the IBAN and marks a draft there too', async () => {
		const { bytes, fileName } = await inBrowser(sampleInvoice(3, { number: null }), true);
		const text = pdfText(bytes);
		expect(fileName).toBe('Borrador factura.pdf');
		expect(text).toContain('BORRADOR');
		expect(text).toContain('Pendiente de numerar');
		expect(text).toContain('1332');
		expect(text).not.toContain('ES91');
	});

	it('is handed to the browser as a download of that name', async () => {
		const input = sampleInvoice(4);
		const [download, made] = await Promise.all([
			page.waitForEvent('download'),
			page.evaluate((input) => (window as never as { bench: Bench }).bench.download(input), input)
		]);
		expect(download.suggestedFilename()).toBe('Factura F2026-000123.pdf');
		const saved = fs.readFileSync(await download.path());
		expect(saved.length).toBe(made.size);
		expect(saved.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdfText(new Uint8Array(saved))).toContain('Número: F2026-000123');
	});

	it('opens in a new tab from a blob URL holding the PDF', async () => {
		const [tab] = await Promise.all([
			page.context().waitForEvent('page'),
			page.evaluate(
				(input) => (window as never as { bench: Bench }).bench.open(input),
				sampleInvoice(2)
			)
		]);
		expect(tab.url()).toMatch(/^blob:http:\/\/bench\.enlace\.test\//);
		const head = await page.evaluate(async (url) => {
			const blob = await (await fetch(url)).blob();
			return { type: blob.type, start: await blob.slice(0, 5).text() };
		}, tab.url());
		expect(head).toEqual({ type: 'application/pdf', start: '%PDF-' });
		await tab.close();
	});
});
