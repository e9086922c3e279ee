// The built PWA as the server hands it out: real files, the SPA page for client routes, and a 404
// (never the page) for a file that is not there.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

const INDEX = '<!doctype html><title>Enlace</title>';
const SW = 'self.addEventListener("fetch", () => {});\n';

let s: TestServer;
beforeAll(async () => {
	s = await startTestServer();
	fs.writeFileSync(path.join(s.staticDir, 'index.html'), INDEX);
	fs.writeFileSync(path.join(s.staticDir, 'sw.js'), SW);
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
