// The built PWA as the server hands it out: real files, the SPA page for client routes, and a 404
// (never the page) for a file that is not there.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressStatic } from '../../scripts/compress-static';
import { startTestServer, type TestServer } from '../support/server';

const INDEX = '<!doctype html><title>Enlace</title>';
const SW = 'self.addEventListener("fetch", () => {});\n';

const CHUNK = '/_app/immutable/chunks/Bx7q2.js';
// Like a real chunk: repetitive enough to compress, with no two lines quite alike.
const CHUNK_TEXT = Array.from(
	{ length: 400 },
	(_, i) => `export const field${i} = { name: 'campo ${i}', width: ${(i * 37) % 101} };\n`
).join('');

let s: TestServer;
beforeAll(async () => {
	s = await startTestServer();
	fs.writeFileSync(path.join(s.staticDir, 'index.html'), INDEX);
	fs.writeFileSync(path.join(s.staticDir, 'sw.js'), SW);
	fs.mkdirSync(path.dirname(path.join(s.staticDir, CHUNK)), { recursive: true });
	fs.writeFileSync(path.join(s.staticDir, CHUNK), CHUNK_TEXT);
	await compressStatic(s.staticDir);
});
afterAll(() => s?.close());

const get = (p: string, headers: Record<string, string> = {}) => fetch(s.url + p, { headers });

describe('static files', () => {
	it('serves the service worker from the root as JavaScript, always revalidated', async () => {
		const r = await get('/sw.js');
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
		expect(r.headers.get('cache-control')).toBe('no-cache');
		expect(await r.text()).toBe(SW);
	});

	it.each(['/clientes/nuevo', '/clientes/8d7c1b9e-2f0a-4c55-9a51-6f0f3c1d2e4a/general', '/login'])(
		'answers the client route %s with the app page',
		async (route) => {
			const r = await get(route);
			expect(r.status).toBe(200);
			expect(r.headers.get('content-type')).toMatch(/^text\/html/);
			expect(await r.text()).toBe(INDEX);
		}
	);

	it.each([
		'/clientes/sw.js',
		'/clientes/nuevo/workbox-1234.js',
		'/_app/immutable/chunks/gone.js',
		'/_app/immutable/assets/gone.css',
		'/clientes/manifest.webmanifest',
		'/clientes/icon-192.png'
	])('answers the missing file %s with 404, not the app page', async (file) => {
		const r = await get(file);
		expect(r.status).toBe(404);
		expect(await r.text()).not.toContain('<title>');
	});
});

/** The bytes exactly as sent (Node's fetch would decode them), with the headers. */
function raw(p: string, acceptEncoding?: string) {
	return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
		(resolve, reject) => {
			const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
			http
				.get(s.url + p, { headers }, (res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () =>
						resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) })
					);
				})
				.on('error', reject);
		}
	);
}

describe('precompressed files', () => {
	const original = () => fs.readFileSync(path.join(s.staticDir, CHUNK));

	it('the build step wrote a smaller .br and .gz beside the chunk, and none for tiny files', () => {
		const file = path.join(s.staticDir, CHUNK);
		expect(fs.statSync(`${file}.br`).size).toBeLessThan(original().length / 3);
		expect(fs.statSync(`${file}.gz`).size).toBeLessThan(original().length / 2);
		expect(fs.existsSync(path.join(s.staticDir, 'sw.js.br'))).toBe(false);
	});

	it.each([
		['br', 'gzip, deflate, br, zstd', zlib.brotliDecompressSync],
		['gzip', 'gzip, deflate', zlib.gunzipSync]
	])('sends the %s copy when Accept-Encoding allows it', async (encoding, accept, decode) => {
		const r = await raw(CHUNK, accept);
		expect(r.status).toBe(200);
		expect(r.headers['content-encoding']).toBe(encoding);
		expect(r.headers['content-type']).toMatch(/^(text|application)\/javascript/);
		expect(r.headers['vary']).toBe('Accept-Encoding');
		expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
		expect(Number(r.headers['content-length'])).toBe(r.body.length);
		expect(r.body.length).toBeLessThan(original().length / 2);
		expect(decode(r.body).equals(original())).toBe(true);
	});

	it.each([undefined, 'identity', 'br;q=0, gzip;q=0'])(
		'sends the file itself for Accept-Encoding %s',
		async (accept) => {
			const r = await raw(CHUNK, accept);
			expect(r.status).toBe(200);
			expect(r.headers['content-encoding']).toBeUndefined();
			expect(r.headers['vary']).toBe('Accept-Encoding');
			expect(r.headers['content-type']).toMatch(/^(text|application)\/javascript/);
			expect(r.body.equals(original())).toBe(true);
		}
	);

	it('a missing file stays a 404 even when only its compressed copy would exist', async () => {
		fs.writeFileSync(path.join(s.staticDir, 'orphan.js.br'), zlib.brotliCompressSync('x'));
		expect((await raw('/orphan.js', 'br')).status).toBe(404);
	});
});
