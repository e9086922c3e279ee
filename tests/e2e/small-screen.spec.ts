import { expect, test, type Locator, type Page } from '@playwright/test';
import { createCustomer, login } from './pages/app';

/**
 * A 360 px phone (the smallest screen Enlace supports): the header's touch targets, the sync
 * panel and the avatar stay on the screen, and the "ready to work without network" note covers
 * no field. Boxes are measured in real Chromium.
 */

const PHONE = { width: 360, height: 740 };
const TOUCH = 44;

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
const nif = (n: number) => `${String(n).padStart(8, '0')}${DNI_LETTERS[n % 23]}`;

async function box(l: Locator) {
	const b = await l.boundingBox();
	expect(b, 'element has a box').not.toBeNull();
	return b!;
}

async function expectInside(l: Locator, viewport: { width: number; height: number }) {
	const b = await box(l);
	expect(b.x).toBeGreaterThanOrEqual(0);
	expect(b.y).toBeGreaterThanOrEqual(0);
	expect(b.x + b.width).toBeLessThanOrEqual(viewport.width);
	expect(b.y + b.height).toBeLessThanOrEqual(viewport.height);
}

/**
 * The visible controls of the page below the header that `l` overlaps (over the header's own, a
 * tap on the note's text goes through to them).
 */
async function coveredControls(page: Page, l: Locator): Promise<string[]> {
	const b = await box(l);
	return page.evaluate(
		({ x, y, width, height }) =>
			[...document.querySelectorAll('input, select, textarea, button, a[href]')]
				.filter((el) => !el.closest('[data-testid=offline-ready]') && !el.closest('header'))
				.filter((el) => {
					const r = el.getBoundingClientRect();
					if (!r.width || !r.height) return false;
					return r.x < x + width && x < r.right && r.y < y + height && y < r.bottom;
				})
				.map((el) => el.outerHTML.slice(0, 80)),
		b
	);
}

test('at 360 px the header fits: 44 px targets, the avatar and the sync panel on screen', async ({
	browser
}) => {
	const context = await browser.newContext({ viewport: PHONE });
	const page = await context.newPage();

	// First sign-in: once the device has synced the service worker installs and says so, over
	// the header, not over a field.
	await login(page);
	const ready = page.getByTestId('offline-ready');
	await expect(ready).toBeVisible({ timeout: 15_000 });
	await expect(ready).toContainText('sin red');
	expect(await coveredControls(page, ready)).toEqual([]);
	expect((await box(ready)).y + (await box(ready)).height).toBeLessThanOrEqual(56);
	await expectInside(ready, PHONE);
	const close = ready.getByRole('button', { name: 'Cerrar' });
	expect((await box(close)).width).toBeGreaterThanOrEqual(TOUCH);
	await close.click();
	await expect(ready).toHaveCount(0);

	const header = page.locator('header.top');
	const targets = [
		header.getByTestId('nav-clientes'),
		header.getByTestId('nav-oportunidades'),
		header.getByTestId('nav-routers'),
		header.getByTestId('nav-configuracion'),
		header.getByTestId('quick-search-open'),
		page.getByTestId('sync-badge'),
		page.getByRole('button', { name: 'Menú de usuario' })
	];
	for (const target of targets) {
		const b = await box(target);
		expect(
			b.width,
			await target.evaluate((el) => el.outerHTML.slice(0, 60))
		).toBeGreaterThanOrEqual(TOUCH);
		expect(b.height).toBeGreaterThanOrEqual(TOUCH);
		await expectInside(target, PHONE);
	}
	// The desk sections leave the bar on a phone and wait in the user menu.
	for (const desk of ['facturacion', 'remesas', 'correo']) {
		await expect(header.getByTestId(`nav-${desk}`)).toBeHidden();
	}
	await page.getByRole('button', { name: 'Menú de usuario' }).click();
	for (const desk of ['facturacion', 'remesas', 'correo']) {
		await expectInside(page.getByTestId(`menu-${desk}`), PHONE);
	}
	await page.getByRole('button', { name: 'Menú de usuario' }).click();

	// Work without network: a customer waits to be sent, the badge grows a count.
	await context.setOffline(true);
	await createCustomer(page, {
		name: 'Teresa Molina Ruiz',
		taxId: nif(30_000_000 + Math.floor(Math.random() * 60_000_000))
	});
	await expect(page.getByTestId('pending-count')).toBeVisible();
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-phase', 'offline');
	for (const target of targets) await expectInside(target, PHONE);

	await page.getByTestId('sync-badge').click();
	const panel = page.getByRole('dialog', { name: 'Sincronización' });
	await expect(panel).toBeVisible();
	await expect(panel).toContainText('Trabajando sin red');
	await expectInside(panel, PHONE);

	await context.setOffline(false);
	await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 15_000 });
	await context.close();
});

test('at 1280 px the sync panel opens under its badge, inside the window', async ({ browser }) => {
	const viewport = { width: 1280, height: 800 };
	const context = await browser.newContext({ viewport });
	const page = await context.newPage();
	await login(page);
	const badge = page.getByTestId('sync-badge');
	await expect(badge).toContainText('Sincronizado');
	await badge.click();
	const panel = page.getByRole('dialog', { name: 'Sincronización' });
	await expectInside(panel, viewport);
	const [b, p] = [await box(badge), await box(panel)];
	expect(p.y).toBeGreaterThan(b.y + b.height);
	expect(p.x + p.width).toBeCloseTo(b.x + b.width, 0);
	await context.close();
});
