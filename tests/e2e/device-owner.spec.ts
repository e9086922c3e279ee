import { expect, test, type Page } from '@playwright/test';
import {
	createCustomer,
	device,
	editCustomerField,
	expectSynced,
	login,
	waitForOfflineReady
} from './pages/app';

// A device holds only what its current user may see: another user signing in on the same
// browser profile finds none of the previous user's rows, queued work or drafts, and nothing of
// theirs is pushed under the new session; a demoted user's device drops the bank rows it held.

const IBAN = 'ES9121000418450200051332';
const BIC_OFFLINE = 'CAIXESBBXXX';
const ref = (tag: string) => `E2E-${tag}-${Date.now().toString(36).toUpperCase()}`;

/** Every row of each named store of this page's IndexedDB, read directly (not through the app). */
const localRows = (page: Page, stores: string[]) =>
	page.evaluate(
		(names) =>
			new Promise<Record<string, Record<string, unknown>[]>>((resolve, reject) => {
				const open = indexedDB.open('enlace');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const out: Record<string, Record<string, unknown>[]> = {};
					const tx = open.result.transaction(names);
					for (const n of names) {
						const req = tx.objectStore(n).getAll();
						req.onsuccess = () => (out[n] = req.result as Record<string, unknown>[]);
					}
					tx.oncomplete = () => {
						open.result.close();
						resolve(out);
					};
				};
			}),
		stores
	);

async function makeUser(admin: Page, role: 'office' | 'technician', name: string) {
	const user = {
		email: `${role}-${Date.now().toString(36)}@enlace.test`,
		name,
		role,
		password: `${role}-password-1`
	};
	const made = await admin.request.post('/api/users', { data: user });
	expect(made.status()).toBe(201);
	return { ...user, id: (await made.json()).user.id as string };
}

/** A customer with one SEPA payment method, made by the admin and synced. */
async function customerWithBank(admin: Page, name: string, taxId: string) {
	const id = await createCustomer(admin, { name, taxId });
	await admin.goto(`/clientes/${id}/financieros`);
	await admin.getByTestId('add-payment-method').click();
	const form = admin.getByTestId('payment-form');
	await form.locator('input[name=iban]').fill(IBAN);
	await form.locator('input[name=mandateReference]').fill(ref('OWN'));
	await admin.getByTestId('save-payment').click();
	await expect(form).toHaveCount(0);
	await expectSynced(admin);
	return id;
}

/** The server's rows of one entity, as the admin pulls them. */
async function serverRows(admin: Page, entity: string) {
	const rows: Record<string, unknown>[] = [];
	let since = 0;
	for (;;) {
		const r = await admin.request.get(`/api/sync/pull?since=${since}&limit=10000`);
		const page = await r.json();
		for (const c of page.changes) if (c.entity === entity && c.op === 'put') rows.push(c.data);
		since = page.seq;
		if (!page.more) return rows;
	}
}

