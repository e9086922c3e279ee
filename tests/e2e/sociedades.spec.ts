import { expect, test, type Locator, type Page } from '@playwright/test';
import { createCustomer, device, expectSynced, login, waitForOfflineReady } from './pages/app';

/** The `.field` wrapping an input, where its error message shows. */
const fieldOf = (form: Locator, name: string) =>
	form.locator('.field', { has: form.page().locator(`[name="${name}"]`) });

const input = (form: Locator, name: string) => form.locator(`[name="${name}"]`);

async function openCompanies(page: Page, customerId: string) {
	await page.goto(`/clientes/${customerId}/sociedades`);
	await expect(page.getByTestId('companies')).toBeVisible();
}

async function addSocio(page: Page, form: Locator, name: string, nif: string, share: string) {
	const i = await form.getByTestId('socio-item').count();
	await page.getByTestId('add-socio').click();
	await input(form, `mercantil.socios.${i}.name`).fill(name);
	await input(form, `mercantil.socios.${i}.nif`).fill(nif);
	await input(form, `mercantil.socios.${i}.sharePercent`).fill(share);
}

test('a company with its four sections: created, edited, deleted; 120 % of shares refused on the field', async ({
	browser
}) => {
	const { page, context } = await device(browser);
	const id = await createCustomer(page, {
		name: 'Grupo Moncayo Telecom',
		taxIdType: 'cif',
		taxId: 'B12345674'
	});
	await openCompanies(page, id);
	await expect(page.getByTestId('companies')).toContainText('Sin sociedades');
	await page.getByTestId('add-company').click();
	const form = page.getByTestId('company-form');

	// General, with a CIF whose control digit is wrong.
	await input(form, 'name').fill('Redes del Moncayo SL');
	await input(form, 'cif').fill('B86561413');
	await input(form, 'shareCapital').fill('3.000');
	await input(form, 'town').fill('Tarazona');
	// Mercantil: two socios adding up to 120 %.
	await page.getByTestId('section-mercantil').click();
	await input(form, 'mercantil.registry').fill('Zaragoza');
	await input(form, 'mercantil.tomo').fill('4123');
	await addSocio(page, form, 'Ana Ruiz Gil', '12345678Z', '60');
	await addSocio(page, form, 'Inversiones Ebro SA', 'A58818501', '60');
	await expect(page.getByTestId('shares-total')).toHaveText('Total: 120 %');
	await page.getByTestId('save-company').click();

	// Both problems at once: the socios on their field, the CIF flagged on its section's tab.
	await expect(page.getByTestId('socios-error')).toHaveText(
		'Las participaciones de los socios suman 120 %: no pueden pasar del 100 %'
	);
	await expect(page.getByTestId('section-general')).toHaveClass(/has-error/);
	await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');
	await input(form, 'mercantil.socios.1.sharePercent').fill('40');
	await expect(page.getByTestId('shares-total')).toHaveText('Total: 100 %');
	await page.getByTestId('section-general').click();
	await expect(fieldOf(form, 'cif')).toContainText('el carácter de control debería ser 2');
	await input(form, 'cif').fill('B86561412');

	// Fiscal and Financiera.
	await page.getByTestId('section-fiscal').click();
	await input(form, 'fiscal.vatRegime').selectOption('recargo');
	await input(form, 'fiscal.irpfApplies').check();
	await input(form, 'fiscal.irpfPercent').fill('15');
	await page.getByTestId('add-obligation').click();
	await input(form, 'fiscal.obligations.0.modelo').fill('303');
	await page.getByTestId('section-financiera').click();
	await page.getByTestId('add-bank-account').click();
	await input(form, 'financiera.bankAccounts.0.iban').fill('ES91 2100 0418 4502 0005 1333');
	await input(form, 'financiera.employees').fill('12');
	await page.getByTestId('save-company').click();
	await expect(fieldOf(form, 'financiera.bankAccounts.0.iban')).toContainText(
		'Los dígitos de control del IBAN no son correctos'
	);
	await input(form, 'financiera.bankAccounts.0.iban').fill('ES91 2100 0418 4502 0005 1332');
	await page.getByTestId('save-company').click();

	const item = page.getByTestId('company-item');
	await expect(item).toHaveCount(1);
	await expect(item).toContainText('Redes del Moncayo SL');
	await expect(item).toContainText('B86561412');
	await expect(item).toContainText('3.000,00 €');
	await expect(item.getByTestId('company-socios')).toHaveText(
		'Ana Ruiz Gil (60 %), Inversiones Ebro SA (40 %)'
	);
	await expect(item).toContainText('Recargo de equivalencia');
	await expect(item).toContainText('ES91 2100 0418 4502 0005 1332');
	await expectSynced(page);

	// Edit one section: the change lands in Historial field by field inside the section.
	await item.getByRole('button', { name: 'Editar' }).click();
	await page.getByTestId('section-mercantil').click();
	await input(form, 'mercantil.registry').fill('Huesca');
	await page.getByTestId('save-company').click();
	await expect(item).toContainText('Huesca');
	await expectSynced(page);
	await page.goto(`/clientes/${id}/historial`);
	const line = page.getByTestId('history-item').filter({ hasText: 'Sociedad: Datos mercantiles' });
	await expect(line.getByTestId('history-parts')).toHaveText(
		/Registro mercantil:\s*Zaragoza\s*→\s*Huesca/
	);

	// A reload keeps the company (it is in IndexedDB and on the server), then delete it.
	await openCompanies(page, id);
	await page.reload();
	await expect(item).toHaveCount(1);
	await item.getByRole('button', { name: 'Eliminar' }).click();
	await page.getByTestId('confirm-remove-confirm').click();
	await expect(item).toHaveCount(0);
	await expectSynced(page);
	await page.goto(`/clientes/${id}/historial`);
	await expect(page.getByTestId('history-list')).toContainText('Baja de sociedad');
	await context.close();
});

