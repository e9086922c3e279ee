import { expect, test, type Page } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { createCustomer, expectSynced, login, waitForOfflineReady } from './pages/app';
import { addPool, expectJob, startLab, type Lab } from './pages/mikrotik';

/**
 * The header's quick search on a 360 px phone: a customer found by their PPPoE user opens on
 * "Info Mikrotik PPPoE", by their ONT serial on "Datos operadora", by name on the general tab;
 * keyboard-first (Ctrl+K, arrows, Enter, Esc), and it keeps working offline.
 */

let lab: Lab;

test.beforeAll(async () => {
	lab = await startLab('e2e-busqueda');
});

test.afterAll(async () => {
	await lab?.stop();
});

const run = Date.now().toString(36);
const nif = () => makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000));

async function quickSearch(page: Page, text: string) {
	await page.getByTestId('quick-search-open').click();
	const input = page.getByTestId('quick-search-input');
	await expect(input).toBeFocused();
	await input.fill(text);
	return page.getByTestId('quick-search-results');
}

/** The index's snapshot, saved when the tab is hidden, holds `name` (the boot script reads it). */
async function snapshotHolds(page: Page, name: string) {
	await page.evaluate(() => {
		Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
		document.dispatchEvent(new Event('visibilitychange'));
	});
	await expect
		.poll(() =>
			page.evaluate(
				() =>
					new Promise<string>((resolve) => {
						const open = indexedDB.open('enlace-search');
						open.onsuccess = () => {
							const get = open.result
								.transaction('snapshot')
								.objectStore('snapshot')
								.get('search.haystacks');
							get.onsuccess = () => {
								open.result.close();
								resolve(
									String((get.result as { value?: { haystack?: string } })?.value?.haystack ?? '')
								);
							};
						};
					})
			)
		)
		.toContain(name.toLowerCase());
}

test('quick search finds by PPPoE user and ONT serial and opens the matching tab (360 px)', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	await login(page);

	// One customer with a PPPoE account (its router needs a pool), another with an ONT serial.
	await page.goto('/configuracion/routers');
	await addPool(page, lab.routerName, {
		name: 'pool-busqueda',
		ranges: '100.64.20.2-100.64.20.254'
	});
	const pppoeId = await createCustomer(page, { name: `Búsqueda PPPoE ${run}`, taxId: nif() });
	await page.goto(`/clientes/${pppoeId}/mikrotik`);
	const tab = page.getByTestId('mikrotik-tab');
	const username = `qs-${run}`;
	await tab.getByTestId('pppoe-username').fill(username);
	await tab.getByTestId('pppoe-router').selectOption({ label: lab.routerName });
	await tab.getByTestId('generate-password').click();
	await tab.getByTestId('pppoe-save').click();
	await expectJob(page, 'secret.ensure', 'done');

	const ontId = await createCustomer(page, { name: `Búsqueda ONT ${run}`, taxId: nif() });
	await page.goto(`/clientes/${ontId}/operadora`);
	const serial = `ZTEG${run.toUpperCase()}`;
	await page.getByTestId('operator-form').locator('input[name=ontSerial]').fill(serial);
	await page.getByTestId('save-operator').click();
	await expect(page.getByTestId('save-operator')).toBeDisabled();
	await expectSynced(page);
	await page.goto('/clientes');
	// The app's header, not the boot shell's copy (drawn first, removed when the app runs).
	await expect(page.locator('header[data-boot]')).toHaveCount(0);

	// The search button is a 44 px target in the phone's header.
	const box = (await page.getByTestId('quick-search-open').boundingBox())!;
	expect(box.height).toBeGreaterThanOrEqual(44);
	expect(box.x + box.width).toBeLessThanOrEqual(360);

	// PPPoE user → Info Mikrotik PPPoE.
	let results = await quickSearch(page, username);
	await expect(results.locator('li')).toHaveCount(1);
	await expect(results.getByTestId('quick-search-tab')).toHaveText('Info Mikrotik PPPoE');
	await page.keyboard.press('Enter');
	await page.waitForURL(`**/clientes/${pppoeId}/mikrotik`);
	await expect(page.getByTestId('quick-search')).toBeHidden();

	// ONT serial (as typed in lower case) → Datos operadora.
	results = await quickSearch(page, serial.toLowerCase());
	await expect(results.locator('li')).toHaveCount(1);
	await expect(results.getByTestId('quick-search-tab')).toHaveText('Datos operadora');
	await page.keyboard.press('Enter');
	await page.waitForURL(`**/clientes/${ontId}/operadora`);

	// By name: both, the general tab; ↓ then Enter opens the second; Esc closes without moving.
	results = await quickSearch(page, `busqueda ${run}`);
	await expect(results.locator('li')).toHaveCount(2);
	await expect(results.getByTestId('quick-search-tab')).toHaveCount(0);
	await page.keyboard.press('ArrowDown');
	await expect(results.locator('li').nth(1)).toHaveAttribute('aria-selected', 'true');
	await page.screenshot({ path: test.info().outputPath('quick-search-360.png') });
	await page.keyboard.press('Enter');
	await page.waitForURL(`**/clientes/${pppoeId}/general`);
	await page.keyboard.press('Control+k');
	await expect(page.getByTestId('quick-search-input')).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('quick-search')).toBeHidden();
	expect(page.url()).toContain(`/clientes/${pppoeId}/general`);

	// Offline, after a reload: the index comes from the device.
	await waitForOfflineReady(page);
	await context.setOffline(true);
	await page.reload();
	results = await quickSearch(page, username);
	await expect(results.locator('li')).toHaveCount(1);
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.screenshot({ path: test.info().outputPath('quick-search-1280.png') });
	await context.setOffline(false);
	await context.close();
});

