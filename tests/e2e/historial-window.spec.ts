import { expect, test, type Page } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { companyProfile, invoiceDraft } from '../support/money';
import { createCustomer, device, editCustomerField, expectSynced, login } from './pages/app';

const DAY = 86_400_000;

/** How many rows of `store` the device holds with `key` (all of them without one). */
/** Rows of a store: all, the one with primary key `key`, or (`byCustomer`) a customer's. */
const count = (
	page: Page,
	store: 'history' | 'customer' | 'document',
	key?: string,
	byCustomer = false
) =>
	page.evaluate(
		async ([name, id, customer]) => {
			const open = indexedDB.open('enlace');
			const db = await new Promise<IDBDatabase>((ok, ko) => {
				open.onsuccess = () => ok(open.result);
				open.onerror = () => ko(open.error);
			});
			const os = db.transaction(name).objectStore(name);
			const n = customer
				? os.index('customerId').count(id ?? undefined)
				: os.count(id ?? undefined);
			const result = await new Promise<number>((ok) => (n.onsuccess = () => ok(n.result)));
			db.close();
			return result;
		},
		[store, key ?? null, byCustomer] as const
	);

// The device holds the last HISTORY_WINDOW_DAYS_OFFICE days (30 by default) of Historial and the
// customers it opened lately. A device whose clock is 60 days ahead prunes every line it pulls,
// so its Historial starts empty: "Cargar más" reads the customer's lines from the server, and
// offline it says so plainly.
test('Historial: older lines load online with "Cargar más"; offline it says why they do not', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, {
		name: 'Ferretería Ventana',
		taxId: '00000008P',
		phone: '600 222 333'
	});
	await editCustomerField(a.page, id, 'phone', '611 444 555');
	await expectSynced(a.page);

	const context = await browser.newContext();
	const page = await context.newPage();
	await page.clock.setFixedTime(Date.now() + 60 * DAY);
	await login(page);
	// The customer arrived; its lines, out of this device's window and of no customer it has
	// opened, were pruned (pruning ends the pull: count once the customer is here and the sync
	// that brought it is over).
	await expect.poll(() => count(page, 'customer', id), { timeout: 20_000 }).toBe(1);
	await expectSynced(page, 20_000);
	expect(await count(page, 'history')).toBe(0);

	await page.goto(`/clientes/${id}/historial`);
	const items = page.getByTestId('history-item');
	await expect(page.getByTestId('customer-name')).toHaveText('Ferretería Ventana');
	await expect(items).toHaveCount(0);

	await context.setOffline(true);
	await page.getByTestId('history-more').click();
	await expect(page.getByTestId('history-offline')).toHaveText(
		'Sin conexión: las líneas anteriores se cargan cuando haya conexión.'
	);
	await expect(items).toHaveCount(0);

	await context.setOffline(false);
	await page.getByTestId('history-more').click();
	await expect(items).toHaveCount(2);
	await expect(items.filter({ hasText: 'Cliente: Teléfono' })).toHaveCount(1);
	await expect(page.getByTestId('history-offline')).toHaveCount(0);
	await expect(page.getByTestId('history-older-done')).toHaveText('No hay líneas anteriores.');

	// The customer is pinned: the next sync keeps its old lines on the device.
	await editCustomerField(a.page, id, 'phone', '622 666 777');
	await expectSynced(a.page);
	await expect(items).toHaveCount(3);
	await page.reload();
	await expect(items).toHaveCount(3);
	await page.screenshot({ path: 'test-results/historial-window-1280.png', fullPage: true });
	await page.setViewportSize({ width: 360, height: 740 });
	await page.screenshot({ path: 'test-results/historial-window-360.png', fullPage: true });
	await context.close();
	await a.context.close();
});

// Documents are windowed too: a device holds the open ones (drafts, pending their number, unpaid)
// whatever their age and the settled ones of its window; a device 60 days ahead holds the draft
// and the unpaid invoice, and reads the issued presupuesto (an offer, no debt) with "Cargar más".
test('Documentos: open documents stay on the device, older settled ones load online', async ({
	browser
}) => {
	const a = await device(browser);
	const customer = {
		id: crypto.randomUUID(),
		isCompany: false,
		name: 'Papelería Ventana',
		taxIdType: 'nif',
		taxId: makeNif(40_000_000 + Math.floor(Math.random() * 50_000_000)),
		stateId: 'alta'
	};
	const draft = invoiceDraft(customer.id, { notes: 'Borrador abierto' });
	const unpaid = invoiceDraft(customer.id);
	const offer = invoiceDraft(customer.id, { kind: 'presupuesto' });
	const mutations = [
		{ name: 'companyProfile.save', args: companyProfile({ verifactu: false }) },
		{ name: 'customer.create', args: customer },
		...[draft, unpaid, offer].map((args) => ({ name: 'document.create', args })),
		{ name: 'document.issue', args: { id: unpaid.id } },
		{ name: 'document.issue', args: { id: offer.id } }
	].map((m) => ({ id: crypto.randomUUID(), ...m }));
	const pushed = await a.page.request.post('/api/sync/push', {
		data: { clientId: crypto.randomUUID(), mutations }
	});
	expect(JSON.stringify(await pushed.json())).not.toContain('"error"');

	const context = await browser.newContext();
	const page = await context.newPage();
	await page.clock.setFixedTime(Date.now() + 60 * DAY);
	await login(page);
	await expect.poll(() => count(page, 'customer', customer.id), { timeout: 20_000 }).toBe(1);
	await expectSynced(page, 20_000);
	// Its draft and its unpaid invoice (other specs' open documents are held too: the suite shares a server).
	expect(await count(page, 'document', customer.id, true)).toBe(2);

	await page.goto(`/clientes/${customer.id}/documentos`);
	const items = page.getByTestId('document-item');
	await expect(page.getByTestId('customer-name')).toHaveText('Papelería Ventana');
	await expect(items).toHaveCount(2);
	await expect(items.filter({ hasText: 'Borrador' })).toHaveCount(1);
	await expect(items.filter({ hasText: 'Emitida' })).toHaveCount(1);

	await context.setOffline(true);
	await page.getByTestId('documents-more').click();
	await expect(page.getByTestId('documents-offline')).toHaveText(
		'Sin conexión: los documentos anteriores se cargan cuando haya conexión.'
	);
	await expect(items).toHaveCount(2);

	await context.setOffline(false);
	await page.getByTestId('documents-more').click();
	await expect(items).toHaveCount(3);
	await expect(items.filter({ hasText: 'Presupuesto' })).toHaveCount(1);
	await expect(page.getByTestId('documents-offline')).toHaveCount(0);
	await expect(page.getByTestId('documents-older-done')).toHaveText(
		'No hay documentos anteriores.'
	);
	// The customer is pinned: a reload (and its sync) keeps the presupuesto.
	await page.reload();
	await expect(items).toHaveCount(3);
	await page.screenshot({ path: 'test-results/documentos-window-1280.png', fullPage: true });
	await page.setViewportSize({ width: 360, height: 740 });
	await page.screenshot({ path: 'test-results/documentos-window-360.png', fullPage: true });
	await context.close();
	await a.context.close();
});
