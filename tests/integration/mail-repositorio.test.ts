// Enviar Email with files of the customer's Repositorio (docs/mail.md): the server attaches the
// bytes from the file service's storage, and a real SMTP server (smtp-server on loopback) receives
// them byte for byte; a file not fully uploaded yet, or another customer's, is refused.
import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, fileArgs, tusUpload } from '../support/files';
import { smtpSettings, startSmtp, type TestSmtp } from '../support/mail';
import { api, customerArgs, pushOne, startTestServer, type TestServer } from '../support/server';

describe('Enviar Email with Repositorio files', () => {
	let s: TestServer;
	let smtp: TestSmtp;
	const customer = customerArgs({ name: 'Berta Ruiz', email: 'berta@cliente.test' });
	const other = customerArgs({ name: 'Otro Cliente' });

	beforeAll(async () => {
		smtp = await startSmtp();
		s = await startTestServer();
		const put = await api(s.url, s.adminToken).raw('PUT', '/api/mail/account', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				smtp: smtpSettings(smtp.port),
				imap: null
			})
		});
		expect(put.status).toBe(200);
		for (const c of [customer, other]) {
			const r = await pushOne(s.url, s.adminToken, 'customer.create', c);
			expect(r.body.results[0]).toMatchObject({ status: 'applied' });
		}
	});
	afterAll(async () => {
		await s?.close();
		await smtp?.close();
	});

	const send = (repositoryFileIds: string[], customerId = customer.id) =>
		pushOne(s.url, s.adminToken, 'mail.send', {
			id: randomUUID(),
			customerId,
			to: ['berta@cliente.test'],
			subject: 'El contrato firmado',
			body: 'Le adjuntamos el contrato y la foto.',
			repositoryFileIds
		});

	it('sends the stored bytes as they are; refuses a file not uploaded or of another customer', async () => {
		// Incompressible binary bytes (300 kB) and a small PDF.
		const photo = bytesOf(300_000, 7);
		const contract = Buffer.from('%PDF-1.4\n% contrato firmado ñ\n%%EOF\n');
		const photoRow = fileArgs(customer.id as string, photo);
		const contractRow = fileArgs(customer.id as string, contract, {
			name: 'Contrato firmado',
			fileName: 'contrato-firmado.pdf',
			mimeType: 'application/pdf'
		});
		for (const f of [photoRow, contractRow]) {
			const r = await pushOne(s.url, s.adminToken, 'file.create', f);
			expect(r.body.results[0]).toMatchObject({ status: 'applied' });
		}
		const early = await send([photoRow.id]);
		expect(early.body.results[0]).toMatchObject({
			status: 'rejected',
			error: { code: 'conflict', field: 'attachments' }
		});
		expect(JSON.stringify(early.body.results[0])).toContain('aún no ha llegado al servidor');
		await tusUpload(s.url, s.adminToken, photoRow.id, photo);
		await tusUpload(s.url, s.adminToken, contractRow.id, contract);
		const foreign = await send([photoRow.id], other.id as string);
		expect(foreign.body.results[0]).toMatchObject({
			status: 'rejected',
			error: { code: 'not-found' }
		});
		const sent = await send([contractRow.id, photoRow.id]);
		expect(sent.body.results[0]).toMatchObject({ status: 'applied' });
		const got = await smtp.waitFor(1);
		expect(got.to).toEqual(['berta@cliente.test']);
		const mail = await simpleParser(got.raw);
		expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
			['contrato-firmado.pdf', 'application/pdf'],
			['foto.jpg', 'image/jpeg']
		]);
		expect(Buffer.compare(mail.attachments[0].content, contract)).toBe(0);
		expect(Buffer.compare(mail.attachments[1].content, photo)).toBe(0);
		expect(smtp.received).toHaveLength(1);
	});
});
