import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { Cdp } from './cdp';
import { seedCustomers, seededRouterFields } from './seed';
import {
	ADMIN,
	CHROMIUM,
	CHROMIUM_ARGS,
	bundle,
	diskContext,
	removeProfile,
	startBench
} from './sync';
import { percentile, type Figures } from './report';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
/** One customer in ROUTER_EVERY has a PPPoE account and Datos operadora (ONT serial). */
const ROUTER_EVERY = 5;
const PHONE = { width: 360, height: 740 };
/**
 * Opens of the app on the device (BENCH_OPENS, default seven): the figure is their median. One
 * open varies by ±100 ms on a two-core machine (the throttled page spins one core), five left the
 * median at the mercy of one.
 */
const OPENS = Number(process.env.BENCH_OPENS ?? 7);
/** The pause before each open (see where it is used). */
const OPEN_PAUSE_MS = 2000;

const repo = path.resolve(import.meta.dirname, '../..');
const customerId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

type Bench = {
	login(e: string, p: string): Promise<void>;
	sync(): Promise<{ rows: number; ms: number }>;
	quick(
		q: { text: string; id?: string; tab?: string }[],
		updates: number
	): Promise<{
		buildMs: number;
		times: number[];
		customers: number;
		updateMs: number[];
		listMs: number[];
	}>;
};
const bench = (page: Page) =>
	page.evaluate.bind(page) as <R, A>(fn: (a: A) => R, a: A) => Promise<R>;

/**
 * Run in the page before its own scripts (an init script: a string, as the bench's TypeScript
 * loader would wrap named functions in a helper the page lacks): once the header's search button
 * exists and a frame has been drawn with it, click it, type `query`, wait for the first result;
 * the two times in the page's clock (from the start of its navigation) go to the bench's
 * binding `enlaceOpened`. Started from the bench after the navigation, the same steps began 200–400 ms
 * late: the bench's own process, serving the app's scripts, answered the browser late.
 * Playwright's clicks would wait for animation frames a slowed page is slow to give, which is
 * not what a user's tap waits for.
 */
const inPageOpen = (query: string) => `(() => {
	if (window.top !== window) return;
	const appear = (selector) => new Promise((resolve) => {
		const found = document.querySelector(selector);
		if (found) return resolve(found);
		const watch = new MutationObserver(() => {
			const el = document.querySelector(selector);
			if (!el) return;
			watch.disconnect();
			resolve(el);
		});
		watch.observe(document, { childList: true, subtree: true });
	});
	// A frame drawn with it: the next task after an animation frame (a message, not a timer: a
	// loading page's timers wait behind its other work, and a tap does not).
	const drawn = () => new Promise((resolve) => requestAnimationFrame(() => {
		const channel = new MessageChannel();
		channel.port1.onmessage = resolve;
		channel.port2.postMessage(null);
	}));
	void (async () => {
		const button = await appear('[data-testid=quick-search-open]');
		await drawn();
		(document.querySelector('[data-testid=quick-search-open]') ?? button).click();
		const shell = performance.now();
		// The open dialog's box: the app keeps its own dialog in the page, closed, until it is used.
		const input = await appear('dialog[open] [data-testid=quick-search-input]');
		input.value = ${JSON.stringify(query)};
		input.dispatchEvent(new Event('input', { bubbles: true }));
		await appear('dialog[open] [data-testid=quick-search-results] li');
		const times = { shell, answer: performance.now() };
		window.enlaceOpened?.(JSON.stringify(times));
		return times;
	})();
})()`;

/**
 * In the page: the search index's snapshot rev and the journal rows after it (what the next
 * start must catch up with), from IndexedDB itself.
 */
const SAVED_STATE = `(async () => {
	const read = (name, store, op) => new Promise((resolve, reject) => {
		const open = indexedDB.open(name);
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const req = op(open.result.transaction(store).objectStore(store));
			req.onsuccess = () => {
				open.result.close();
				resolve(req.result);
			};
		};
	});
	const head = await read('enlace-search', 'snapshot', (s) => s.get('search.head'));
	const journal = await read('enlace', 'journal', (s) => s.count());
	return { rev: head?.rev, journal };
})()`;
type SavedState = { rev?: number; journal: number };

