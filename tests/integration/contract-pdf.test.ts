// The Contratos tab's PDFs made in Node by the shared code the device runs, read back with poppler.
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { photosToPdf, renderContractPdf } from '@enlace/shared/pdf/contract';
import { pdfImageCount, pdfPageCount, pdfText } from '../support/pdf';

function png(width: number, height: number): Uint8Array {
	const img = new PNG({ width, height });
	for (let i = 0; i < img.data.length; i += 4) {
		const dark = (i / 4) % width === Math.floor(i / 4 / width);
		img.data.set(dark ? [0, 0, 0, 255] : [255, 255, 255, 0], i);
	}
	return new Uint8Array(PNG.sync.write(img));
}

const base = {
	issuer: 'Enlace Fibra SL',
	title: 'Contrato de alta',
	date: '2026-12-03',
	body: 'Entre Enlace Fibra SL y Lucía Pérez Ñúñez (12345678Z).\n\nCláusula primera: el servicio.'
};

describe('contract PDF', () => {
	it('prints the filled text; signed, the signature image, signer, tax id, time and GPS point', async () => {
		const unsigned = pdfText(await renderContractPdf(base));
		expect(unsigned).toContain('Lucía Pérez Ñúñez');
		expect(unsigned).toContain('Fecha: 03/12/2026');
		expect(unsigned).not.toContain('Firmante');

		const bytes = await renderContractPdf({
			...base,
			signature: {
				png: png(300, 120),
				signerName: 'Lucía Pérez Ñúñez',
				signerTaxId: '12345678Z',
				signedAt: '2026-12-03T10:05:00.000Z',
				place: { lat: 40.656685, lng: -4.681208, accuracyM: 12.4 }
			}
		});
		const text = pdfText(bytes);
		expect(text).toContain('Firmante: Lucía Pérez Ñúñez');
		expect(text).toContain('NIF: 12345678Z');
		expect(text).toContain('Fecha y hora: 03/12/2026 11:05');
		expect(text).toContain('Ubicación GPS: 40.656685, -4.681208 (±12 m)');
		expect(pdfImageCount(bytes)).toBeGreaterThanOrEqual(1);
	});

	it('says so when there is no GPS point', async () => {
		const bytes = await renderContractPdf({
			...base,
			signature: {
				png: png(100, 40),
				signerName: 'Lucía',
				signerTaxId: '12345678Z',
				signedAt: '2026-12-03T10:05:00.000Z',
				place: { none: 'permiso de ubicación denegado' }
			}
		});
		expect(pdfText(bytes)).toContain('Ubicación: no disponible (permiso de ubicación denegado)');
	});

	it('a long text runs over pages, numbered', async () => {
		const bytes = await renderContractPdf({ ...base, body: 'Cláusula larga. '.repeat(1500) });
		const pages = pdfPageCount(bytes);
		expect(pages).toBeGreaterThan(1);
		expect(pdfText(bytes, pages)).toContain(`Página ${pages} de ${pages}`);
	});

	it('photos of the paper become one PDF, a page each', async () => {
		const bytes = await photosToPdf([
			{ bytes: png(400, 600), type: 'image/png' },
			{ bytes: png(600, 400), type: 'image/png' }
		]);
		expect(pdfPageCount(bytes)).toBe(2);
	});
});
