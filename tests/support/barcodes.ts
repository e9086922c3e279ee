// Barcodes made by the tests themselves (ZXing's writer, in WebAssembly, loaded from
// node_modules: nothing is fetched), as the one-channel symbol, a PNG photo of a label, or a Y4M
// video that Chromium plays as a fake camera (--use-file-for-fake-video-capture).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, writeBarcode, type WriterOptions } from 'zxing-wasm/writer';

const require = createRequire(import.meta.url);
let prepared = false;

function prepare() {
	if (prepared) return;
	const wasm = fs.readFileSync(require.resolve('zxing-wasm/writer/zxing_writer.wasm'));
	// The bytes from disk: without them the writer would fetch its .wasm from a CDN.
	prepareZXingModule({
		overrides: {
			wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)
		}
	});
	prepared = true;
}

export type Format = NonNullable<WriterOptions['format']>;

async function write(text: string, format: Format) {
	prepare();
	const r = await writeBarcode(text, { format, scale: 4 });
	if (r.error) throw new Error(`${format} «${text}»: ${r.error}`);
	return r;
}

/** A PNG of the code (quiet zones included), as a photo of a label would be. */
export async function barcodePng(text: string, format: Format, file: string): Promise<string> {
	const r = await write(text, format);
	if (!r.image) throw new Error(`${format}: no image`);
	fs.writeFileSync(file, Buffer.from(await r.image.arrayBuffer()));
	return file;
}

/**
 * A Y4M video (YUV 4:2:0, `frames` identical frames of width × height) showing the code in the
 * middle on white, each module `module` pixels wide; Chromium loops it as the camera's picture.
 */
export async function barcodeVideo(
	text: string,
	format: Format,
	file: string,
	{ width = 640, height = 480, module = 3, frames = 10 } = {}
): Promise<string> {
	const { symbol } = await write(text, format);
	const w = symbol.width * module;
	// A linear code's symbol is one row deep in meaning: draw its bars 150 px tall.
	const rows = symbol.height * module < 60 ? Math.ceil(150 / symbol.height) : module;
	const h = symbol.height * rows;
	if (w > width - 40 || h > height - 40)
		throw new Error(`${format} «${text}» too large: ${w}×${h}`);
	const y = Buffer.alloc(width * height, 235);
	const left = (width - w) >> 1;
	const top = (height - h) >> 1;
	for (let py = 0; py < h; py++) {
		const sy = Math.floor(py / rows);
		for (let px = 0; px < w; px++) {
			const dark = symbol.data[sy * symbol.width + Math.floor(px / module)] < 128;
			y[(top + py) * width + left + px] = dark ? 16 : 235;
		}
	}
	const chroma = Buffer.alloc((width >> 1) * (height >> 1), 128);
	const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
	const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
	fs.writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
	return file;
}