/** The quick search's queries: each extra field finds its customer and names its tab. */
function quickQueries() {
	const out: { text: string; id?: string; tab?: string }[] = [];
	for (let k = 0; k < 10; k++) {
		const i = ((k * 7919) % Math.floor(CUSTOMERS / ROUTER_EVERY)) * ROUTER_EVERY;
		const f = seededRouterFields(i);
		out.push({ text: f.username, id: customerId(i), tab: 'mikrotik' });
		out.push({ text: f.staticIp, id: customerId(i), tab: 'mikrotik' });
		out.push({ text: f.ontSerial.toLowerCase(), id: customerId(i), tab: 'operadora' });
		out.push({ text: `C${String(i + 1).padStart(5, '0')}`, id: customerId(i), tab: 'general' });
	}
	for (const text of ['garcía', 'lopez', 'arevalo', 'maría sánchez', 'zamora toro', 'xyz-nada'])
		out.push({ text });
	return Array.from({ length: 5 }, () => out).flat();
}

/**
 * The app itself, built as shipped, in headless Chromium on a 360 px phone viewport:
 *
 * - `sync.appFirstSyncRatio`: the first sync of 50,000 customers, their addresses and Historial
 *   lines (and PPPoE accounts and Datos operadora for one in five) through the real app with the
 *   customer list open, in rows/s, against the app's SyncEngine alone pulling the same rows into
 *   a fresh database, once before the app and once after (the mean of the two is the baseline:
 *   the machine's speed drifts); each in a Chromium of its own, its profile on disk;
 * - `search.readyAfterOpenMs`: opening the app again on that device (its profile, its service
 *   worker) with the CPU slowed 4× (CDP Emulation.setCPUThrottlingRate) until the header's quick
 *   search answers a query (median of BENCH_OPENS opens), in a Chromium driven over the DevTools
 *   protocol alone (cdp.ts); `search.scriptsBeforeAnswerKB`, the JavaScript (uncompressed) the
 *   page fetched before that answer, a figure the machine's load does not move;
 * - `search.quick.p95Ms` and `search.updateOneMs`: the app's SearchIndex over the synced rows
 *   (every answer checked for its customer and tab) and a pulled one-row change applied to it;
 * - `list.filterSort.p95Ms`: the customer list filtered and sorted from scratch over the same
 *   hits (five filters × six sorts), against the quick search's p95 over them.
 */
