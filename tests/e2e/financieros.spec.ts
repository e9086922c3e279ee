import { expect, test, type Page } from '@playwright/test';
import { createCustomer, device, expectSynced, login, waitForOfflineReady } from './pages/app';

const IBAN = 'ES91 2100 0418 4502 0005 1332';
const IBAN_2 = 'ES79 2100 0813 6101 2345 6789';
/** A unique mandate reference per run: the e2e server is shared by every spec. */
const ref = (tag: string) => `E2E-${tag}-${Date.now().toString(36).toUpperCase()}`;

const fieldOf = (page: Page, name: string) =>
	page.getByTestId('payment-form').locator('.field', { has: page.locator(`[name=${name}]`) });

async function addSepa(page: Page, iban: string, mandate: string) {
	await page.getByTestId('add-payment-method').click();
	const form = page.getByTestId('payment-form');
	await expect(form.locator('select[name=typeId]')).toHaveValue('paymentMethodType-sepa');
	await form.locator('input[name=iban]').fill(iban);
	await form.locator('input[name=mandateReference]').fill(mandate);
	await page.getByTestId('save-payment').click();
}

/** The number of rows of a Dexie table in this page's IndexedDB. */
const localCount = (page: Page, table: string) =>
	page.evaluate(
		(name) =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('enlace');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const req = open.result.transaction(name).objectStore(name).count();
					req.onsuccess = () => {
						resolve(req.result);
						open.result.close();
					};
				};
			}),
		table
	);