test('offline: a company edited with no signal reaches another device once back online', async ({
	browser
}) => {
	const a = await device(browser);
	const id = await createCustomer(a.page, {
		name: 'Aceites del Bajo Aragón',
		taxIdType: 'cif',
		taxId: 'A58818501'
	});
	await openCompanies(a.page, id);
	await a.page.getByTestId('add-company').click();
	const form = a.page.getByTestId('company-form');
	await input(form, 'name').fill('Almazara Bajo Aragón SL');
	await input(form, 'cif').fill('B99286320');
	await a.page.getByTestId('save-company').click();
	await expect(a.page.getByTestId('company-item')).toHaveCount(1);
	await expectSynced(a.page);
	await waitForOfflineReady(a.page);

	const b = await device(browser);
	await openCompanies(b.page, id);
	await expect(b.page.getByTestId('company-item')).toContainText('Almazara Bajo Aragón SL');

	await a.context.setOffline(true);
	await a.page.reload();
	await a.page.getByTestId('company-item').getByRole('button', { name: 'Editar' }).click();
	await a.page.getByTestId('section-mercantil').click();
	await addSocio(a.page, form, 'Pilar Gracia Sanz', '00000000T', '100');
	await a.page.getByTestId('save-company').click();
	await expect(a.page.getByTestId('company-socios')).toHaveText('Pilar Gracia Sanz (100 %)');
	await expect(a.page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '1');
	// Not on the server yet: the other device still has the old row.
	await expect(b.page.getByTestId('company-socios')).toHaveCount(0);

	await a.context.setOffline(false);
	await expect(b.page.getByTestId('company-socios')).toHaveText('Pilar Gracia Sanz (100 %)', {
		timeout: 5_000
	});
	await expectSynced(a.page);
	await a.context.close();
	await b.context.close();
});

test('a technician has no access to Sociedades (finance data never reaches the phone)', async ({
	browser
}) => {
	const admin = await device(browser);
	const id = await createCustomer(admin.page, {
		name: 'Bodega Campo de Borja',
		taxIdType: 'cif',
		taxId: 'B86561412'
	});
	await openCompanies(admin.page, id);
	await admin.page.getByTestId('add-company').click();
	const form = admin.page.getByTestId('company-form');
	await input(form, 'name').fill('Bodega Borja SL');
	await input(form, 'cif').fill('B12345674');
	await admin.page.getByTestId('save-company').click();
	await expectSynced(admin.page);
	const tech = {
		email: `tecnico-${Date.now()}@enlace.test`,
		password: 'tecnico-password-1'
	};
	const created = await admin.page.request.post('/api/users', {
		data: { ...tech, name: 'Técnico Sociedades', role: 'technician' }
	});
	expect(created.status()).toBe(201);

	const context = await browser.newContext();
	const page = await context.newPage();
	await login(page, tech);
	await openCompanies(page, id);
	await expect(page.getByTestId('companies')).toContainText('Sin acceso a las sociedades');
	await expect(page.getByTestId('add-company')).toHaveCount(0);
	// Nothing of the company is stored on the technician's device.
	const stored = await page.evaluate(
		() =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('enlace');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const req = open.result.transaction('company').objectStore('company').count();
					req.onsuccess = () => resolve(req.result);
					req.onerror = () => reject(req.error);
				};
			})
	);
	expect(stored).toBe(0);
	await context.close();
	await admin.context.close();
});
