import { expect, test } from '@playwright/test';

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

	await page.goto('/login');
	const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
	expect(scope).toMatch(/\/$/);
	await page.reload();
	await page.context().setOffline(true);
	await page.reload();
	await expect(page.locator('input[name=email]')).toBeVisible();
	await page.context().setOffline(false);
});
