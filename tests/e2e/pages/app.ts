import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN } from '../../playwright.config';

/** A signed-in device: its own browser context (own IndexedDB, own service worker). */
export async function device(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page);
	return { context, page };
}

export async function login(page: Page, who = ADMIN) {
	await page.goto('/login');
	await page.fill('input[name=email]', who.email);
	await page.fill('input[name=password]', who.password);
	await page.click('button[type=submit]');
	await page.waitForURL('**/clientes');
	// The first pull of a fresh device grows with the suite's shared server.
	await expectSynced(page, 60_000);
}

/**
 * The sync badge says everything is on the server: a sync has completed on this device (before
 * its first one the badge is idle too, with nothing pulled yet) and nothing waits to be pushed.
 */
export async function expectSynced(page: Page, timeout = 10_000) {
	const badge = page.getByTestId('sync-badge');
	await expect(badge).not.toHaveAttribute('data-last-sync', '', { timeout });
	await expect(badge).toHaveAttribute('data-phase', 'idle', { timeout });
	await expect(badge).toHaveAttribute('data-pending', '0', { timeout });
}

/**
 * Ready to lose the signal: the service worker controls the page, so a reload works with the
 * network off, and the device has pulled everything once (on the suite's shared server, grown by
 * every spec before, a first sync can outlast the reload; going offline before it ends leaves the
 * device without the catalogue the test then picks from).
 */
export async function waitForOfflineReady(page: Page) {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	// The first install does not control the page that registered it; one reload fixes that.
	await page.reload();
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	await expectSynced(page, 60_000);
}

/**
 * The signal comes back. Chromium's network emulation leaves `navigator.onLine` true in a page
 * loaded while offline (a reload served by the service worker), so it never fires the `online`
 * event a phone fires when it finds coverage; the page is told here, as a real browser would tell it.
 */
export async function backOnline(context: BrowserContext, page: Page) {
	await context.setOffline(false);
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
}

export type NewCustomer = {
	name: string;
	taxIdType?: string;
	taxId: string;
	phone?: string;
	email?: string;
};

export async function createCustomer(page: Page, c: NewCustomer): Promise<string> {
	await page.goto('/clientes/nuevo');
	const form = page.getByTestId('customer-form');
	await form.locator('input[name=name]').fill(c.name);
	if (c.taxIdType) await form.locator('select[name=taxIdType]').selectOption(c.taxIdType);
	await form.locator('input[name=taxId]').fill(c.taxId);
	if (c.phone) await form.locator('input[name=phone]').fill(c.phone);
	if (c.email) await form.locator('input[name=email]').fill(c.email);
	await page.getByTestId('save-customer').click();
	await page.waitForURL(/\/clientes\/[0-9a-f-]{36}\/general$/);
	return page.url().split('/').at(-2)!;
}

export type NewAddress = {
	label?: string;
	street: string;
	postalCode?: string;
	town?: string;
	province?: string;
};

export async function addAddress(page: Page, a: NewAddress) {
	await page.getByTestId('add-address').click();
	const form = page.getByTestId('address-form');
	if (a.label) await form.locator('select[name=label]').selectOption(a.label);
	await form.locator('input[name=street]').fill(a.street);
	if (a.postalCode) await form.locator('input[name=postalCode]').fill(a.postalCode);
	if (a.town) await form.locator('input[name=town]').fill(a.town);
	if (a.province) await form.locator('input[name=province]').fill(a.province);
	await page.getByTestId('save-address').click();
	await expect(form).toHaveCount(0);
}

export type NewContact = { name: string; phone?: string; email?: string; comment?: string };

export async function addContact(page: Page, c: NewContact) {
	await page.getByTestId('add-contact').click();
	const form = page.getByTestId('contact-form');
	await form.locator('input[name=name]').fill(c.name);
	if (c.phone) await form.locator('input[name=phone]').fill(c.phone);
	if (c.email) await form.locator('input[name=email]').fill(c.email);
	if (c.comment) await form.locator('textarea[name=comment]').fill(c.comment);
	await page.getByTestId('save-contact').click();
	await expect(form).toHaveCount(0);
}

export async function editCustomerField(
	page: Page,
	customerId: string,
	name: string,
	value: string
) {
	if (!page.url().endsWith(`/clientes/${customerId}/general`))
		await page.goto(`/clientes/${customerId}/general`);
	const input = page.getByTestId('customer-form').locator(`[name=${name}]`);
	await input.fill(value);
	await page.getByTestId('save-customer').click();
	await expect(page.getByTestId('save-customer')).toBeDisabled();
}

/** A new user of `role`, made by the signed-in admin of `page`, signed in on a phone of their own. */
export async function userOnPhone(
	browser: Browser,
	page: Page,
	role: 'office' | 'technician',
	name: string,
	viewport = { width: 360, height: 740 }
): Promise<{ context: BrowserContext; page: Page }> {
	const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
	const user = {
		email: `${slug}-${Date.now()}@enlace.test`,
		name,
		role,
		password: `${slug}-password-1`
	};
	expect((await page.request.post('/api/users', { data: user })).status()).toBe(201);
	const context = await browser.newContext({ viewport, hasTouch: true });
	const phone = await context.newPage();
	await login(phone, user);
	return { context, page: phone };
}
