import { expect, test, type Page } from '@playwright/test';
import { companyProfile } from '../support/money';
import { createCustomer, device, expectSynced, login } from './pages/app';

async function addMovement(
	page: Page,
	m: { direction: 'in' | 'out'; amount: string; concept: string }
) {
	await page.getByTestId('add-wallet-entry').click();
	const form = page.getByTestId('wallet-form');
	await form.locator('select[name=direction]').selectOption(m.direction);
	await form.locator('input[name=amountCents]').fill(m.amount);
	await form.locator('input[name=concept]').fill(m.concept);
	await page.getByTestId('save-wallet-entry').click();
}

const walletTab = (page: Page) => page.locator('#tab-monedero');

test('Monedero: the balance on the tab; two devices spend the same money offline, one is refused with the reason', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, { name: 'Ferretería Saldo Justo', taxId: '00000006Y' });
	await a.page.goto(`/clientes/${id}/monedero`);
	await expect(walletTab(a.page)).toHaveText('Monedero (0,00\u00a0€)');

	// Bad input: said on the field, nothing queued; the date defaults to today.
	await a.page.getByTestId('add-wallet-entry').click();
	const form = a.page.getByTestId('wallet-form');
	await expect(form.locator('input[name=date]')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
	await form.locator('input[name=amountCents]').fill('12,345');
	await a.page.getByTestId('save-wallet-entry').click();
	await expect(form).toContainText('Indique el concepto');
	await expect(form.locator('.field.invalid')).toHaveCount(2);
	await a.page.getByRole('button', { name: 'Cancelar' }).click();

	await addMovement(a.page, { direction: 'in', amount: '25', concept: 'Ingreso en efectivo' });
	await expect(walletTab(a.page)).toHaveText('Monedero (25,00\u00a0€)');
	await expect(a.page.getByTestId('wallet-balance')).toHaveText('25,00\u00a0€');
	await expectSynced(a.page);

	// A spend above the balance this device knows is refused on the field, before any sync.
	await addMovement(a.page, { direction: 'out', amount: '30', concept: 'Demasiado' });
	await expect(a.page.getByTestId('wallet-form')).toContainText(
		'Saldo insuficiente: el monedero tiene 25,00\u00a0€'
	);
	await a.page.getByRole('button', { name: 'Cancelar' }).click();

	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/monedero`);
	await expect(walletTab(b.page)).toHaveText('Monedero (25,00\u00a0€)');

	// Both offline, both spend the same 20 €: each device believes it has the money.
	await a.context.setOffline(true);
	await b.context.setOffline(true);
	await addMovement(a.page, { direction: 'out', amount: '20', concept: 'Pago factura F26-0101' });
	await addMovement(b.page, { direction: 'out', amount: '20', concept: 'Pago factura F26-0102' });
	await expect(walletTab(a.page)).toHaveText('Monedero (5,00\u00a0€)');
	await expect(walletTab(b.page)).toHaveText('Monedero (5,00\u00a0€)');

	await a.context.setOffline(false);
	await expectSynced(a.page);
	await b.context.setOffline(false);

	// B's spend arrives second: refused with the reason, shown in the tab and the sync panel.
	const refused = b.page.getByTestId('wallet-refused');
	await expect(refused).toBeVisible({ timeout: 10_000 });
	await expect(refused).toContainText('Pago factura F26-0102');
	await expect(refused).toContainText(
		'Saldo insuficiente en el monedero: hay 5,00\u00a0€ y el movimiento resta 20,00\u00a0€. El saldo no puede quedar por debajo de 0,00\u00a0€'
	);
	await expect(b.page.getByTestId('rejected-count')).toBeVisible();
	// The balance is the server's again, and A's spend arrived; nothing else was lost.
	await expect(walletTab(b.page)).toHaveText('Monedero (5,00\u00a0€)');
	await expect(b.page.getByTestId('wallet-entry')).toHaveCount(2);
	await expect(b.page.getByTestId('wallet-entries')).toContainText('Pago factura F26-0101');
	await b.page.getByTestId('sync-badge').click();
	await expect(b.page.getByTestId('rejected-list')).toContainText(
		'Saldo insuficiente en el monedero'
	);
	await b.page.getByTestId('sync-badge').click();
	await expect(walletTab(a.page)).toHaveText('Monedero (5,00\u00a0€)');

	for (const width of [360, 1280]) {
		await b.page.setViewportSize({ width, height: 900 });
		await b.page.screenshot({ path: `test-results/monedero-${width}.png`, fullPage: true });
	}
	await a.context.close();
	await b.context.close();
});

test('Pagar con monedero: two devices offline pay two albaranes with the same money, the second is refused under its document', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, { name: 'Albaranes Saldo Justo', taxId: '00000010X' });
	// The customer must be on the server before the rows pushed below can point at it.
	await expect
		.poll(
			async () =>
				(await (await a.page.request.get('/api/sync/pull?since=0&limit=10000')).text()).includes(
					id
				),
			{
				timeout: 20_000
			}
		)
		.toBe(true);
	// The company's data, two issued albaranes of 12,10 € and 12,10 € in the wallet, pushed like
	// any device (no invoice: this test leaves the VeriFactu chain alone).
	const docIds = [crypto.randomUUID(), crypto.randomUUID()];
	const mutations = [
		{ name: 'companyProfile.save', args: companyProfile({ verifactu: false }) },
		{
			name: 'walletEntry.create',
			args: {
				id: crypto.randomUUID(),
				customerId: id,
				concept: 'Ingreso',
				date: '2026-12-03',
				amountCents: 1210
			}
		},
		...docIds.flatMap((docId) => [
			{
				name: 'document.create',
				args: {
					id: docId,
					customerId: id,
					kind: 'albaran',
					state: 'borrador',
					date: '2026-12-03',
					lines: [{ description: 'Antena', quantity: 1, unitCents: 1000, vatRate: 21 }]
				}
			},
			{ name: 'document.issue', args: { id: docId } }
		])
	].map((m) => ({ id: crypto.randomUUID(), ...m }));
	const pushed = await a.page.request.post('/api/sync/push', {
		data: { clientId: crypto.randomUUID(), mutations }
	});
	expect(JSON.stringify(await pushed.json())).not.toContain('"error"');

	const b = await device(browser);
	for (const p of [a.page, b.page]) {
		await p.goto(`/clientes/${id}/documentos`);
		await expect(p.getByTestId('wallet-pay')).toHaveCount(2);
	}
	await a.context.setOffline(true);
	await b.context.setOffline(true);
	// A pays the first albarán, B the second, each believing the 12,10 € are there.
	for (const [p, i] of [
		[a.page, 0],
		[b.page, 1]
	] as const) {
		const item = p.getByTestId('document-item').nth(i);
		await item.getByTestId('wallet-pay').click();
		await expect(item.getByTestId('wallet-pay-amount')).toHaveValue('12,10');
		await item.getByTestId('save-wallet-pay').click();
		await p.getByTestId('confirm-wallet-pay-confirm').click();
		await expect(item.getByTestId('document-state')).toHaveText('Cobrada');
		await expect(walletTab(p)).toHaveText('Monedero (0,00\u00a0€)');
	}
	const paidByA = await a.page.getByTestId('document-number').nth(0).textContent();
	await a.context.setOffline(false);
	await expectSynced(a.page);
	await b.context.setOffline(false);

	// B's payment arrives second: refused with the reason under its albarán, which is unpaid
	// again; A's payment is what both devices show, and the wallet is the server's.
	const refused = b.page.getByTestId('wallet-pay-refused');
	await expect(refused).toBeVisible({ timeout: 10_000 });
	await expect(refused).toContainText('Saldo insuficiente en el monedero: hay 0,00\u00a0€');
	await expect(b.page.getByTestId('rejected-count')).toBeVisible();
	const states = b.page.getByTestId('document-item').getByTestId('document-state');
	await expect(states).toHaveText(['Cobrada', 'Emitida']);
	await expect(b.page.getByTestId('document-number').nth(0)).toHaveText(paidByA!);
	await expect(walletTab(b.page)).toHaveText('Monedero (0,00\u00a0€)');
	await b.page.locator('#tab-monedero').click();
	await expect(b.page.getByTestId('wallet-entry')).toHaveCount(2);
	await expect(b.page.getByTestId('wallet-entries')).toContainText(`Pago albarán ${paidByA}`);
	await a.context.close();
	await b.context.close();
});

test('Monedero: a technician sees neither the balance nor the movements', async ({ browser }) => {
	const admin = await device(browser);
	const id = await createCustomer(admin.page, { name: 'Cliente Con Saldo', taxId: '00000008P' });
	await admin.page.goto(`/clientes/${id}/monedero`);
	await addMovement(admin.page, { direction: 'in', amount: '12,50', concept: 'Ingreso' });
	await expect(walletTab(admin.page)).toHaveText('Monedero (12,50\u00a0€)');
	await expectSynced(admin.page);

	const tech = {
		email: `tecnico-monedero-${Date.now()}@enlace.test`,
		name: 'Técnico Sin Monedero',
		role: 'technician',
		password: 'tecnico-password-1'
	};
	expect((await admin.page.request.post('/api/users', { data: tech })).status()).toBe(201);
	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, tech);
	await page.goto(`/clientes/${id}/monedero`);
	await expect(page.getByTestId('customer-name')).toHaveText('Cliente Con Saldo');
	await expect(walletTab(page)).toHaveText('Monedero');
	await expect(page.getByTestId('wallet-not-available')).toContainText(
		'El monedero no está disponible en su perfil.'
	);
	await expect(page.getByTestId('add-wallet-entry')).toHaveCount(0);
	await context.close();
	await admin.context.close();
});
