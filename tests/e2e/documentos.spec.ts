import fs from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { makeCif, makeNif } from '@enlace/shared';
import { pdfText } from '../support/pdf';
import { createCustomer, device, expectSynced, login, waitForOfflineReady } from './pages/app';

/**
 * Documentos end to end (docs/money.md): the company's data in Configuración › Empresa; an
 * office user on a 360 px phone makes an invoice with no signal (a draft, "pendiente de numerar"
 * once issued), comes online and it gets its number and VeriFactu record; two more take the next
 * numbers; an anulación makes its record; "Comprobar cadena" says the chain holds.
 */

const PHONE = { width: 360, height: 740 };
const numberOf = (s: string) => Number(s.trim().split('-').at(-1));

async function newInvoice(page: Page, lines: { description: string; price: string }[]) {
	await page.getByTestId('new-document').click();
	const form = page.getByTestId('document-form');
	await expect(form).toBeVisible();
	for (const [i, l] of lines.entries()) {
		if (i > 0) await form.getByTestId('add-line').click();
		const line = form.getByTestId('document-line').nth(i);
		await line.getByTestId('line-description').fill(l.description);
		await line.getByTestId('line-price').fill(l.price);
	}
	return form;
}

/** The text of a document's PDF, downloaded from its "PDF" button (made on the device). */
async function pdfOf(item: Locator): Promise<string> {
	const [download] = await Promise.all([
		item.page().waitForEvent('download'),
		item.getByTestId('document-pdf').click()
	]);
	expect(download.suggestedFilename()).toMatch(/\.pdf$/);
	const text = pdfText(new Uint8Array(fs.readFileSync((await download.path())!)));
	return text.replace(/\s+/g, ' ');
}

async function issueFirstDraft(page: Page) {
	const item = page.getByTestId('document-item').filter({ hasText: 'Borrador' }).first();
	await item.getByTestId('issue-document').click();
	await page.getByTestId('confirm-issue-confirm').click();
}

