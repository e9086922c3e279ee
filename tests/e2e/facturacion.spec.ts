import { expect, test } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { companyProfile, fibraTariff } from '../support/money';
import { device } from './pages/app';

/**
 * Facturación end to end (docs/billing-run.md): the office picks January, sees every contract's
 * invoice page by page with the totals and the one held back (no payment method), issues them
 * with "Emitir" while the progress bar counts, and the invoices appear in a customer's Documentos.
 */

// A month before the contracts other specs make on the suite's shared server (from 2026): only
// this spec's are due, so the counts are its own.
const MONTH = '2025-03';
const CUSTOMERS = 60;

test('preview, emitir with progress, invoices in the customer’s Documentos', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const { page } = await device(browser);
	const tariffId = crypto.randomUUID();
	const seed = 40_000_000 + Math.floor(Math.random() * 40_000_000);
	const customers: string[] = [];
	const mutations: { name: string; args: unknown }[] = [
		{ name: 'companyProfile.save', args: companyProfile() },
		{
			name: 'tariff.create',
			args: fibraTariff(tariffId)
		}
	];
	for (let i = 0; i <= CUSTOMERS; i++) {
		const id = crypto.randomUUID();
		const contractId = crypto.randomUUID();
		const methodId = crypto.randomUUID();
		customers.push(id);
		// The last one has no payment method: held back.
		const paid = i < CUSTOMERS;
		mutations.push(
			{
				name: 'customer.create',
				args: {
					id,
					isCompany: false,
					name: `Abonado ${String(i).padStart(3, '0')} Facturación`,
					taxIdType: 'nif',
					taxId: makeNif(seed + i),
					stateId: 'alta'
				}
			},
			...(paid
				? [
						{
							name: 'paymentMethod.create',
							args: {
								id: methodId,
								customerId: id,
								typeId: 'paymentMethodType-efectivo',
								isDefault: true
							}
						}
					]
				: []),
			{
				name: 'contract.create',
				args: {
					id: contractId,
					customerId: id,
					name: 'Casa',
					fromDate: '2025-01-01',
					billingFrequency: 'monthly',
					...(paid ? { paymentMethodId: methodId } : {})
				}
			},
			{
				name: 'tariffAssignment.create',
				args: {
					id: crypto.randomUUID(),
					customerId: id,
					contractId,
					tariffId,
					startDate: '2025-01-01',
					quantity: 1
				}
			}
		);
	}
	for (let i = 0; i < mutations.length; i += 100) {
		const pushed = await page.request.post('/api/sync/push', {
			data: {
				clientId: crypto.randomUUID(),
				mutations: mutations.slice(i, i + 100).map((m) => ({ id: crypto.randomUUID(), ...m }))
			}
		});
		expect(JSON.stringify(await pushed.json())).not.toContain('"rejected"');
	}

	await page.setViewportSize({ width: 1280, height: 900 });
	await page.getByTestId('nav-facturacion').click();
	await page.getByTestId('billing-period').fill(MONTH);
	await page.getByTestId('billing-preview').click();
	await expect(page.getByTestId('sum-invoices')).toHaveText(String(CUSTOMERS + 1));
	await expect(page.getByTestId('sum-ready')).toHaveText(String(CUSTOMERS));
	await expect(page.getByTestId('sum-amount')).toHaveText('2.178,00\u00a0€');
	await expect(page.getByTestId('sum-exceptions')).toHaveText('1');
	await expect(page.getByTestId('billing-item')).toHaveCount(50);
	await expect(page.getByTestId('page-of')).toHaveText('Página 1 de 2');
	await expect(page.getByTestId('billing-item').first()).toContainText('36,30');
	await page.screenshot({ path: testInfo.outputPath('facturacion-1280.png'), fullPage: false });
	await page.getByTestId('page-next').click();
	await expect(page.getByTestId('billing-item')).toHaveCount(11);
	await page.getByTestId('filter-exceptions').click();
	await expect(page.getByTestId('billing-item')).toHaveCount(1);
	await expect(page.getByTestId('item-exception')).toHaveText('Sin forma de pago');

	await page.getByTestId('billing-issue').click();
	await page.getByTestId('billing-confirm-confirm').click();
	await expect(page.getByTestId('billing-progress')).toBeVisible();
	await expect(page.getByTestId('billing-result')).toContainText(
		`${CUSTOMERS} facturas emitidas del mes ${MONTH}`,
		{ timeout: 60_000 }
	);
	await expect(page.getByTestId('billing-counts')).toHaveText(
		`${CUSTOMERS} de ${CUSTOMERS} emitidas · 1 retenidas`
	);
	await expect(page.getByTestId('sum-issued')).toHaveText(String(CUSTOMERS));
	await expect(page.getByTestId('billing-issue')).toBeDisabled();
	await page.getByTestId('filter-issued').click();
	await expect(page.getByTestId('item-number').first()).toHaveText(/^F\d{4}-\d{4}$/);

	await page.setViewportSize({ width: 360, height: 740 });
	await page.screenshot({ path: testInfo.outputPath('facturacion-360.png'), fullPage: true });

	// The invoice reaches the device like any synced row: in the customer's Documentos.
	await page.goto(`/clientes/${customers[0]}/documentos`);
	const doc = page.getByTestId('document-item').first();
	await expect(doc).toContainText(/F\d{4}-\d{4}/, { timeout: 20_000 });
	await expect(doc).toContainText('36,30');
});
