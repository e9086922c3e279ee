import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	chromium,
	type BrowserContext,
	type BrowserContextOptions,
	type Page
} from '@playwright/test';
import { build } from 'vite';
import { loadConfig } from '../../sync-server/src/config';
import { startServer } from '../../sync-server/src/server';
import { seedCustomers } from './seed';
import { percentile, type Figures } from './report';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
const PULL_LIMIT = Number(process.env.BENCH_PULL_LIMIT ?? 0) || undefined;
export const ADMIN = { email: 'bench@enlace.test', password: 'bench-password-123' };
const QUERIES = [
	'garcía',
	'lopez',
	'C04711',
	'610012345',
	'arevalo',
	'maría sánchez',
	'10000007',
	'cliente4242@',
	'zamora toro',
	'gutierrez romero',
	'xyz-nada',
	'ana'
];

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** That Chromium with the bench's flags. */
export const launchChromium = () =>
	chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/**
 * A Chromium of its own whose IndexedDB is on disk, in a profile directory removed when the
 * context closes: as on a phone. A default context keeps IndexedDB in memory, which on this
 * machine made a first sync of 150,000 rows take 175 s against 32 s on disk, slower the more
 * it held. With `profile`, that directory is used and kept (the caller removes it).
 */
export async function diskContext(
	options: BrowserContextOptions = {},
	profile?: string
): Promise<BrowserContext> {
	const dir = profile ?? fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-bench-profile-'));
	const context = await chromium.launchPersistentContext(dir, {
		executablePath: CHROMIUM,
		args: CHROMIUM_ARGS,
		...options
	});
	if (!profile) context.on('close', () => void removeProfile(dir));
	return context;
}

/**
 * A profile directory removed, though Chromium may still be finishing its writes into it as its
 * context reports closing (retried, without blocking the process that is closing it).
 */
export async function removeProfile(dir: string) {
	try {
		await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
	} catch (e) {
		console.warn(`bench: ${dir} not removed: ${String(e)}`);
	}
}

/**
 * Bundle a browser side of the bench (`browser/<entry>`: the app's engine, schema and search, or
 * the previo) with Vite into `outDir/bench.js`, with a page (`html`) that loads it.
 */
export async function bundle(
	outDir: string,
	{ entry = 'entry.ts', html = 'index.html' }: { entry?: string; html?: string } = {}
) {
	await build({
		configFile: false,
		logLevel: 'warn',
		root: path.resolve(import.meta.dirname, 'browser'),
		build: {
			outDir,
			emptyOutDir: false,
			lib: {
				entry: path.resolve(import.meta.dirname, 'browser', entry),
				formats: ['iife'],
				name: 'benchEntry',
				fileName: () => 'bench.js'
			},
			minify: true
		}
	});
	fs.writeFileSync(
		path.join(outDir, html),
		'<!doctype html><meta charset="utf-8"><title>bench</title><script src="/bench.js"></script>'
	);
}

const BUNDLE_ORIGIN = 'http://bench.enlace.test';

/**
 * A page of `context` with a `bundle` from `dir` loaded, served by Playwright itself (no server
 * needed).
 */
export async function openBundle(context: BrowserContext, dir: string) {
	const page = await context.newPage();
	await page.route(`${BUNDLE_ORIGIN}/**`, (route) => {
		const file = new URL(route.request().url()).pathname.slice(1) || 'index.html';
		route.fulfill({
			path: path.join(dir, path.basename(file)),
			contentType: file.endsWith('.js') ? 'text/javascript' : 'text/html'
		});
	});
	await page.goto(`${BUNDLE_ORIGIN}/index.html`);
	return page;
}

/**
 * `fn` run on a page of a fresh Chromium with the bundle of `browser/<entry>` loaded, its profile
 * on disk (IndexedDB as a phone keeps it: a context's default, in memory, read the previo's
 * 125,000 rows in 3.2 s); the browser, its profile and the bundle's folder are gone afterwards.
 */
