/**
 * Reading barcodes (docs/equipment.md › Scanning): the browser's own BarcodeDetector where it has
 * one for the formats we need, else the `barcode-detector` polyfill (ZXing in WebAssembly). The
 * polyfill's .wasm is bundled by Vite and served from our own origin (and precached by the
 * service worker), never fetched from a CDN: a technician in a basement scans offline.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** The formats on ISP equipment: serials and MACs (Code 128/39), boxes (EAN/UPC), QR, Data Matrix. */
export const SCAN_FORMATS = [
	'code_128',
	'code_39',
	'ean_13',
	'ean_8',
	'upc_a',
	'qr_code',
	'data_matrix'
] as const;

export type Detected = { rawValue: string; format: string };
export type Detector = {
	detect(source: ImageBitmapSource | HTMLVideoElement | ImageData | Blob): Promise<Detected[]>;
};
/** Which implementation answered: 'native' or 'wasm' (shown in tests and kept for support). */
export let detectorKind: 'native' | 'wasm' | undefined;

type NativeCtor = {
	new (o: { formats: string[] }): Detector;
	getSupportedFormats(): Promise<string[]>;
};

let pending: Promise<Detector> | undefined;

async function makeDetector(): Promise<Detector> {
	const Native = (globalThis as { BarcodeDetector?: NativeCtor }).BarcodeDetector;
	if (Native) {
		try {
			const supported = await Native.getSupportedFormats();
			const formats = SCAN_FORMATS.filter((f) => supported.includes(f));
			// Code 128 and QR are what our labels carry; without them the polyfill does better.
			if (formats.includes('code_128') && formats.includes('qr_code')) {
				detectorKind = 'native';
				return new Native({ formats });
			}
		} catch {
			// A browser that declares the API but cannot run it (no platform detector).
		}
	}
	const { BarcodeDetector, prepareZXingModule } = await import('barcode-detector/ponyfill');
	prepareZXingModule({
		overrides: {
			// Our copy, not the polyfill's default (a CDN URL).
			locateFile: (path: string, prefix: string) =>
				path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path
		}
	});
	detectorKind = 'wasm';
	return new BarcodeDetector({ formats: [...SCAN_FORMATS] }) as unknown as Detector;
}

/** The detector, made once (the WebAssembly is compiled on the first use). */
export function detector(): Promise<Detector> {
	pending ??= makeDetector().catch((e: unknown) => {
		pending = undefined;
		throw e;
	});
	return pending;
}

/** The first code in an image (a photo, a canvas, a video frame), or undefined. */
export async function decodeFirst(
	source: ImageBitmapSource | HTMLVideoElement | ImageData | Blob
): Promise<Detected | undefined> {
	const found = await (await detector()).detect(source);
	return found.find((d) => d.rawValue.trim());
}
