import { expect, test } from '@playwright/test';
import { login, waitForOfflineReady } from './pages/app';

test('the app is installable: manifest with icons, and a service worker that serves the shell', async ({
	page,
	request
}) => {
	const manifest = await (await request.get('/manifest.webmanifest')).json();
	expect(manifest.display).toBe('standalone');
	expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(
		expect.arrayContaining(['192x192', '512x512'])
	);
	for (const icon of manifest.icons) expect((await request.get(icon.src)).status()).toBe(200);

	// Not installed before the device's first sync (it would compete with it), then at once.
	await page.goto('/login');
	await page.waitForTimeout(1000);
	expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations())).toHaveLength(0);
	await login(page);
	// The app adds the manifest's link once it runs (not in app.html: see +layout.svelte).
	await expect(page.locator('head link[rel=manifest]')).toHaveAttribute(
		'href',
		'/manifest.webmanifest'
	);
	const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
	expect(scope).toMatch(/\/$/);
	await expect(page.getByTestId('offline-ready')).toBeVisible();
	await page.reload();
	await page.context().setOffline(true);
	await page.goto('/login');
	await expect(page.locator('input[name=email]')).toBeVisible();
	await page.goto('/clientes');
	await expect(page.getByTestId('customer-count')).toContainText('clientes');
	await page.context().setOffline(false);
});

test('a browser whose first page is a deep link gets the service worker from the root, and reloads offline', async ({
	browser
}) => {
	const context = await browser.newContext();
	// Sign-in goes through /login, which would register the worker from the root by itself: keep
	// it from registering there, so the first registration is the deep link's own.
	await context.addInitScript(() => {
		if (location.pathname === '/login') {
			navigator.serviceWorker.register = () => Promise.reject(new Error('not on /login'));
		}
	});
	const page = await context.newPage();
	await login(page);
	expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations())).toHaveLength(0);

	await page.goto('/clientes/nuevo');
	// `ready` never settles when the registration failed: give up after a while, with a message.
	const registration = await page.evaluate(async () => {
		const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, 20_000));
		const r = await Promise.race([navigator.serviceWorker.ready, timeout]);
		return r && { scope: r.scope, script: r.active?.scriptURL };
	});
	expect(registration, 'no service worker registered from the deep link').toBeTruthy();
	expect(new URL(registration!.scope).pathname).toBe('/');
	expect(new URL(String(registration!.script)).pathname).toBe('/sw.js');
	await waitForOfflineReady(page);
	await expect(page.getByTestId('customer-form')).toBeVisible();

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('customer-form')).toBeVisible();
	expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	await context.close();
});
