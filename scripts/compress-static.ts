/**
 * After `vite build`: writes `<file>.br` and `<file>.gz` beside every compressible file of the
 * built PWA, once, at the strongest settings, so the server sends them without compressing on
 * each request (about a third of the bytes on a first load). Node's zlib only: nothing to install.
 *
 *   node --import tsx scripts/compress-static.ts app/build
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Text formats; images and fonts here are already compressed. */
export const COMPRESSIBLE = /\.(?:m?js|css|html|json|webmanifest|svg|txt|xml|map|wasm)$/i;
/** Below this a compressed copy saves less than its own headers cost. */
const MIN_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const ENCODERS: Record<string, (data: Buffer) => Promise<Buffer>> = {
	'.br': (data) =>
		brotli(data, {
			params: {
				[zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
				[zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length
			}
		}),
	'.gz': (data) => gzip(data, { level: zlib.constants.Z_BEST_COMPRESSION })
};

async function* files(dir: string): AsyncGenerator<string> {
	for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* files(full);
		else if (entry.isFile()) yield full;
	}
}

export type CompressSummary = { files: number; bytes: number; br: number; gz: number };

/** Compresses every compressible file under `dir`; a copy that would not be smaller is not kept. */
export async function compressStatic(dir: string): Promise<CompressSummary> {
	const summary: CompressSummary = { files: 0, bytes: 0, br: 0, gz: 0 };
	const work: Promise<void>[] = [];
	for await (const file of files(dir)) {
		if (!COMPRESSIBLE.test(file)) continue;
		work.push(
			(async () => {
				const data = await fs.readFile(file);
				if (data.length < MIN_BYTES) return;
				summary.files += 1;
				summary.bytes += data.length;
				for (const [suffix, encode] of Object.entries(ENCODERS)) {
					const packed = await encode(data);
					if (packed.length >= data.length) {
						await fs.rm(file + suffix, { force: true });
						continue;
					}
					await fs.writeFile(file + suffix, packed);
					summary[suffix === '.br' ? 'br' : 'gz'] += packed.length;
				}
			})()
		);
	}
	await Promise.all(work);
	return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const dir = path.resolve(process.argv[2] ?? 'app/build');
	const s = await compressStatic(dir);
	const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
	console.log(
		`compress-static: ${s.files} ficheros, ${kb(s.bytes)} → brotli ${kb(s.br)}, gzip ${kb(s.gz)}`
	);
}
