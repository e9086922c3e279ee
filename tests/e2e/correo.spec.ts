// Correo in the browser against real mail servers on loopback: the account set up in
// Configuración › Correo, a message written offline on a phone and sent when the device comes
// back (the SMTP server receives it), and mail APPENDed to Dovecot reaching the customer's tab.
import { simpleParser } from 'mailparser';
import { expect, test, type Page } from '@playwright/test';
import { makeNif } from '@enlace/shared';
import {
	rawMessage,
	startDovecot,
	startSmtp,
	type TestDovecot,
	type TestSmtp
} from '../support/mail';
import { createCustomer, device, expectSynced, waitForOfflineReady } from './pages/app';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 720 };
let nif = 41_000_000 + Math.floor(Math.random() * 1_000_000);

let smtp: TestSmtp;
let dovecot: TestDovecot;
test.beforeAll(async () => {
	smtp = await startSmtp();
	dovecot = await startDovecot();
});
test.afterAll(async () => {
	await smtp?.close();
	await dovecot?.close();
});

async function setUpAccount(page: Page, imap: boolean) {
	await page.goto('/configuracion/correo');
	const f = page.getByTestId('mail-account');
	await f.locator('input[name=smtpHost]').fill('127.0.0.1');
	await f.locator('input[name=smtpPort]').fill(String(smtp.port));
	await f.locator('select[name=smtpSecurity]').selectOption('none');
	await f.locator('input[name=smtpUser]').fill('envios@isp.test');
	await f.locator('input[name=smtpPassword]').fill('clave-smtp-123');
	await f.locator('input[name=fromName]').fill('Redes del Valle');
	// A bad address is said on its field; nothing is saved.
	await f.locator('input[name=fromAddress]').fill('facturacion@');
	await page.getByTestId('save-mail-account').click();
	await expect(f).toContainText('El correo electrónico no es válido');
	await f.locator('input[name=fromAddress]').fill('facturacion@isp.test');
	await page.getByTestId('test-smtp').click();
	await expect(page.getByTestId('test-smtp-result')).toContainText('Conexión correcta');
	if (imap) {
		await f.locator('input[name=imapOn]').check();
		await f.locator('input[name=imapHost]').fill('127.0.0.1');
		await f.locator('input[name=imapPort]').fill(String(dovecot.port));
		await f.locator('input[name=imapTls]').uncheck();
		await f.locator('input[name=imapUser]').fill(dovecot.user);
		await f.locator('input[name=imapPassword]').fill(dovecot.password);
		await page.getByTestId('test-imap').click();
		await expect(page.getByTestId('test-imap-result')).toContainText('Conexión correcta');
	}
	await page.getByTestId('save-mail-account').click();
	await expect(f).toContainText('Cuenta de correo guardada.');
	// Write-only: the saved password is never shown again, only that there is one.
	await expect(f.locator('input[name=smtpPassword]')).toHaveValue('');
	await expect(f).toContainText('Guardada (escriba otra para cambiarla)');
}

test('Correo: written offline on a phone, sent when back online; the SMTP server receives it', async ({
	browser
}) => {
	const { context, page } = await device(browser);
	await setUpAccount(page, false);
	await page.screenshot({ path: 'test-results/correo-cuenta-1280.png', fullPage: true });

	const id = await createCustomer(page, {
		name: 'Lucía Peña Ortiz',
		taxId: makeNif(nif++),
		email: 'lucia@cliente.test'
	});
	await expectSynced(page);
	await page.setViewportSize(PHONE);
	await page.goto(`/clientes/${id}/correo`);
	await waitForOfflineReady(page);
	await context.setOffline(true);

	await page.getByTestId('compose-mail').click();
	const form = page.getByTestId('mail-form');
	await expect(form.locator('input[name=to]')).toHaveValue('lucia@cliente.test');
	// Bad input is said on its field.
	await form.locator('input[name=cc]').fill('no-es-un-correo');
	await page.getByTestId('send-mail').click();
	await expect(form).toContainText('Indique el asunto');
	await expect(form).toContainText('El correo electrónico no es válido: no-es-un-correo');
	await form.locator('input[name=cc]').fill('');
	await form.locator('input[name=subject]').fill('Cambio de tarifa — año 2026');
	await form
		.locator('textarea[name=body]')
		.fill('Hola Lucía:\n\nLe confirmamos el cambio a 600 Mb. ¡Gracias!');
	await page.screenshot({ path: 'test-results/correo-redactar-360.png', fullPage: true });
	await page.getByTestId('send-mail').click();
	await expect(page.getByTestId('mail-notice')).toContainText('Sin red');
	const item = page.getByTestId('mail-item').first();
	await expect(item.getByTestId('mail-status')).toHaveText('En cola');
	expect(smtp.received).toHaveLength(0);
	// Every control of the tab fits the phone's width.
	for (const b of await page.locator('[data-testid=mail-tab] button').all()) {
		const box = await b.boundingBox();
		if (box) expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
	}

	await context.setOffline(false);
	const got = await smtp.waitFor(1, 20_000);
	const mail = await simpleParser(got.raw);
	expect(got.to).toEqual(['lucia@cliente.test']);
	expect(mail.subject).toBe('Cambio de tarifa — año 2026');
	expect(mail.text?.trim()).toBe('Hola Lucía:\n\nLe confirmamos el cambio a 600 Mb. ¡Gracias!');
	await expect(item.getByTestId('mail-status')).toHaveText('Enviado', { timeout: 15_000 });
	// The "queued" notice goes once the message has left the outbox.
	await expect(page.getByTestId('mail-notice')).toBeHidden();
	await page.screenshot({ path: 'test-results/correo-enviado-360.png', fullPage: true });
	await context.close();
});