test('before the app has loaded, the boot shell draws the header and its quick search answers from the device (360 px)', async ({
	browser
}) => {
	test.setTimeout(90_000);
	// No service worker: the app's scripts must go through page.route to be held back.
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		serviceWorkers: 'block'
	});
	const page = await context.newPage();
	await login(page);
	const name = `Arranque ${run}`;
	const id = await createCustomer(page, { name, taxId: nif() });
	await page.goto('/clientes');
	await expectSynced(page);
	await snapshotHolds(page, name);

	// The app's entry script held back: what shows is the boot script's.
	let release = () => undefined as void;
	const held = new Promise<void>((r) => (release = r));
	await page.route(/\/_app\/immutable\/entry\/app\.[^/]+\.js$/, async (route) => {
		await held;
		await route.continue();
	});
	// The head's links are the boot script's to write (app/src/boot/page.ts), and the app's start
	// waits for it.
	const html = await (await page.request.get('/clientes')).text();
	// (The first screen's stylesheets are inlined; SvelteKit leaves disabled links to them.)
	expect(html).not.toMatch(/rel="(modulepreload|stylesheet)">/);
	expect(html).toMatch(/<style>/);
	expect(html).toContain('enlaceAppMayStart');
	await page.goto('/clientes');
	const header = page.locator('header[data-boot]');
	await expect(header).toBeVisible();
	// Styled by the stylesheets it wrote back: the header's own colours, not the browser's.
	await expect(header).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
	await expect
		.poll(() => page.evaluate(() => document.querySelectorAll('link[rel=modulepreload]').length))
		.toBeGreaterThan(5);
	// Only its search answers: nothing else of the copy carries the app's test ids.
	await expect(header.locator('[data-testid]')).toHaveCount(1);
	// Too short for the snapshot's postings to narrow: every haystack is read.
	const results = await quickSearch(page, 'a');
	await expect(results.locator('li').first()).toBeVisible();
	// Narrowed by its words' trigrams: only their candidates' haystacks are read.
	await page.getByTestId('quick-search-input').fill(`arranque ${run}`);
	await expect(results.locator('li')).toHaveCount(1);
	await expect(results.locator('li .name')).toHaveText(name);
	const answers = await page.evaluate(() =>
		performance
			.getEntriesByType('mark')
			.map((m) => m.name)
			.filter((m) => m.startsWith('enlace:boot-answer'))
	);
	expect(answers).toEqual(['enlace:boot-answer-haystacks', 'enlace:boot-answer-postings']);
	// Read by the boot script's worker, off the page's main thread.
	expect(
		await page.evaluate(
			() =>
				(
					performance.getEntriesByName('enlace:boot-snapshot-read')[0] as
						PerformanceMark | undefined
				)?.detail
		)
	).toBe('worker');
	await page.screenshot({ path: test.info().outputPath('boot-search-360.png') });
	// A pick before the app runs is followed once it does.
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('quick-search')).toHaveCount(0);
	expect(page.url()).toMatch(/\/clientes$/);
	release();
	await page.waitForURL(`**/clientes/${id}/general`);
	await expect(header).toHaveCount(0);
	await expect(page.getByTestId('quick-search-open')).toHaveCount(1);
	await context.close();
});