test("another user signing in never sees the previous user's data nor pushes their work", async ({
	browser
}) => {
	const admin = await device(browser);
	const id = await customerWithBank(admin.page, 'Cliente Del Tablet', '00000011B');
	const office = await makeUser(admin.page, 'office', 'Olga Oficina');
	const tech = await makeUser(admin.page, 'technician', 'Tomás Técnico');

	// One browser profile, shared by both people.
	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, office);
	await waitForOfflineReady(page);
	await page.goto(`/clientes/${id}/financieros`);
	await expect(page.getByTestId('pm-iban')).toBeVisible();

	// Offline: an edit of the payment method, one of the customer, and a draft left in a form.
	await context.setOffline(true);
	const item = page.getByTestId('payment-method-item').first();
	await item.getByRole('button', { name: 'Editar' }).click();
	await page.getByTestId('payment-form').locator('input[name=bic]').fill(BIC_OFFLINE);
	await page.getByTestId('save-payment').click();
	await expect(page.getByTestId('payment-form')).toHaveCount(0);
	await page.goto(`/clientes/${id}/general`);
	await editCustomerField(page, id, 'name', 'Nombre Puesto Sin Red');
	await page.evaluate(() => localStorage.setItem('enlace-draft:nota', '"ES91 a medio escribir"'));
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '2');

	// Olga signs out (the server cannot hear it), the network comes back, Tomás signs in.
	await page.getByRole('button', { name: 'Menú de usuario' }).click();
	await page.getByRole('button', { name: 'Cerrar sesión' }).click();
	await page.waitForURL('**/login');
	await context.setOffline(false);
	await page.fill('input[name=email]', tech.email);
	await page.fill('input[name=password]', tech.password);
	await page.click('button[type=submit]');
	const dialog = page.getByTestId('discard-other-user');
	await expect(dialog).toBeVisible();
	// Two queued changes and one draft, by name.
	await expect(dialog).toContainText('3 cambios de Olga Oficina');
	await dialog.getByRole('button', { name: 'Descartarlos y entrar' }).click();
	await page.waitForURL('**/clientes');
	// The badge can read idle before the device's first pull as Tomás has begun: the customer
	// arriving is the sign that it has.
	await expect
		.poll(async () => (await localRows(page, ['customer'])).customer.some((c) => c.id === id), {
			timeout: 15_000
		})
		.toBe(true);
	await expectSynced(page);

	const local = await localRows(page, [
		'paymentMethod',
		'company',
		'history',
		'outbox',
		'rejected',
		'shadow',
		'customer'
	]);
	expect(local.paymentMethod).toEqual([]);
	expect(local.company).toEqual([]);
	expect(
		local.history.filter((h) => h.entity === 'paymentMethod' || h.entity === 'company')
	).toEqual([]);
	expect(local.outbox).toEqual([]);
	expect(local.rejected).toEqual([]);
	expect(local.shadow).toEqual([]);
	expect(JSON.stringify(local)).not.toContain(IBAN);
	expect(JSON.stringify(local)).not.toContain('Nombre Puesto Sin Red');
	expect(local.customer.find((c) => c.id === id)?.name).toBe('Cliente Del Tablet');
	expect(
		await page.evaluate(() =>
			Object.keys(localStorage).filter((k) => k.startsWith('enlace-draft:'))
		)
	).toEqual([]);

	// On the server nothing of Olga's was applied, under anyone's name.
	const pm = (await serverRows(admin.page, 'paymentMethod')).find((p) => p.customerId === id);
	expect(pm?.bic ?? null).toBeNull();
	const customer = (await serverRows(admin.page, 'customer')).find((c) => c.id === id);
	expect(customer?.name).toBe('Cliente Del Tablet');
	const byTech = (await serverRows(admin.page, 'history')).filter(
		(h) => h.userId === tech.id || h.userId === office.id
	);
	expect(byTech).toEqual([]);

	await context.close();
	await admin.context.close();
});

test('a user demoted to technician loses the bank rows the device held', async ({ browser }) => {
	const admin = await device(browser);
	const id = await customerWithBank(admin.page, 'Cliente Del Degradado', '00000012N');
	const office = await makeUser(admin.page, 'office', 'Olga Degradada');

	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, office);
	await page.goto(`/clientes/${id}/financieros`);
	await expect(page.getByTestId('pm-iban')).toBeVisible();
	expect((await localRows(page, ['paymentMethod'])).paymentMethod.length).toBeGreaterThan(0);

	const demoted = await admin.page.request.patch(`/api/users/${office.id}`, {
		data: { role: 'technician' }
	});
	expect(demoted.status()).toBe(200);
	// Any change on the server wakes the device; its next pull finds another access and resets.
	await admin.page.goto(`/clientes/${id}/general`);
	await editCustomerField(admin.page, id, 'phone', '600111222');
	await expectSynced(admin.page);

	await expect
		.poll(async () => (await localRows(page, ['paymentMethod'])).paymentMethod.length)
		.toBe(0);
	const history = (await localRows(page, ['history'])).history;
	expect(history.filter((h) => h.entity === 'paymentMethod')).toEqual([]);
	// The device learnt the role: the tab now says bank data is not on this profile.
	await expect(page.getByTestId('finance-not-available')).toBeVisible();
	await expect(page.getByTestId('customer-name')).toHaveText('Cliente Del Degradado');

	await context.close();
	await admin.context.close();
});