export async function withBundledPage<T>(
	entry: string,
	log: (s: string) => void,
	fn: (page: Page) => Promise<T>
): Promise<T> {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-bench-page-'));
	log(`bundling ${entry}…`);
	await bundle(tmp, { entry });
	const context = await diskContext();
	try {
		return await fn(await openBundle(context, tmp));
	} finally {
		await context.close();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/** A server on a loopback port, its data in `tmp`, serving `staticDir`, with `admin` as its admin. */
function serve(tmp: string, staticDir: string, admin: { email: string; password: string }) {
	return startServer(
		loadConfig({
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: path.join(tmp, 'data'),
			STATIC_DIR: staticDir,
			ADMIN_EMAIL: admin.email,
			ADMIN_PASSWORD: admin.password
		})
	);
}

/** The server (data in `tmp`, serving `staticDir`, with ADMIN as its admin). */
export const startBench = (tmp: string, staticDir: string) => serve(tmp, staticDir, ADMIN);

/**
 * A server on a loopback port over a fresh temporary directory (removed by the caller), serving
 * the bundled browser side of the bench.
 */
export async function benchServer(
	log: (s: string) => void,
	admin: { email: string; password: string }
): Promise<{ tmp: string; server: Awaited<ReturnType<typeof startServer>> }> {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-bench-'));
	const staticDir = path.join(tmp, 'static');
	fs.mkdirSync(staticDir);
	log('bundling the browser side…');
	await bundle(staticDir);
	return { tmp, server: await serve(tmp, staticDir, admin) };
}

/**
 * First sync of 50,000 customers + 50,000 addresses + 50,000 contacts from a running server into
 * a fresh Chromium profile on disk, against a raw Dexie bulkPut of the same rows in the same page; then
 * customer search latency over them.
 */
export async function syncBench(log: (s: string) => void): Promise<Figures> {
	const { tmp, server } = await benchServer(log, ADMIN);
	const context = await diskContext();
	try {
		log(`seeding ${CUSTOMERS.toLocaleString('es-ES')} customers, addresses and contacts…`);
		const t0 = performance.now();
		const rows = await seedCustomers(server.db, CUSTOMERS);
		log(
			`  ${rows.toLocaleString('es-ES')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`
		);
		const page = await context.newPage();
		await page.goto(`${server.url}/index.html`);
		await page.evaluate(
			(a) =>
				(window as never as { bench: { login(e: string, p: string): Promise<void> } }).bench.login(
					a.email,
					a.password
				),
			ADMIN
		);
		type Bench = {
			raw(): Promise<{ rows: number; ms: number }>;
			sync(l?: number): Promise<{ rows: number; ms: number }>;
			search(q: string[]): Promise<{ buildMs: number; times: number[]; customers: number }>;
		};
		log('raw Dexie bulkPut (baseline)…');
		const raw = await page.evaluate(() => (window as never as { bench: Bench }).bench.raw());
		log(`  ${raw.rows} rows in ${(raw.ms / 1000).toFixed(2)} s`);
		log('first sync through the app engine…');
		const sync = await page.evaluate(
			(l) => (window as never as { bench: Bench }).bench.sync(l),
			PULL_LIMIT
		);
		log(`  ${sync.rows} rows in ${(sync.ms / 1000).toFixed(2)} s`);
		if (sync.rows !== raw.rows)
			throw new Error(`sync pulled ${sync.rows} rows, expected ${raw.rows}`);
		const queries = Array.from({ length: 20 }, () => QUERIES).flat();
		const search = await page.evaluate(
			(q) => (window as never as { bench: Bench }).bench.search(q),
			queries
		);
		if (search.customers !== CUSTOMERS)
			throw new Error(`search index has ${search.customers} customers`);
		const rawRowsPerSec = raw.rows / (raw.ms / 1000);
		const rowsPerSec = sync.rows / (sync.ms / 1000);
		return {
			'sync.rows': sync.rows,
			'sync.seconds': sync.ms / 1000,
			'sync.rowsPerSec': rowsPerSec,
			'sync.rawBulkPutRowsPerSec': rawRowsPerSec,
			'sync.ratioToRaw': rowsPerSec / rawRowsPerSec,
			'search.indexBuildMs': search.buildMs,
			'search.p50Ms': percentile(search.times, 50),
			'search.p95Ms': percentile(search.times, 95),
			'search.queries': search.times.length
		};
	} finally {
		await context.close();
		await server.close();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}