test('payment methods: a wrong IBAN is refused on its field; create, edit, default, Varios, delete', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const id = await createCustomer(page, { name: 'Lucía Banco Soto', taxId: '00000003A' });
	await page.goto(`/clientes/${id}/financieros`);
	await expect(page.getByTestId('terms-need-method')).toBeVisible();

	// A wrong check digit and a missing mandate: both said at once, in Spanish, nothing queued.
	await page.getByTestId('add-payment-method').click();
	const form = page.getByTestId('payment-form');
	await form.locator('input[name=iban]').fill('ES92 2100 0418 4502 0005 1332');
	await page.getByTestId('save-payment').click();
	await expect(fieldOf(page, 'iban')).toContainText(
		'Los dígitos de control del IBAN no son correctos'
	);
	await expect(fieldOf(page, 'mandateReference')).toContainText(
		'Introduzca la referencia del mandato'
	);
	await expect(form.locator('.field.invalid')).toHaveCount(2);
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');

	const mandate = ref('A');
	await form.locator('input[name=iban]').fill(IBAN.replace(/ /g, ''));
	await form.locator('input[name=mandateReference]').fill(mandate);
	await page.getByTestId('save-payment').click();
	await expect(form).toHaveCount(0);
	const sepa = page.getByTestId('payment-method-item').filter({ hasText: 'Recibo domiciliado' });
	// Stored without spaces, shown in groups of four.
	await expect(sepa.getByTestId('pm-iban')).toHaveText(IBAN);
	await expect(sepa.getByTestId('pm-default')).toBeVisible();
	await expect(sepa.getByTestId('pm-mandate')).toContainText(`${mandate} · firmado el`);

	// Edit: BIC and holder.
	await sepa.getByRole('button', { name: 'Editar' }).click();
	await expect(form.locator('input[name=iban]')).toHaveValue(IBAN);
	await form.locator('input[name=bic]').fill('caixesbbxxx');
	await form.locator('input[name=accountHolder]').fill('Lucía Banco Soto y Pedro Soto');
	await page.getByTestId('save-payment').click();
	await expect(form).toHaveCount(0);
	await expect(sepa).toContainText('CAIXESBBXXX');
	await expect(sepa).toContainText('Lucía Banco Soto y Pedro Soto');

	// A second method, cash: no bank fields at all.
	await page.getByTestId('add-payment-method').click();
	await form.locator('select[name=typeId]').selectOption('paymentMethodType-efectivo');
	await expect(form.locator('input[name=iban]')).toHaveCount(0);
	await form.locator('textarea[name=notes]').fill('Paga en la oficina');
	await page.getByTestId('save-payment').click();
	await expect(page.getByTestId('payment-method-item')).toHaveCount(2);
	const cash = page.getByTestId('payment-method-item').filter({ hasText: 'Efectivo' });
	await expect(cash.getByTestId('pm-default')).toHaveCount(0);

	// Varios, typed the Spanish way, on the default method.
	const terms = page.getByTestId('payment-terms');
	await terms.locator('input[name=paymentDays]').fill('5, 20');
	await terms.locator('input[name=discountPercent]').fill('7,5');
	await terms.locator('input[name=creditLimit]').fill('1.500');
	await page.getByTestId('save-terms').click();
	await expect(page.getByTestId('terms-summary')).toHaveText(
		/Días de pago: 5, 20 · Descuento 7,5\s% · Límite 1.500,00\s€/
	);

	// One default: making cash the default un-defaults SEPA, and Varios go with it.
	await cash.getByTestId('pm-make-default').click();
	await expect(cash.getByTestId('pm-default')).toBeVisible();
	await expect(sepa.getByTestId('pm-default')).toHaveCount(0);
	await expect(page.getByTestId('payment-terms')).toContainText('(Efectivo)');
	await expect(page.getByTestId('terms-summary')).toContainText('Descuento 7,5 %');

	await sepa.getByRole('button', { name: 'Eliminar' }).click();
	await page.getByTestId('confirm-remove-confirm').click();
	await expect(page.getByTestId('payment-method-item')).toHaveCount(1);
	await expectSynced(page);

	// Another device sees the end state from the server.
	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/financieros`);
	await expect(b.page.getByTestId('payment-method-item')).toHaveCount(1);
	await expect(b.page.getByTestId('payment-method-item')).toContainText('Efectivo');
	await expect(b.page.getByTestId('pm-default')).toBeVisible();
	await expect(b.page.getByTestId('terms-summary')).toContainText('Límite 1.500,00');
	await b.context.close();
	await context.close();
});

test('a mandate reference another customer has is refused on its field, naming who', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const mandate = ref('DUP');
	const first = await createCustomer(page, { name: 'Primera Mandato', taxId: '00000004G' });
	await page.goto(`/clientes/${first}/financieros`);
	await addSepa(page, IBAN, mandate);
	await expect(page.getByTestId('payment-form')).toHaveCount(0);
	await expectSynced(page);

	const second = await createCustomer(page, { name: 'Segunda Mandato', taxId: '00000005M' });
	await page.goto(`/clientes/${second}/financieros`);
	await addSepa(page, IBAN_2, mandate);
	await expect(fieldOf(page, 'mandateReference')).toContainText('ya la tiene');
	await expect(fieldOf(page, 'mandateReference')).toContainText('Primera Mandato');
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');
	await expect(page.getByTestId('payment-method-item')).toHaveCount(0);
	await context.close();
});

test('offline: an IBAN changed without signal syncs later and another device sees it', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, { name: 'Banco Sin Cobertura', taxId: '00000006Y' });
	await a.page.goto(`/clientes/${id}/financieros`);
	await addSepa(a.page, IBAN, ref('OFF'));
	await expect(a.page.getByTestId('payment-form')).toHaveCount(0);
	await expectSynced(a.page);
	await waitForOfflineReady(a.page);

	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/financieros`);
	await expect(b.page.getByTestId('pm-iban')).toHaveText(IBAN);

	await a.context.setOffline(true);
	await a.page.reload();
	await a.page.getByTestId('payment-method-item').getByRole('button', { name: 'Editar' }).click();
	await a.page.getByTestId('payment-form').locator('input[name=iban]').fill(IBAN_2);
	await a.page.getByTestId('save-payment').click();
	await expect(a.page.getByTestId('pm-iban')).toHaveText(IBAN_2);
	await expect(a.page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '1');
	await expect(a.page.getByTestId('payment-method-item')).toContainText('Cambios sin enviar');
	await expect(b.page.getByTestId('pm-iban')).toHaveText(IBAN);

	await a.context.setOffline(false);
	await expect(b.page.getByTestId('pm-iban')).toHaveText(IBAN_2, { timeout: 10_000 });
	await expectSynced(a.page);
	await a.context.close();
	await b.context.close();
});

test('a technician is told bank data is not on their profile, and their device holds none', async ({
	browser
}) => {
	const admin = await device(browser);
	const id = await createCustomer(admin.page, { name: 'Cliente Con Banco', taxId: '00000007F' });
	await admin.page.goto(`/clientes/${id}/financieros`);
	await addSepa(admin.page, IBAN, ref('TEC'));
	await expectSynced(admin.page);
	expect(await localCount(admin.page, 'paymentMethod')).toBeGreaterThan(0);

	const tech = {
		email: `tecnico-${Date.now()}@enlace.test`,
		name: 'Técnica de Campo',
		role: 'technician',
		password: 'tecnica-password-1'
	};
	const made = await admin.page.request.post('/api/users', { data: tech });
	expect(made.status()).toBe(201);

	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, tech);
	await page.goto(`/clientes/${id}/financieros`);
	await expect(page.getByTestId('customer-name')).toHaveText('Cliente Con Banco');
	await expect(page.getByTestId('finance-not-available')).toContainText(
		'Los datos financieros no están disponibles en su perfil.'
	);
	await expect(page.getByTestId('add-payment-method')).toHaveCount(0);
	expect(await localCount(page, 'paymentMethod')).toBe(0);
	await context.close();
	await admin.context.close();
});
