import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { makeCif, makeNif } from '@enlace/shared';
import { pdfText } from '../support/pdf';
import { createCustomer, device, expectSynced, userOnPhone } from './pages/app';

/**
 * Renovaciones end to end (docs/renewals.md): an admin configures a renewable package in
 * Configuración › Renovaciones, assigns it to a customer, prints it, generates a factura from it
 * and issues it; the server moves the next renewal on a year and the tab shows it. A technician
 * sees the customer's packages read-only on a phone.
 */

/** The issuing company, unless another test already saved one (a factura needs it). */
async function ensureCompany(page: Page) {
	await page.goto('/configuracion/empresa');
	const form = page.getByTestId('company-form');
	await expect(form).toBeVisible();
	if (await form.locator('input[name=legalName]').inputValue()) return;
	const r = await page.request.post('/api/sync/push', {
		data: {
			clientId: crypto.randomUUID(),
			mutations: [
				{
					id: crypto.randomUUID(),
					name: 'companyProfile.save',
					args: {
						id: 'empresa',
						legalName: 'Redes del Valle SL',
						nif: makeCif(1_357_913),
						street: 'C/ Mayor 1',
						postalCode: '28001',
						town: 'Madrid',
						series: Object.fromEntries(
							['presupuesto', 'albaran', 'factura', 'simplificada', 'rectificativa'].map((k, i) => [
								k,
								{ prefix: ['P', 'A', 'F', 'FS', 'R'][i], yearly: true }
							])
						),
						verifactu: true
					}
				}
			]
		}
	});
	expect((await r.json()).results[0].status).toBe('applied');
}

