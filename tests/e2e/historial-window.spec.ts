import { expect, test } from '@playwright/test';
import { createCustomer, device, editCustomerField, expectSynced, login } from './pages/app';

const DAY = 86_400_000;

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
	/** How many rows of `store` the device holds with `key` (all of them without one). */
	const count = (store: 'history' | 'customer', key?: string) =>
		page.evaluate(
			async ([name, id]) => {
				const open = indexedDB.open('enlace');
				const db = await new Promise<IDBDatabase>((ok, ko) => {
					open.onsuccess = () => ok(open.result);
					open.onerror = () => ko(open.error);
				});
				const n = db
					.transaction(name)
					.objectStore(name)
					.count(id ?? undefined);
				const result = await new Promise<number>((ok) => (n.onsuccess = () => ok(n.result)));
				db.close();
				return result;
			},
			[store, key ?? null] as const
		);
	await expect.poll(() => count('customer', id), { timeout: 20_000 }).toBe(1);
	await expectSynced(page, 20_000);
	expect(await count('history')).toBe(0);

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
