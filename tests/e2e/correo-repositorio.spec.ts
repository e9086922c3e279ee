import { simpleParser } from 'mailparser';
import { expect, test } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import { ADMIN } from '../playwright.config';
import { bytesOf, fileArgs, tusUpload } from '../support/files';
import { smtpSettings, startSmtp, type TestSmtp } from '../support/mail';
import { createCustomer, device, expectSynced } from './pages/app';

/**
 * Enviar Email with a file of the customer's Repositorio (docs/mail.md): the compose form offers
 * the files the server holds; the SMTP server receives the chosen one byte for byte.
 */

let smtp: TestSmtp;
test.beforeAll(async () => {
	smtp = await startSmtp();
});
test.afterAll(async () => {
	await smtp?.close();
});

test('Enviar Email: a Repositorio file attached, received byte for byte', async ({
	browser
}, testInfo) => {
	const { page } = await device(browser);
	const account = await page.request.put('/api/mail/account', {
		data: {
			smtp: smtpSettings(smtp.port),
			imap: null
		}
	});
	expect(account.status()).toBe(200);
	const id = await createCustomer(page, {
		name: 'Marta Gil Repositorio',
		taxId: makeNif(43_000_000 + Math.floor(Math.random() * 1_000_000)),
		email: 'marta@cliente.test'
	});
	await expectSynced(page);
	// A file uploaded to the Repositorio (as the tab does, over tus).
	const bytes = bytesOf(120_000, 3);
	const file = fileArgs(id, bytes, {
		name: 'Contrato firmado',
		fileName: 'contrato.pdf',
		mimeType: 'application/pdf'
	});
	const pushed = await page.request.post('/api/sync/push', {
		data: {
			clientId: crypto.randomUUID(),
			mutations: [{ id: crypto.randomUUID(), name: 'file.create', args: file }]
		}
	});
	expect(JSON.stringify(await pushed.json())).not.toContain('"rejected"');
	const login = await page.request.post('/api/auth/login', { data: ADMIN });
	const { token } = (await login.json()) as { token: string };
	const base = new URL(page.url()).origin;
	await tusUpload(base, token, file.id, bytes);

	await page.setViewportSize({ width: 360, height: 740 });
	await page.goto(`/clientes/${id}/correo`);
	await page.getByTestId('compose-mail').click();
	const form = page.getByTestId('mail-form');
	await form.locator('input[name=subject]').fill('Su contrato firmado');
	await form.locator('textarea[name=body]').fill('Le adjuntamos el contrato firmado.');
	const attach = page.getByTestId('mail-attach-file');
	await expect(attach).toHaveCount(1, { timeout: 15_000 });
	await attach.check();
	await page.screenshot({
		path: testInfo.outputPath('correo-repositorio-360.png'),
		fullPage: true
	});
	await page.getByTestId('send-mail').click();
	const got = await smtp.waitFor(1, 20_000);
	const mail = await simpleParser(got.raw);
	expect(got.to).toEqual(['marta@cliente.test']);
	expect(mail.attachments.map((a) => a.filename)).toEqual(['contrato.pdf']);
	expect(Buffer.compare(mail.attachments[0].content, bytes)).toBe(0);
	await expect(page.getByTestId('mail-item').first().getByTestId('mail-status')).toHaveText(
		'Enviado',
		{ timeout: 15_000 }
	);
});
