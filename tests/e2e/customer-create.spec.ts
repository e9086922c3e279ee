import { expect, test, type Locator, type Page } from '@playwright/test';
import { device, expectSynced } from './pages/app';

const fieldOf = (page: Page, form: Locator, name: string) =>
	form.locator('.field', { has: page.locator(`[name="${name}"]`) });

test('a new company customer in one save: CIF and type from "Es empresa", salesperson, its address and contact', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	await page.goto('/clientes/nuevo');
	const form = page.getByTestId('customer-form');
	await form.locator('input[name=name]').fill('Talleres Ribera SL');
	// "Es empresa" picks the company type from the settings, which the first sync brings.
	await expect(
		form.locator('select[name=typeId] option[value="customerType-empresa"]')
	).toHaveCount(1);
	await form.locator('input[name=isCompany]').check();
	await expect(form.locator('select[name=taxIdType]')).toHaveValue('cif');
	await expect(form.locator('select[name=typeId]')).toHaveValue('customerType-empresa');
	await form.locator('input[name=taxId]').fill('B12345674');
	await form.locator('select[name=salespersonId]').selectOption({ label: 'Administrador' });

	// Before the first save: an address and a contact person, queued with it.
	await page.getByTestId('add-address').click();
	const address = page.getByTestId('address-form');
	await address.locator('select[name=label]').selectOption('fiscal');
	await address.locator('input[name=street]').fill('Polígono Ribera, nave 4');
	await address.locator('input[name=town]').fill('Tudela');
	await page.getByTestId('save-address').click();
	await expect(page.getByTestId('address-item')).toHaveCount(1);
	await page.getByTestId('add-contact').click();
	await page.getByTestId('contact-form').locator('input[name=name]').fill('Irene Ribera');
	await page.getByTestId('save-contact').click();
	await expect(page.getByTestId('contact-item')).toHaveCount(1);
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');

	// Fecha de baja before the alta is refused on its field, and nothing is sent.
	await form.locator('input[name=altaDate]').fill('2026-05-10');
	await form.locator('input[name=bajaDate]').fill('2026-05-01');
	await page.getByTestId('save-customer').click();
	await expect(fieldOf(page, form, 'bajaDate')).toContainText(
		'La fecha de baja no puede ser anterior a la fecha de alta'
	);
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');
	await form.locator('input[name=bajaDate]').fill('');

	await page.getByTestId('save-customer').click();
	await page.waitForURL(/\/clientes\/[0-9a-f-]{36}\/general$/);
	const id = page.url().split('/').at(-2)!;
	await expect(page.getByTestId('address-item')).toContainText('Polígono Ribera, nave 4');
	await expect(page.getByTestId('customer-form').locator('select[name=salespersonId]')).toHaveValue(
		/.+/
	);
	await expectSynced(page);

	// Another device sees all three, from the server.
	const b = await device(browser);
	await b.page.goto(`/clientes/${id}/contactos`);
	await expect(b.page.getByTestId('contact-item')).toContainText('Irene Ribera');
	await b.page.goto(`/clientes/${id}/general`);
	const bForm = b.page.getByTestId('customer-form');
	await expect(bForm.locator('select[name=taxIdType]')).toHaveValue('cif');
	await expect(bForm.locator('select[name=typeId]')).toHaveValue('customerType-empresa');
	await expect(bForm.locator('select[name=salespersonId] option:checked')).toHaveText(
		'Administrador'
	);
	await expect(b.page.getByTestId('address-item')).toHaveCount(1);
	await b.context.close();
	await context.close();
});

test('the server refuses a fecha de baja before the alta too', async ({ browser }) => {
	const { page, context } = await device(browser);
	const res = await page.request.post('/api/sync/push', {
		data: {
			clientId: crypto.randomUUID(),
			mutations: [
				{
					id: crypto.randomUUID(),
					name: 'customer.create',
					args: {
						id: crypto.randomUUID(),
						isCompany: false,
						name: 'Fechas Cruzadas',
						taxIdType: 'nif',
						taxId: '00000001R',
						altaDate: '2026-05-10',
						bajaDate: '2026-05-01'
					}
				}
			]
		}
	});
	expect(JSON.stringify(await res.json())).toContain(
		'La fecha de baja no puede ser anterior a la fecha de alta'
	);
	await context.close();
});