test('configure a package, assign it, print it, invoice it: the next renewal moves on a year', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const admin = await device(browser);
	const page = admin.page;
	await page.setViewportSize({ width: 1280, height: 800 });
	await ensureCompany(page);
	const customerId = await createCustomer(page, {
		name: 'Bruno Renovaciones Prueba',
		taxId: makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000))
	});

	// Configuración › Renovaciones: a package without a name is refused on that field.
	const name = `Hosting Pro ${Date.now() % 100_000}`;
	await page.goto('/configuracion/renovaciones');
	await page.getByTestId('new-package').click();
	const pform = page.getByTestId('package-form');
	await pform.locator('textarea[name=items]').fill('Dominio .es\nHosting 10 GB\nCorreo 5 buzones');
	await pform.locator('input[name=price]').fill('120');
	await page.getByTestId('save-package').click();
	await expect(
		pform.locator('.field.invalid', { has: page.locator('input[name=name]') })
	).toBeVisible();
	await expect(pform.locator('textarea[name=items]')).toHaveValue(/Correo 5 buzones/);
	await pform.locator('input[name=name]').fill(name);
	await pform.locator('select[name=period]').selectOption('yearly');
	await page.getByTestId('save-package').click();
	await expect(pform).toHaveCount(0);
	const pkgItem = page.getByTestId('package-item').filter({ hasText: name });
	await expect(pkgItem).toContainText('120,00');
	await expect(pkgItem).toContainText('Anual');
	await page.screenshot({
		path: testInfo.outputPath('renovaciones-config-1280.png'),
		fullPage: true
	});
	await expectSynced(page);

	// The customer's tab: assign it; the package's price is proposed.
	await page.goto(`/clientes/${customerId}/renovaciones`);
	await page.getByTestId('add-renewal').click();
	const form = page.getByTestId('renewal-form');
	const option = form.locator('select[name=packageId] option', { hasText: name });
	await form.locator('select[name=packageId]').selectOption(await option.getAttribute('value'));
	await expect(form.locator('input[name=priceCents]')).toHaveValue('120,00');
	await form.locator('input[name=startDate]').fill('2026-01-31');
	// A next renewal before the start is refused on its field.
	await form.locator('input[name=nextRenewal]').fill('2025-12-31');
	await page.getByTestId('save-renewal').click();
	await expect(
		form.locator('.field.invalid', { has: page.locator('input[name=nextRenewal]') })
	).toContainText('La próxima renovación no puede ser anterior al inicio');
	await form.locator('input[name=nextRenewal]').fill('2027-01-31');
	await form.locator('input[name=quantity]').fill('2');
	await form.locator('textarea[name=notes]').fill('Avisar un mes antes');
	await page.getByTestId('save-renewal').click();
	await expect(form).toHaveCount(0);
	const item = page.getByTestId('renewal-item').filter({ hasText: name });
	await expect(item.getByTestId('renewal-next')).toHaveText(/31\/1\/(20)?27/);
	await expectSynced(page);
	await page.screenshot({ path: testInfo.outputPath('renovaciones-1280.png'), fullPage: true });

	// Print the package: made on the device.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		item.getByTestId('renewal-pdf').click()
	]);
	expect(download.suggestedFilename()).toBe(`Paquete ${name}.pdf`);
	const text = pdfText(new Uint8Array(fs.readFileSync((await download.path())!))).replace(
		/\s+/g,
		' '
	);
	expect(text).toContain('Próxima renovación: 31/01/2027');
	expect(text).toContain('· Correo 5 buzones');
	expect(text).toContain('290,40'); // 2 × 120,00 + 21 %
	expect(text).toContain('Avisar un mes antes');

	// "Configurar paquete" opens the package's editor in Configuración.
	await item.getByTestId('renewal-configure').click();
	await expect(page.getByTestId('package-form').locator('input[name=name]')).toHaveValue(name);
	await page.goBack();

	// Generate a factura from it: a draft in Documentos with the renewal's line; issue it.
	await page
		.getByTestId('renewal-item')
		.filter({ hasText: name })
		.getByTestId('renewal-generate')
		.click();
	await page.getByTestId('generate-factura').click();
	await page.waitForURL(`**/clientes/${customerId}/documentos`);
	const draft = page.getByTestId('document-item').filter({ hasText: 'Borrador' }).first();
	await expect(draft.getByTestId('document-item-total')).toHaveText('290,40\u00a0€');
	await draft.getByTestId('issue-document').click();
	await page.getByTestId('confirm-issue-confirm').click();
	await expect(page.getByTestId('document-item').first().getByTestId('document-number')).toHaveText(
		/^F\d{4}-\d{4}$/,
		{
			timeout: 20_000
		}
	);
	const number = (await page
		.getByTestId('document-item')
		.first()
		.getByTestId('document-number')
		.textContent())!.trim();
	await expectSynced(page);

	// The server moved the next renewal on a year and recorded the factura.
	await page.goto(`/clientes/${customerId}/renovaciones`);
	const after = page.getByTestId('renewal-item').filter({ hasText: name });
	await expect(after.getByTestId('renewal-next')).toHaveText(/31\/1\/(20)?28/, { timeout: 20_000 });
	await expect(after.getByTestId('renewal-last')).toHaveText(`Facturada en ${number}`);

	// A technician on a phone: the customer's packages, read-only (no assign, edit or delete).
	const { context: phoneContext, page: phone } = await userOnPhone(
		browser,
		page,
		'technician',
		'Técnico Renovaciones'
	);
	await phone.goto(`/clientes/${customerId}/renovaciones`);
	const techItem = phone.getByTestId('renewal-item').filter({ hasText: name });
	await expect(techItem.getByTestId('renewal-next')).toHaveText(/31\/1\/(20)?28/);
	await expect(phone.getByTestId('add-renewal')).toHaveCount(0);
	await expect(techItem.getByRole('button', { name: 'Editar' })).toHaveCount(0);
	await expect(techItem.getByRole('button', { name: 'Eliminar' })).toHaveCount(0);
	await expect(techItem.getByTestId('renewal-generate')).toHaveCount(0);
	await expect(techItem.getByTestId('renewal-pdf')).toBeVisible();
	await phone.screenshot({
		path: testInfo.outputPath('renovaciones-tecnico-360.png'),
		fullPage: true
	});

	// The office's view at 360 px.
	await page.setViewportSize({ width: 360, height: 740 });
	await page.reload();
	await expect(page.getByTestId('renewal-item').first()).toBeVisible();
	await page.screenshot({ path: testInfo.outputPath('renovaciones-360.png'), fullPage: true });
	await phoneContext.close();
	await admin.context.close();
});
