import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { creditorIdentifierFromNif } from '@enlace/shared';
import { COMPANY_NIF, companyProfile } from '../support/money';
import { validatePain008 } from '../support/xmllint';
import { createCustomer, device, expectSynced, login } from './pages/app';

/**
 * Cobros and remesas (docs/money.md, docs/sepa-and-wallet.md): a technician on a 360 px phone
 * collects an invoice in cash with no signal, syncs, and the office sees it paid; the office
 * makes a remittance of the other invoice, downloads its pain.008 file (valid against the
 * schema) and marks the debit returned with its reason and a fee.
 */
const PHONE = { width: 360, height: 740 };
const euros = (s: string) => s.replace(' ', '\u00a0');

async function pullRows(page: Page) {
	const body = await (await page.request.get('/api/sync/pull?since=0&limit=10000')).json();
	return body.changes as { entity: string; id: string; data: Record<string, unknown> }[];
}

test('Cobros and remesas: technician cash offline, remittance XML, a return', async ({
	browser
}, testInfo) => {
	const admin = await device(browser);
	const page = admin.page;
	const customerId = await createCustomer(page, { name: 'Lucía Remesa Peña', taxId: '00000011B' });
	await expect
		.poll(async () => (await pullRows(page)).some((c) => c.id === customerId), { timeout: 20_000 })
		.toBe(true);
	const cid = creditorIdentifierFromNif(COMPANY_NIF);
	if (!cid.ok) throw new Error(cid.message);
	const [cashDoc, debitDoc] = [crypto.randomUUID(), crypto.randomUUID()];
	const mutations = [
		{
			name: 'companyProfile.save',
			args: companyProfile({ verifactu: false, sepaCreditorId: cid.value })
		},
		{
			name: 'paymentMethod.create',
			args: {
				id: crypto.randomUUID(),
				customerId,
				typeId: 'paymentMethodType-sepa',
				iban: 'ES9121000418450200051332',
				accountHolder: 'Lucía Peña Núñez',
				mandateReference: `E2E-${Date.now()}`,
				mandateSignedAt: '2026-01-15',
				mandateScheme: 'CORE',
				mandateType: 'recurrent'
			}
		},
		...[cashDoc, debitDoc].flatMap((id) => [
			{
				name: 'document.create',
				args: {
					id,
					customerId,
					kind: 'factura',
					state: 'borrador',
					date: '2026-12-03',
					lines: [{ description: 'Fibra 300', quantity: 1, unitCents: 3000, vatRate: 21 }]
				}
			},
			{ name: 'document.issue', args: { id } }
		])
	].map((m) => ({ id: crypto.randomUUID(), ...m }));
	const pushed = await page.request.post('/api/sync/push', {
		data: { clientId: crypto.randomUUID(), mutations }
	});
	expect(JSON.stringify(await pushed.json())).not.toContain('"error"');
	const rows = await pullRows(page);
	const numberOf = (id: string) =>
		String(rows.findLast((c) => c.entity === 'document' && c.id === id)?.data.number);
	const [cashNumber, debitNumber] = [numberOf(cashDoc), numberOf(debitDoc)];

	// A technician on a phone: the customer's invoices and what is owed, in the header.
	const tech = {
		email: `tecnico-cobros-${Date.now()}@enlace.test`,
		name: 'Técnica Cobros',
		role: 'technician',
		password: 'tecnico-password-1'
	};
	expect((await page.request.post('/api/users', { data: tech })).status()).toBe(201);
	const phoneContext = await browser.newContext({ viewport: PHONE });
	const phone = await phoneContext.newPage();
	await login(phone, tech);
	await expect(phone.getByTestId('nav-remesas')).toHaveCount(0);
	await phone.goto(`/clientes/${customerId}/documentos`);
	await expect(phone.getByTestId('header-outstanding')).toHaveText(euros('Pendiente 72,60 €'));
	const cashItem = phone.getByTestId('document-item').filter({ hasText: cashNumber });
	await expect(cashItem.getByTestId('document-state')).toHaveText('Emitida');
	await expect(phone.getByTestId('new-document')).toHaveCount(0);

	// No signal: the cash is collected on the device, a wrong amount said on its field.
	await phoneContext.setOffline(true);
	await cashItem.getByTestId('register-payment').click();
	const form = cashItem.getByTestId('payment-form');
	await expect(form.getByTestId('payment-method').locator('option')).toHaveText([
		'Efectivo',
		'Tarjeta'
	]);
	await expect(form.getByTestId('payment-amount')).toHaveValue('36,30');
	await form.getByTestId('payment-amount').fill('40');
	await cashItem.getByTestId('save-payment').click();
	await expect(form.locator('.field.invalid')).toContainText(
		euros('El importe supera lo pendiente del documento: quedan 36,30 €')
	);
	await form.getByTestId('payment-amount').fill('36,30');
	await phone.screenshot({ path: testInfo.outputPath('cobro-360.png'), fullPage: true });
	await cashItem.getByTestId('save-payment').click();
	await expect(cashItem.getByTestId('document-state')).toHaveText('Cobrada');
	await expect(cashItem.getByTestId('payment-item')).toContainText('Efectivo · Técnica Cobros');
	await expect(phone.getByTestId('header-outstanding')).toHaveText(euros('Pendiente 36,30 €'));
	await phoneContext.setOffline(false);
	await expectSynced(phone, 20_000);

	// The office sees it paid.
	await page.goto(`/clientes/${customerId}/documentos`);
	const officeCash = page.getByTestId('document-item').filter({ hasText: cashNumber });
	await expect(officeCash.getByTestId('document-state')).toHaveText('Cobrada');
	await expect(officeCash.getByTestId('payment-item')).toContainText('Efectivo');

	// Remesas: the other invoice previewed, a wrong IBAN said on its field, then the file.
	await page.getByTestId('nav-remesas').click();
	await page.waitForURL('**/remesas');
	const preview = page.getByTestId('preview-debit').filter({ hasText: debitNumber });
	await expect(preview).toContainText('FRST');
	await expect(preview).toContainText(euros('36,30 €'));
	await expect(page.getByTestId('preview-debit').filter({ hasText: cashNumber })).toHaveCount(0);
	await page.getByTestId('remittance-iban').fill('ES00 1234');
	await page.getByTestId('create-remittance').click();
	await expect(page.getByTestId('remittance-new').locator('.field.invalid')).toBeVisible();
	await page.getByTestId('remittance-iban').fill('ES79 2100 0813 6101 2345 6789');
	await page.screenshot({ path: testInfo.outputPath('remesas-1280.png'), fullPage: true });
	await page.getByTestId('create-remittance').click();
	await page.getByTestId('confirm-remittance-confirm').click();
	await expect(page.getByTestId('remittance-created')).toBeVisible();
	await expectSynced(page, 20_000);
	const item = page.getByTestId('remittance-item').first();
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		item.getByTestId('download-remittance').click()
	]);
	expect(download.suggestedFilename()).toMatch(/^REM-\d{8}-[A-Za-z0-9]+\.xml$/);
	const xml = fs.readFileSync((await download.path())!, 'utf8');
	expect(xml).toContain(`<EndToEndId>${debitNumber}</EndToEndId>`);
	expect(xml).toContain(`<Id>${cid.value}</Id>`);
	const valid = validatePain008(xml);
	expect(valid.output).toContain('validates');
	await page.setViewportSize(PHONE);
	await page.screenshot({ path: testInfo.outputPath('remesas-360.png'), fullPage: true });
	await page.setViewportSize({ width: 1280, height: 800 });

	// The bank returns the debit: reason and fee; the invoice is owed again.
	await page.goto(`/clientes/${customerId}/documentos`);
	const debitItem = page.getByTestId('document-item').filter({ hasText: debitNumber });
	await expect(debitItem.getByTestId('document-state')).toHaveText('Remesada');
	await expect(page.getByTestId('header-outstanding')).toHaveText('Sin deuda');
	await debitItem.getByTestId('return-payment').click();
	await debitItem.getByTestId('return-reason').selectOption('AM04');
	await debitItem.getByTestId('return-fee').fill('3');
	await debitItem.getByTestId('save-return').click();
	await expect(debitItem.getByTestId('document-state')).toHaveText('Devuelta');
	await expect(debitItem.getByTestId('payment-returned')).toContainText(
		euros('Devuelto AM04 · Fondos insuficientes · gastos 3,00 €')
	);
	await expect(page.getByTestId('header-outstanding')).toHaveText(euros('Pendiente 36,30 €'));
	// The fee is a draft albarán for the office to issue.
	await expect(
		page.getByTestId('document-item').filter({ hasText: 'Albarán' }).getByTestId('document-state')
	).toHaveText('Borrador');
	await expectSynced(page, 20_000);
	await page.screenshot({ path: testInfo.outputPath('devolucion-1280.png'), fullPage: true });
	await page.locator('#tab-historial').click();
	await expect(page.getByText('Fondos insuficientes').first()).toBeVisible();

	// The technician never sees remittances.
	await phone.goto('/remesas');
	await expect(phone.getByTestId('remittances-not-available')).toBeVisible();
	await phoneContext.close();
	await admin.context.close();
});