test('on a device the service worker serves, it answers the boot search: no worker to start (360 px)', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const context = await browser.newContext({
		viewport: { width: 360, height: 740 },
		serviceWorkers: 'allow'
	});
	// The app's start held back once asked (page.route does not see what the service worker
	// serves): the promise SvelteKit's start waits for (app/src/boot/page.ts) waits for the test.
	await context.addInitScript(() => {
		const w = window as unknown as Record<string, unknown>;
		// A service worker of another build, which does not answer: the boot search's messages
		// to it are dropped.
		if (sessionStorage.getItem('mute-sw') === 'yes') {
			const post = ServiceWorker.prototype.postMessage;
			ServiceWorker.prototype.postMessage = function (this: ServiceWorker, ...args: unknown[]) {
				if ((args[0] as Record<string, unknown> | null)?.enlaceBootSearch) return;
				return (post as (...a: unknown[]) => void).apply(this, args);
			};
		}
		// Typed as soon as the boot header's search button is there, as a user quick on the keys.
		const typeNow = sessionStorage.getItem('type-now');
		if (typeNow) {
			const watch = new MutationObserver(() => {
				const open = document.querySelector<HTMLElement>(
					'header[data-boot] [data-testid=quick-search-open]'
				);
				if (!open) return;
				watch.disconnect();
				open.click();
				const input = document.querySelector<HTMLInputElement>(
					'dialog[open] [data-testid=quick-search-input]'
				)!;
				input.value = typeNow;
				input.dispatchEvent(new Event('input', { bubbles: true }));
				w.typedAt = performance.now();
			});
			watch.observe(document, { childList: true, subtree: true });
		}
		if (sessionStorage.getItem('hold-app') !== 'yes') return;
		const held = new Promise((resolve) => (w.enlaceReleaseApp = resolve));
		let gate: Promise<unknown> | undefined;
		Object.defineProperty(window, 'enlaceAppMayStart', {
			configurable: true,
			get: () => gate,
			set: (p: Promise<unknown>) => void (gate = Promise.all([p, held]))
		});
	});
	const page = await context.newPage();
	await login(page);
	const name = `Servicio ${run}`;
	const id = await createCustomer(page, { name, taxId: nif() });
	await page.goto('/clientes');
	await expectSynced(page);
	await waitForOfflineReady(page);
	await snapshotHolds(page, name);

	await page.evaluate(() => sessionStorage.setItem('hold-app', 'yes'));
	await page.goto('/clientes');
	const header = page.locator('header[data-boot]');
	await expect(header).toBeVisible();
	const results = await quickSearch(page, `servicio ${run}`);
	await expect(results.locator('li')).toHaveCount(1);
	await expect(results.locator('li .name')).toHaveText(name);
	expect(
		await page.evaluate(() =>
			performance
				.getEntriesByType('mark')
				.filter((m) => m.name === 'enlace:boot-snapshot-read')
				.map((m) => (m as PerformanceMark).detail)
		)
	).toEqual(['service-worker']);
	// The app held until now: released, it takes the pick.
	await page.keyboard.press('Enter');
	await page.evaluate(() => (window as unknown as { enlaceReleaseApp(): void }).enlaceReleaseApp());
	await page.waitForURL(`**/clientes/${id}/general`);
	await expect(header).toHaveCount(0);

	// A service worker that does not answer (one of another build): a question asked before the
	// page stops waiting for it goes to the page's own worker, which answers it.
	await page.evaluate((text) => {
		sessionStorage.setItem('mute-sw', 'yes');
		sessionStorage.setItem('type-now', text);
	}, `servicio ${run}`);
	await page.goto('/clientes');
	const answered = page.locator('dialog[open] [data-testid=quick-search-results] li');
	await expect(answered).toHaveCount(1);
	await expect(answered.locator('.name')).toHaveText(name);
	const read = await page.evaluate(() => ({
		typedAt: (window as unknown as { typedAt: number }).typedAt,
		marks: performance
			.getEntriesByType('mark')
			.filter((m) => m.name === 'enlace:boot-snapshot-read')
			.map((m) => ({ at: m.startTime, by: (m as PerformanceMark).detail as string }))
	}));
	expect(read.marks.map((m) => m.by)).toEqual(['worker']);
	expect(read.typedAt).toBeLessThan(read.marks[0].at);
	await context.close();
});