test('an invoice made offline gets its number online; correlative numbers, anulación, chain OK', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const admin = await device(browser);
	const page = admin.page;
	await page.setViewportSize({ width: 1280, height: 800 });

	// Configuración › Empresa: a bad NIF is named on its field; then the company's data.
	await page.goto('/configuracion/empresa');
	const company = page.getByTestId('company-form');
	await company.locator('input[name=legalName]').fill('Redes del Valle SL');
	await company.locator('input[name=nif]').fill('B12345678');
	await company.locator('input[name=street]').fill('C/ Mayor 1');
	await company.locator('input[name=postalCode]').fill('28001');
	await company.locator('input[name=town]').fill('Madrid');
	await page.getByTestId('save-company').click();
	await expect(
		company.locator('.field.invalid', { has: page.locator('input[name=nif]') })
	).toBeVisible();
	await company.locator('input[name=nif]').fill(makeCif(2_468_024));
	await expect(page.getByTestId('verifactu-on')).toBeChecked();
	await page.getByTestId('save-company').click();
	await expect(company.getByRole('status')).toHaveText('Guardado');
	await expectSynced(page);

	const customerId = await createCustomer(page, {
		name: 'Ana Facturas Prueba',
		taxId: makeNif(30_000_000 + Math.floor(Math.random() * 60_000_000))
	});
	const office = {
		email: `oficina-docs-${Date.now()}@enlace.test`,
		name: 'Oficina Documentos',
		role: 'office',
		password: 'oficina-docs-1'
	};
	expect((await page.request.post('/api/users', { data: office })).status()).toBe(201);

	// The office on a phone, signal lost.
	const phoneContext = await browser.newContext({ viewport: PHONE, hasTouch: true });
	const phone = await phoneContext.newPage();
	await login(phone, office);
	await phone.goto(`/clientes/${customerId}/documentos`);
	await expect(phone.getByTestId('documents')).toBeVisible();
	// Installed: the service worker holds every chunk, the PDF maker's too.
	await waitForOfflineReady(phone);
	await phoneContext.setOffline(true);

	const form = await newInvoice(phone, [
		{ description: 'Fibra 300 Mb', price: '30' },
		{ description: 'Instalación', price: '25,50' }
	]);
	// 30,00 + 25,50 = 55,50; VAT 21 % 11,655 → 11,66; total 67,16 €, live.
	await expect(form.getByTestId('document-total')).toHaveText('67,16\u00a0€');
	// A line without a price is refused on that field, nothing typed is lost.
	await form.getByTestId('add-line').click();
	await form.getByTestId('document-line').nth(2).getByTestId('line-description').fill('Sin precio');
	await phone.getByTestId('save-document').click();
	await expect(form.getByTestId('document-line').nth(2).locator('.field.invalid')).toBeVisible();
	await expect(
		form.getByTestId('document-line').nth(0).getByTestId('line-description')
	).toHaveValue('Fibra 300 Mb');
	await form.getByTestId('document-line').nth(2).getByRole('button', { name: 'Quitar' }).click();
	await phone.screenshot({ path: testInfo.outputPath('documentos-form-360.png'), fullPage: true });
	await phone.getByTestId('save-document').click();
	await expect(form).toHaveCount(0);

	await issueFirstDraft(phone);
	const first = phone.getByTestId('document-item').first();
	await expect(first.getByTestId('document-number')).toHaveText('pendiente de numerar');
	await expect(first.getByTestId('document-item-total')).toHaveText('67,16\u00a0€');
	await phone.screenshot({
		path: testInfo.outputPath('documentos-offline-360.png'),
		fullPage: true
	});
	// Its PDF is made on the phone with no signal: a draft, marked as such, with no number.
	const offlinePdf = await pdfOf(first);
	expect(offlinePdf).toContain('BORRADOR');
	expect(offlinePdf).toContain('Pendiente de numerar');
	expect(offlinePdf).toContain('67,16 €');

	// Signal again: the server numbers it and writes its VeriFactu record.
	await phoneContext.setOffline(false);
	await expect(first.getByTestId('document-number')).toHaveText(/^F\d{4}-\d{4}$/, {
		timeout: 20_000
	});
	await expect(first.getByTestId('document-state')).toHaveText('Emitida');
	await expectSynced(phone, 20_000);
	const n1 = numberOf((await first.getByTestId('document-number').textContent())!);
	// Numbered, its PDF carries the number and the VeriFactu QR, and no BORRADOR.
	const issuedPdf = await pdfOf(first);
	expect(issuedPdf).toContain((await first.getByTestId('document-number').textContent())!);
	expect(issuedPdf).toContain('QR tributario:');
	expect(issuedPdf).not.toContain('BORRADOR');

	// Two more, online: the next numbers of the series.
	for (const price of ['10', '20']) {
		await newInvoice(phone, [{ description: `Cuota ${price}`, price }]);
		await phone.getByTestId('save-document').click();
		await issueFirstDraft(phone);
		// Numbered once the issue has reached the server and come back.
		await expect(
			phone.getByTestId('document-number').filter({ hasText: 'pendiente de numerar' })
		).toHaveCount(0, { timeout: 20_000 });
		await expectSynced(phone, 20_000);
	}
	const numbers = (await phone.getByTestId('document-number').allTextContents()).map(numberOf);
	expect(numbers.sort((a, b) => a - b)).toEqual([n1, n1 + 1, n1 + 2]);

	// Anular the second: its state, and an anulación record on the server.
	const second = phone
		.getByTestId('document-item')
		.filter({ hasText: `-${String(n1 + 1).padStart(4, '0')}` });
	await second.getByTestId('cancel-document').click();
	await phone.getByTestId('confirm-cancel-confirm').click();
	await expect(second.getByTestId('document-state')).toHaveText('Anulada');
	await expectSynced(phone, 20_000);
	await phone.screenshot({ path: testInfo.outputPath('documentos-360.png'), fullPage: true });

	const check = await page.request.get('/api/verifactu/check');
	expect(await check.json()).toMatchObject({ ok: true, count: 4 });

	// Comprobar cadena in Configuración › Empresa, at the desk.
	await page.goto('/configuracion/empresa');
	await expect(company.locator('input[name=legalName]')).toHaveValue('Redes del Valle SL');
	await page.getByTestId('check-chain').click();
	await expect(page.getByTestId('chain-result')).toHaveText('Cadena correcta: 4 registros.');
	await page.screenshot({ path: testInfo.outputPath('empresa-1280.png'), fullPage: true });
	await page.goto(`/clientes/${customerId}/documentos`);
	await expect(page.getByTestId('document-item')).toHaveCount(3);
	// Part of the first invoice is paid by transfer: a bad amount is named on its field.
	const firstInvoice = page
		.getByTestId('document-item')
		.filter({ hasText: `-${String(n1).padStart(4, '0')}` });
	await firstInvoice.getByTestId('register-payment').click();
	const payForm1 = firstInvoice.getByTestId('payment-form');
	await payForm1.getByTestId('payment-method').selectOption('transferencia');
	await payForm1.getByTestId('payment-amount').fill('diez');
	await firstInvoice.getByTestId('save-payment').click();
	await expect(payForm1.locator('.field.invalid')).toBeVisible();
	await payForm1.getByTestId('payment-amount').fill('30');
	await firstInvoice.getByTestId('save-payment').click();
	await expect(firstInvoice.getByTestId('document-state')).toHaveText('Cobrada en parte');
	await expect(firstInvoice.getByTestId('document-paid')).toHaveText('Cobrado 30,00\u00a0€');
	await page.screenshot({ path: testInfo.outputPath('documentos-1280.png'), fullPage: true });

	// "Pagar con monedero": 20,00 € in the wallet, the third invoice (24,20 €) paid from it.
	await page.goto(`/clientes/${customerId}/monedero`);
	await page.getByTestId('add-wallet-entry').click();
	const deposit = page.getByTestId('wallet-form');
	await deposit.locator('input[name=amountCents]').fill('20');
	await deposit.locator('input[name=concept]').fill('Ingreso en efectivo');
	await page.getByTestId('save-wallet-entry').click();
	await expect(page.locator('#tab-monedero')).toHaveText('Monedero (20,00\u00a0€)');
	await page.locator('#tab-documentos').click();
	const third = page
		.getByTestId('document-item')
		.filter({ hasText: `-${String(n1 + 2).padStart(4, '0')}` });
	await expect(third.getByTestId('document-item-total')).toHaveText('24,20\u00a0€');
	await expect(third.getByTestId('wallet-pay')).toHaveText('Pagar con monedero (20,00\u00a0€)');
	await third.getByTestId('wallet-pay').click();
	const payForm = third.getByTestId('wallet-pay-form');
	// Proposed: what is outstanding, up to the balance.
	await expect(payForm.getByTestId('wallet-pay-amount')).toHaveValue('20,00');
	await payForm.getByTestId('wallet-pay-amount').fill('25');
	await third.getByTestId('save-wallet-pay').click();
	await expect(payForm.locator('.field.invalid')).toContainText(
		'El importe supera lo pendiente del documento: quedan 24,20\u00a0€'
	);
	await payForm.getByTestId('wallet-pay-amount').fill('22');
	await third.getByTestId('save-wallet-pay').click();
	await expect(payForm.locator('.field.invalid')).toContainText(
		'Saldo insuficiente: el monedero tiene 20,00\u00a0€'
	);
	await payForm.getByTestId('wallet-pay-amount').fill('20');
	await page.setViewportSize(PHONE);
	await page.screenshot({
		path: testInfo.outputPath('documentos-monedero-360.png'),
		fullPage: true
	});
	await page.setViewportSize({ width: 1280, height: 800 });
	await third.getByTestId('save-wallet-pay').click();
	await expect(page.getByTestId('confirm-wallet-pay')).toContainText(
		'¿Pagar 20,00\u00a0€ con el monedero?'
	);
	await page.getByTestId('confirm-wallet-pay-confirm').click();
	await expect(third.getByTestId('document-state')).toHaveText('Cobrada en parte');
	await expect(third.getByTestId('document-paid')).toHaveText('Cobrado 20,00\u00a0€');
	await expect(page.locator('#tab-monedero')).toHaveText('Monedero (0,00\u00a0€)');
	// Nothing left in the wallet: nothing offered to pay from it.
	await expect(page.getByTestId('wallet-pay')).toHaveCount(0);
	await expectSynced(page, 20_000);
	await page.screenshot({
		path: testInfo.outputPath('documentos-monedero-1280.png'),
		fullPage: true
	});
	await page.locator('#tab-monedero').click();
	await expect(page.getByTestId('wallet-entry').first()).toContainText(
		`Pago factura F${new Date().getFullYear()}-${String(n1 + 2).padStart(4, '0')}`
	);
	await page.goto(`/clientes/${customerId}/documentos`);

	// What is typed in a new document survives a reload, until it is cancelled.
	await page.getByTestId('new-document').click();
	await page.getByTestId('line-description').first().fill('Antena exterior');
	await page.reload();
	await expect(page.getByTestId('line-description').first()).toHaveValue('Antena exterior');
	await page.getByTestId('document-form').getByRole('button', { name: 'Cancelar' }).click();
	await page.reload();
	await expect(page.getByTestId('document-item')).toHaveCount(3);
	await expect(page.getByTestId('document-form')).toHaveCount(0);

	// 44 px targets on the phone.
	for (const b of await phone.getByTestId('new-document').all()) {
		expect((await b.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	}
	await phoneContext.close();
	await admin.context.close();
});