test('Correo: mail delivered to the mailbox reaches the customer tab within 10 s; an unknown sender waits in Sin asignar', async ({
	browser
}) => {
	const { context, page } = await device(browser);
	await setUpAccount(page, true);
	await page.setViewportSize(PHONE);
	await page.screenshot({ path: 'test-results/correo-cuenta-360.png', fullPage: true });
	await page.setViewportSize(DESKTOP);
	const id = await createCustomer(page, {
		name: 'Marta Ibáñez',
		taxId: makeNif(nif++),
		email: 'marta@cliente.test'
	});
	const other = await createCustomer(page, { name: 'Otro Cliente', taxId: makeNif(nif++) });
	await expectSynced(page);
	await page.goto(`/clientes/${id}/correo`);
	await expect(page.getByTestId('mail-empty')).toBeVisible();

	await dovecot.append(
		rawMessage({
			from: 'Marta Ibáñez <marta@cliente.test>',
			to: 'facturacion@isp.test',
			subject: 'No me llega la factura de noviembre',
			body: '¿Me la reenvían, por favor?',
			messageId: `<e2e-${Date.now()}@cliente.test>`,
			attachment: { name: 'nota.txt', type: 'text/plain', content: Buffer.from('nota ñ') }
		})
	);
	const item = page.getByTestId('mail-item').first();
	await expect(item).toContainText('No me llega la factura de noviembre', { timeout: 10_000 });
	await expect(page.locator('#tab-correo')).toHaveText('Correo (1)');
	await expect(item.getByTestId('mail-status')).toHaveText('Recibido');
	await item.locator('button.head').click();
	await expect(item.getByTestId('mail-body')).toContainText('¿Me la reenvían, por favor?');
	await expect(page.locator('#tab-correo')).toHaveText('Correo');
	const download = page.waitForEvent('download');
	await item.getByTestId('mail-attachment').click();
	expect((await download).suggestedFilename()).toBe('nota.txt');
	await page.screenshot({ path: 'test-results/correo-recibido-1280.png', fullPage: true });
	await page.setViewportSize(PHONE);
	await page.screenshot({ path: 'test-results/correo-recibido-360.png', fullPage: true });
	await page.setViewportSize(DESKTOP);

	// Reply: answered to the sender, threaded on the server's side.
	await item.getByTestId('mail-reply').click();
	const form = page.getByTestId('mail-form');
	await expect(form.locator('input[name=to]')).toHaveValue('marta@cliente.test');
	await expect(form.locator('input[name=subject]')).toHaveValue(
		'Re: No me llega la factura de noviembre'
	);
	await page.getByTestId('send-mail').click();
	const before = smtp.received.length;
	const got = await smtp.waitFor(before + 1, 20_000);
	const reply = await simpleParser(got.raw);
	expect(reply.inReplyTo).toMatch(/^<e2e-\d+@cliente\.test>$/);

	// Someone nobody knows: Sin asignar, where the office files it.
	await dovecot.append(
		rawMessage({
			from: 'Nadie Conocido <nuevo@desconocido.test>',
			to: 'facturacion@isp.test',
			subject: 'Información de tarifas',
			body: 'Hola',
			messageId: `<e2e-unknown-${Date.now()}@desconocido.test>`
		})
	);
	await expect(page.getByTestId('nav-correo')).toContainText('(1)', { timeout: 10_000 });
	await page.getByTestId('nav-correo').click();
	const u = page.getByTestId('unassigned-item');
	await expect(u).toContainText('Información de tarifas');
	await u.locator('button.head').click();
	await page.getByTestId('assign-search').fill('Otro Cliente');
	await page.getByTestId('assign-search').press('Enter');
	await page.screenshot({ path: 'test-results/correo-sin-asignar-1280.png', fullPage: true });
	await page.setViewportSize(PHONE);
	await page.screenshot({ path: 'test-results/correo-sin-asignar-360.png', fullPage: true });
	await page.setViewportSize(DESKTOP);
	await page.getByTestId('assign-to').click();
	await expect(page.getByTestId('assign-done')).toContainText('Otro Cliente');
	await page.goto(`/clientes/${other}/correo`);
	await expect(page.getByTestId('mail-item')).toContainText('Información de tarifas');
	await page.goto(`/clientes/${other}/general`);
	await expect(page.locator('input[name=email]')).toHaveValue('nuevo@desconocido.test');
	await context.close();
});
