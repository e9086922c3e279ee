import { simpleParser } from 'mailparser';
import { expect, test } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { companyProfile, fibraTariff } from '../support/money';
import { smtpSettings, startSmtp, type TestSmtp } from '../support/mail';
import { device } from './pages/app';

/**
 * "Enviar facturas" end to end (docs/mail.md): after a month's run, the office picks a template and
 * sends every invoice by email; the progress bar and the counts follow the outbox, the SMTP server
 * receives one message per customer with an address, and the customer without one is counted.
 */

const MONTH = '2027-02';

let smtp: TestSmtp;
test.beforeAll(async () => {
	smtp = await startSmtp();
});
test.afterAll(async () => {
	await smtp?.close();
});

test('Enviar facturas: template, progress, each invoice once, customers without email counted', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const { page } = await device(browser);
	const tag = crypto.randomUUID().slice(0, 8);
	const seed = 42_000_000 + Math.floor(Math.random() * 40_000_000);
	const tariffId = crypto.randomUUID();
	const templateId = crypto.randomUUID();
	const emails = [0, 1, 2].map((i) => `abonado${i}-${tag}@cliente.test`);
	const mutations: { name: string; args: unknown }[] = [
		{ name: 'companyProfile.save', args: companyProfile() },
		{ name: 'tariff.create', args: fibraTariff(tariffId) },
		{
			name: 'mailTemplate.create',
			args: {
				id: templateId,
				name: `Factura del mes ${tag}`,
				subject: 'Su factura {{documento}}',
				body: 'Hola {{cliente}}: le adjuntamos la factura {{documento}} de {{importe}}.'
			}
		}
	];
	for (let i = 0; i < 4; i++) {
		const id = crypto.randomUUID();
		const contractId = crypto.randomUUID();
		const methodId = crypto.randomUUID();
		mutations.push(
			{
				name: 'customer.create',
				args: {
					id,
					isCompany: false,
					name: `Abonado ${i} Correo ${tag}`,
					taxIdType: 'nif',
					taxId: makeNif(seed + i),
					stateId: 'alta',
					// The last one has no address: counted, not sent.
					...(i < 3 ? { email: emails[i] } : {})
				}
			},
			{
				name: 'paymentMethod.create',
				args: {
					id: methodId,
					customerId: id,
					typeId: 'paymentMethodType-efectivo',
					isDefault: true
				}
			},
			{
				name: 'contract.create',
				args: {
					id: contractId,
					customerId: id,
					name: 'Casa',
					fromDate: '2026-01-01',
					billingFrequency: 'monthly',
					paymentMethodId: methodId
				}
			},
			{
				name: 'tariffAssignment.create',
				args: {
					id: crypto.randomUUID(),
					customerId: id,
					contractId,
					tariffId,
					startDate: '2026-01-01',
					quantity: 1
				}
			}
		);
	}
	const pushed = await page.request.post('/api/sync/push', {
		data: {
			clientId: crypto.randomUUID(),
			mutations: mutations.map((m) => ({ id: crypto.randomUUID(), ...m }))
		}
	});
	expect(JSON.stringify(await pushed.json())).not.toContain('"rejected"');
	const account = await page.request.put('/api/mail/account', {
		data: {
			smtp: smtpSettings(smtp.port),
			imap: null
		}
	});
	expect(account.status()).toBe(200);

	await page.setViewportSize({ width: 1280, height: 900 });
	await page.getByTestId('nav-facturacion').click();
	await page.getByTestId('billing-period').fill(MONTH);
	await page.getByTestId('billing-preview').click();
	await page.getByTestId('billing-issue').click();
	await page.getByTestId('billing-confirm-confirm').click();
	await expect(page.getByTestId('billing-result')).toContainText(`del mes ${MONTH}`, {
		timeout: 60_000
	});
	const box = page.getByTestId('run-mail');
	await expect(box).toBeVisible();
	await page.getByTestId('run-mail-template').selectOption({ label: `Factura del mes ${tag}` });
	await page.getByTestId('run-mail-send').click();
	await expect(page.getByTestId('run-mail-progress')).toBeVisible();
	// Written, queued and sent: the counts stop moving.
	await expect(page.getByTestId('run-mail-progress')).toHaveAttribute('data-busy', 'false', {
		timeout: 90_000
	});
	// Other tests' customers in the month may have no address (or one): ours are 3 sent and 1 without.
	await expect(page.getByTestId('run-mail-counts')).toHaveText(
		/^\d+ enviadas · 0 en cola · 0 fallidas · \d+ sin email$/,
		{ timeout: 90_000 }
	);
	const counts = (await page.getByTestId('run-mail-counts').textContent()) ?? '';
	const [sent, , , without] = counts.match(/\d+/g)!.map(Number);
	expect(sent).toBeGreaterThanOrEqual(3);
	expect(without).toBeGreaterThanOrEqual(1);
	await page.screenshot({ path: testInfo.outputPath('enviar-facturas-1280.png') });

	const ours = smtp.received.filter((m) => emails.includes(m.to[0]));
	expect(ours.map((m) => m.to[0]).sort()).toEqual([...emails].sort());
	const parsed = await simpleParser(ours[0].raw);
	expect(parsed.subject).toMatch(/^Su factura F\d{4}-\d+$/);
	expect(parsed.text).toContain('le adjuntamos la factura');
	expect(parsed.attachments).toHaveLength(1);
	expect(parsed.attachments[0].contentType).toBe('application/pdf');

	// Pressed again: nothing is sent twice.
	await page.getByTestId('run-mail-send').click();
	await expect(page.getByTestId('run-mail-counts')).toHaveText(counts, { timeout: 10_000 });
	await page.waitForTimeout(1500);
	expect(smtp.received.filter((m) => emails.includes(m.to[0]))).toHaveLength(3);

	await page.setViewportSize({ width: 360, height: 740 });
	await box.scrollIntoViewIfNeeded();
	await page.screenshot({ path: testInfo.outputPath('enviar-facturas-360.png'), fullPage: true });
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth > document.documentElement.clientWidth
	);
	expect(overflow).toBe(false);
});