export async function appBench(log: (s: string) => void): Promise<Figures> {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-bench-app-'));
	const staticDir = path.join(tmp, 'static');
	log('building the app…');
	execFileSync('npm', ['run', 'build', '-w', '@enlace/app'], { cwd: repo, stdio: 'ignore' });
	fs.cpSync(path.join(repo, 'app/build'), staticDir, { recursive: true });
	await bundle(staticDir, { html: 'bench.html' });
	const server = await startBench(tmp, staticDir);
	// The phone the app syncs on, opened again for the opens (its profile on disk).
	const device = path.join(tmp, 'device');
	let cdp: Cdp | undefined;
	try {
		log(`seeding ${CUSTOMERS.toLocaleString('es-ES')} customers, addresses and Historial…`);
		const rows = await seedCustomers(server.db, CUSTOMERS, {
			contacts: false,
			history: true,
			routerEvery: ROUTER_EVERY
		});
		log(`  ${rows.toLocaleString('es-ES')} rows`);
		// Each first sync in a Chromium of its own with its profile on disk, as on a device where
		// the app's database is the only one. (In one browser's in-memory contexts, all of an
		// origin's databases share one store, and a page's write got slower the more it held: the
		// app's sync beside the engine's 50,000 customers took 1.4 s a page from its first page
		// on, where the engine's own grew from 0.15 s to 1 s.)
		const fresh = (profile?: string) => diskContext({ viewport: PHONE, locale: 'es-ES' }, profile);
		const firstPage = async (c: BrowserContext) => c.pages()[0] ?? (await c.newPage());

		/** The engine alone, in its own page and database (same browser, same rows). */
		const engineAlone = async (page: Page) => {
			await page.goto(`${server.url}/bench.html`);
			await bench(page)(
				(a) => (window as never as { bench: Bench }).bench.login(a.email, a.password),
				ADMIN
			);
			const r = await bench(page)(() => (window as never as { bench: Bench }).bench.sync(), null);
			log(`  ${r.rows} rows in ${(r.ms / 1000).toFixed(2)} s`);
			return r;
		};
		log('first sync through the SyncEngine alone…');
		const engineContext = await fresh();
		const enginePage = await firstPage(engineContext);
		const engine = await engineAlone(enginePage);
		const quick = await bench(enginePage)(
			(q) => (window as never as { bench: Bench }).bench.quick(q, 50),
			quickQueries()
		);
		if (quick.customers !== CUSTOMERS) throw new Error(`index has ${quick.customers} customers`);
		await engineContext.close();

		// The app: sign in on a phone; it lands on the customer list and syncs from zero.
		log('first sync through the app (customer list open, 360 px)…');
		const context = await fresh(device);
		const page = await firstPage(context);
		// BENCH_PROFILE_SYNC=file.cpuprofile: the CPU profile of the app's first sync.
		const syncProfile = process.env.BENCH_PROFILE_SYNC;
		const syncCdp = syncProfile ? await context.newCDPSession(page) : undefined;
		if (syncCdp) {
			await syncCdp.send('Profiler.enable');
			await syncCdp.send('Profiler.setSamplingInterval', { interval: 1000 });
			await syncCdp.send('Profiler.start');
		}
		await page.goto(`${server.url}/login`);
		await page.fill('input[name=email]', ADMIN.email);
		await page.fill('input[name=password]', ADMIN.password);
		const t0 = performance.now();
		await page.click('button[type=submit]');
		await page.waitForURL('**/clientes');
		// "… de 50.000 clientes" (the app groups 2.000 too; Node's es-ES does not below 10,000).
		await page.waitForFunction(
			(total) =>
				document.querySelector('[data-testid=sync-badge]')?.getAttribute('data-phase') === 'idle' &&
				/de ([\d.]+) clientes$/
					.exec(document.querySelector('[data-testid=customer-count]')?.textContent ?? '')?.[1]
					.replaceAll('.', '') === String(total),
			CUSTOMERS,
			{ polling: 200, timeout: 600_000 }
		);
		const appMs = performance.now() - t0;
		if (syncCdp && syncProfile) {
			const { profile: data } = await syncCdp.send('Profiler.stop');
			fs.writeFileSync(syncProfile, JSON.stringify(data));
			log(`  CPU profile of the first sync in ${syncProfile}`);
			await syncCdp.detach();
		}
		log(`  ${engine.rows} rows in ${(appMs / 1000).toFixed(2)} s`);
		// The search index's snapshot saves during it: each writes the whole index into the
		// IndexedDB the engine writes its pages to.
		const saves = await page.evaluate(() =>
			performance
				.getEntriesByName('enlace:search-save')
				.map(
					(m) =>
						`${(m.duration / 1000).toFixed(1)} s (${String((m as PerformanceMeasure).detail)} hits)`
				)
		);
		log(`  index snapshot saves during it: ${saves.length ? saves.join(', ') : 'none'}`);
		// The index's snapshot is what the next start loads: wait for it to be saved at the end of
		// the sync (3 s after the last page); saving trims the journal up to it. (Polled from here:
		// waitForFunction takes a returned promise for a truthy answer.)
		for (const until = Date.now() + 120_000; ; await page.waitForTimeout(500)) {
			const saved = await page.evaluate<SavedState>(SAVED_STATE);
			if (saved.rev !== undefined && saved.journal === 0) break;
			if (Date.now() > until) throw new Error(`index snapshot not saved: ${JSON.stringify(saved)}`);
		}
		// The app installs its service worker once the device has synced: the opens go through it,
		// as on a phone.
		const worker = await page.evaluate(async () => {
			for (const until = Date.now() + 60_000; Date.now() < until;) {
				const active = (await navigator.serviceWorker?.getRegistration())?.active;
				if (active?.state === 'activated') return active.scriptURL;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			return 'none within a minute';
		});
		log(`  service worker: ${worker}`);
		await context.close();

		// The engine alone once more, after the app: this machine's speed drifts by half from one
		// minute to the next, so the baseline is the mean of a run before and a run after.
		log('first sync through the SyncEngine alone, again…');
		const againContext = await fresh();
		const again = await engineAlone(await firstPage(againContext));
		await againContext.close();
		if (again.rows !== engine.rows) throw new Error(`engine synced ${again.rows} rows`);

		// Opening the app again on the phone (CPU slowed 4×) until the quick search answers.
		log('opening the app with 50,000 customers on the device, CPU slowed 4×…');
		const opens: number[] = [];
		const shells: number[] = [];
		const firstKBs: number[] = [];
		// Each open asks for another PPPoE user: what one open read is no help to the next.
		const probe = (k: number) => seededRouterFields(ROUTER_EVERY * (7 + 13 * k)).username;
		// The same phone (its profile) in a Chromium driven over the DevTools protocol alone
		// (cdp.ts: Playwright's attachment weighed on what is timed here).
		cdp = Cdp.launch(CHROMIUM, device, CHROMIUM_ARGS);
		for (let k = 0; k < OPENS; k++) {
			// A device at rest: the last open's page is closed and gone. Back to back, tearing down a
			// page holding the 50,000 customers' index (its renderer, its database connections)
			// overlapped the next open's first 300 ms: its boot script started at 160-390 ms,
			// against 140-230 ms two seconds later, and no process was busy in those seconds.
			await sleep(OPEN_PAUSE_MS);
			const { session, target } = await cdp.newPage();
			const send = (method: string, params: Record<string, unknown> = {}) =>
				cdp!.send(method, params, session);
			await send('Runtime.enable');
			await send('Runtime.addBinding', { name: 'enlaceOpened' });
			// (The page domain on: without it the script is not run.)
			await send('Page.enable');
			await send('Page.addScriptToEvaluateOnNewDocument', { source: inPageOpen(probe(k)) });
			await send('Emulation.setDeviceMetricsOverride', {
				...PHONE,
				deviceScaleFactor: 1,
				mobile: false
			});
			await send('Emulation.setLocaleOverride', { locale: 'es-ES' });
			await send('Emulation.setCPUThrottlingRate', { rate: 4 });
			// The open traced or profiled (BENCH_TRACE_OPEN, counted from 0).
			const watched = k === Number(process.env.BENCH_TRACE_OPEN ?? 0);
			// BENCH_PROFILE=file.cpuprofile: that open's CPU profile (open it in DevTools).
			const profile = watched && process.env.BENCH_PROFILE;
			if (profile) {
				await send('Profiler.enable');
				await send('Profiler.setSamplingInterval', { interval: 100 });
				await send('Profiler.start');
			}
			// BENCH_TRACE=file.json: that open's Chrome trace (the main thread's tasks by kind:
			// parsing, compiling, evaluating, style, layout; open it in DevTools' Performance panel).
			const trace =
				watched && process.env.BENCH_TRACE
					? await cdp.startTracing([
							'devtools.timeline',
							'v8',
							'blink',
							'loading',
							'disabled-by-default-v8.compile',
							'IndexedDB'
						])
					: undefined;
			// Timed inside the page, from the start of the navigation (its time origin): the header's
			// button is clicked as soon as it is drawn, the query typed into the search box, until its
			// first result is shown.
			const opened = cdp.event<{ name: string; payload: string }>(
				'Runtime.bindingCalled',
				session,
				(e) => e.name === 'enlaceOpened'
			);
			await send('Page.navigate', { url: `${server.url}/clientes` });
			const answered = await within(60_000, opened).catch(async () => {
				// Where it stopped: the page, the search box and its text, the boot script's marks.
				const where = await cdp!.evaluate(
					session,
					`JSON.stringify([location.href, document.querySelector('dialog[open] [data-testid=quick-search-input]')?.value, performance.getEntriesByType('mark').map((m) => m.name)])`
				);
				throw new Error(`open ${k + 1}: no quick-search answer within a minute (at ${where})`);
			});
			const t = JSON.parse(answered.payload) as { shell: number; answer: number };
			opens.push(t.answer);
			shells.push(t.shell);
			// The phone's speed was for the open; what follows (the app starting, read back below)
			// runs at the machine's, or one open at 50,000 customers took minutes of the bench.
			await send('Emulation.setCPUThrottlingRate', { rate: 1 });
			if (trace && process.env.BENCH_TRACE) {
				await trace(process.env.BENCH_TRACE);
				log(`  Chrome trace of open ${k + 1} in ${process.env.BENCH_TRACE}`);
			}
			if (profile) {
				const { profile: data } = await send('Profiler.stop');
				fs.writeFileSync(profile, JSON.stringify(data));
				log(`  CPU profile of open ${k + 1} in ${profile}`);
			}
			const at = await cdp.evaluate<OpenSteps>(session, `(${openSteps})(${t.answer})`);
			firstKBs.push(at.firstKB);
			log(
				`  open ${k + 1}: page (worker/first/last byte) ${at.html} ms, scripts ${at.scripts}, ${at.firstKB.toFixed(0)} KB before the answer, ` +
					`DOMContentLoaded ${at.domContentLoaded.toFixed(0)} ms, session read ${at.session}, header ${t.shell.toFixed(0)} ms, ` +
					`index ready ${at.ready}, answer ${t.answer.toFixed(0)} ms (boot script: ${at.boot})`
			);
			// The app started once the answer was drawn: its own index reads the snapshot. The next
			// open waits for that, as a device opened again later would (closed mid-read, the work
			// went on beside the next open and slowed it by a third).
			const waitFrom = Date.now();
			let appReady = 'not within a minute';
			for (const until = Date.now() + 60_000; Date.now() < until; await sleep(200)) {
				const ready = await cdp.evaluate<string | null>(session, APP_INDEX_READY);
				if (ready) {
					appReady = ready;
					break;
				}
			}
			const saved = await cdp.evaluate<SavedState>(session, SAVED_STATE);
			log(
				`    the app's own index ready at ${appReady} (full speed after the answer), waited ${Date.now() - waitFrom} ms; snapshot rev ${saved.rev}, journal ${saved.journal}`
			);
			await cdp.send('Target.closeTarget', { targetId: target });
		}
		log(
			`  ${opens.map((ms) => ms.toFixed(0)).join(', ')} ms (header shown: ${shells.map((ms) => ms.toFixed(0)).join(', ')} ms)`
		);

		const engineRate = engine.rows / ((engine.ms + again.ms) / 2 / 1000);
		const appRate = engine.rows / (appMs / 1000);
		return {
			'sync.appRows': engine.rows,
			'sync.appSeconds': appMs / 1000,
			'sync.appRowsPerSec': appRate,
			'sync.engineRowsPerSec': engineRate,
			'sync.appFirstSyncRatio': appRate / engineRate,
			'search.readyAfterOpenMs': percentile(opens, 50),
			'search.shellAfterOpenMs': percentile(shells, 50),
			'search.scriptsBeforeAnswerKB': percentile(firstKBs, 50),
			'search.quick.p50Ms': percentile(quick.times, 50),
			'search.quick.p95Ms': percentile(quick.times, 95),
			'search.quick.buildMs': quick.buildMs,
			'search.updateOneMs': percentile(quick.updateMs, 95),
			'list.filterSort.p50Ms': percentile(quick.listMs, 50),
			'list.filterSort.p95Ms': percentile(quick.listMs, 95),
			'list.filterSortVsQuickSearch': percentile(quick.listMs, 95) / percentile(quick.times, 95)
		};
	} finally {
		await cdp?.close();
		await server.close();
		await removeProfile(tmp);
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection after `ms`. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms);
		})
	]).finally(() => clearTimeout(timer));
}

/** In the page: when the app's own index was ready (not the boot script's), or null. */
const APP_INDEX_READY = `(() => {
	const m = performance.getEntriesByName('enlace:search-ready').find((e) => e.detail !== 'boot');
	return m ? m.startTime.toFixed(0) + ' ms (' + m.detail + ')' : null;
})()`;

type OpenSteps = {
	firstKB: number;
	html: string;
	scripts: string;
	domContentLoaded: number;
	ready: string;
	session: string;
	boot: string;
};

/**
 * In the page, after an open answered at `answer` (ms): where the time went, from its own
 * timings: the page itself arriving, its scripts, the index ready (from its snapshot, or every
 * row read), the boot script's steps, and the scripts fetched before the answer.
 */
const openSteps = `(answer) => {
	const nav = performance.getEntriesByType('navigation')[0];
	const scripts = performance.getEntriesByType('resource')
		.filter((r) => r.name.endsWith('.js'))
		.sort((a, b) => a.responseEnd - b.responseEnd);
	const last = scripts[scripts.length - 1];
	const ready = performance.getEntriesByName('enlace:search-ready')[0];
	const sessionAt = performance.getEntriesByName('enlace:session-ready')[0]?.startTime;
	// The boot script's steps (app/src/boot/quick-search.ts); an answer's mark says how long it
	// took where it was read (the worker).
	const boot = performance.getEntriesByType('mark')
		.filter((m) => m.name.startsWith('enlace:boot'))
		.map((m) => m.name.slice('enlace:'.length) + ' ' + m.startTime.toFixed(0) +
			(typeof m.detail === 'string' ? ' (' + m.detail + ')' : '') +
			(m.detail?.ms !== undefined
				? ' (' + m.detail.ms.toFixed(0) + ' ms there, ' + m.detail.searchMs.toFixed(0) + ' of it searching)'
				: ''))
		.join(', ');
	// The scripts the page fetched before the answer: what the first screen loads.
	const firstKB = scripts.filter((r) => r.startTime < answer)
		.reduce((sum, r) => sum + r.decodedBodySize, 0) / 1024;
	return {
		firstKB,
		// From the navigation's start: the service worker running, the page's first and last byte.
		html: [nav.workerStart, nav.responseStart, nav.responseEnd].map((ms) => ms.toFixed(0)).join('/'),
		scripts: (last?.responseEnd ?? 0).toFixed(0) + ' ms (' + scripts.length + ', last ' +
			last?.name.split('/').slice(-2).join('/') + ')',
		domContentLoaded: nav.domContentLoadedEventEnd,
		ready: ready ? ready.startTime.toFixed(0) + ' ms (' + ready.detail + ')' : '?',
		session: sessionAt === undefined ? '?' : sessionAt.toFixed(0) + ' ms',
		boot: boot || 'not run'
	};
}`;
