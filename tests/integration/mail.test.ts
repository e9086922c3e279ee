// Correo against real mail servers on loopback (docs/mail.md): an SMTP server (smtp-server)
// receives what the outbox sends, and Debian's Dovecot holds the mailbox the receiver watches.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage, MailUnassigned } from '@enlace/shared';
import { companyProfile, invoiceDraft } from '../support/money';
import {
	rawMessage,
	smtpSettings,
	startDovecot,
	startSmtp,
	type TestDovecot,
	type TestSmtp
} from '../support/mail';
import {
	api,
	customerArgs,
	pullAll,
	pushOne,
	startTestServer,
	type TestServer
} from '../support/server';

const ENV = { MAIL_RETRY_SECONDS: '1', MAIL_MAX_ATTEMPTS: '2', MAIL_POLL_SECONDS: '2' };

async function applied(s: TestServer, name: string, args: unknown) {
	const r = await pushOne(s.url, s.adminToken, name, args);
	expect(r.body.results[0], `${name}: ${JSON.stringify(r.body.results[0])}`).toMatchObject({
		status: 'applied'
	});
	return r;
}

async function rows<T>(s: TestServer, entity: string): Promise<T[]> {
	const { changes } = await pullAll(s.url, s.adminToken);
	return changes.filter((c) => c.entity === entity && c.op === 'put').map((c) => c.data as T);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v !== undefined) return v;
		if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('sending: the outbox and a real SMTP server', () => {
	let s: TestServer;
	let smtp: TestSmtp;
	let customerId: string;
	let documentId: string;

	beforeAll(async () => {
		smtp = await startSmtp({
			refuse: (rcpt) =>
				rcpt.startsWith('nadie@')
					? '5.1.1 <nadie@cliente.test>: Recipient address rejected: User unknown'
					: undefined
		});
		s = await startTestServer({ env: ENV });
		const put = await api(s.url, s.adminToken).raw('PUT', '/api/mail/account', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ smtp: smtpSettings(smtp.port), imap: null })
		});
		expect(put.status).toBe(200);
		const c = customerArgs({ name: 'Ana Núñez', email: 'ana@cliente.test' });
		customerId = c.id;
		await applied(s, 'customer.create', c);
		await applied(s, 'companyProfile.save', companyProfile());
		const d = invoiceDraft(customerId);
		documentId = d.id;
		await applied(s, 'document.create', d);
		await applied(s, 'document.issue', { id: d.id });
	});
	afterAll(async () => {
		await s?.close();
		await smtp?.close();
	});

	it('keeps the passwords on the server: the account answers only whether they are set', async () => {
		const r = await api(s.url, s.adminToken).get('/api/mail/account');
		expect(r.body.account.smtp).toMatchObject({ host: '127.0.0.1', passwordSet: true });
		expect(JSON.stringify(r.body)).not.toContain('clave-smtp-123');
		const { changes } = await pullAll(s.url, s.adminToken);
		expect(JSON.stringify(changes)).not.toContain('clave-smtp-123');
		// Saving again without a password keeps it.
		const { password: _p, ...noPassword } = smtpSettings(smtp.port);
		await api(s.url, s.adminToken).raw('PUT', '/api/mail/account', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ smtp: noPassword, imap: null })
		});
		const again = await api(s.url, s.adminToken).get('/api/mail/account');
		expect(again.body.account.smtp.passwordSet).toBe(true);
	});

	it('answers "Probar conexión" in plain words, good and bad', async () => {
		const good = await api(s.url, s.adminToken).post('/api/mail/account/test', {
			kind: 'smtp',
			settings: smtpSettings(smtp.port)
		});
		expect(good.body).toMatchObject({ ok: true });
		expect(good.body.message).toContain('Conexión correcta');
		const bad = await api(s.url, s.adminToken).post('/api/mail/account/test', {
			kind: 'smtp',
			settings: { ...smtpSettings(1), port: 1 }
		});
		expect(bad.body.ok).toBe(false);
		expect(bad.body.message).toContain('rechazó la conexión');
	});

	it('sends headers, a UTF-8 subject and body, and the PDF byte for byte', async () => {
		const id = randomUUID();
		const subject = 'Factura de diciembre — año 2026: 36,30 € (Peñíscola)';
		const body = 'Hola Ana:\n\nAdjuntamos la factura de diciembre. ¡Gracias!\n\n— Redes del Valle';
		await applied(s, 'mail.send', {
			id,
			customerId,
			to: ['ana@cliente.test'],
			cc: ['copia@cliente.test'],
			subject,
			body,
			documentIds: [documentId]
		});
		const got = await smtp.waitFor(1);
		expect(got.from).toBe('facturacion@isp.test');
		expect(got.to.sort()).toEqual(['ana@cliente.test', 'copia@cliente.test']);
		const mail = await simpleParser(got.raw);
		expect(mail.subject).toBe(subject);
		expect(mail.text?.trim()).toBe(body);
		expect(mail.from?.text).toBe('"Redes del Valle" <facturacion@isp.test>');
		expect(mail.cc && !Array.isArray(mail.cc) ? mail.cc.text : '').toBe('copia@cliente.test');
		expect(mail.messageId).toBe(`<${id}@isp.test>`);
		expect(mail.attachments).toHaveLength(1);
		const pdf = await fetch(`${s.url}/api/documents/${documentId}/pdf`, {
			headers: { authorization: `Bearer ${s.adminToken}` }
		});
		const bytes = Buffer.from(await pdf.arrayBuffer());
		expect(mail.attachments[0].contentType).toBe('application/pdf');
		expect(mail.attachments[0].filename).toMatch(/\.pdf$/);
		expect(Buffer.compare(mail.attachments[0].content, bytes)).toBe(0);

		const row = await until('sent state', async () =>
			(await rows<MailMessage>(s, 'mailMessage')).find((m) => m.id === id && m.status === 'sent')
		);
		expect(row).toMatchObject({ messageId: `<${id}@isp.test>`, direction: 'out', attempts: 1 });
		expect(row.sentAt).toBeTruthy();
	});

	it('a recipient the SMTP server refuses: failed, with its reason on the message', async () => {
		const id = randomUUID();
		const before = smtp.received.length;
		await applied(s, 'mail.send', {
			id,
			customerId,
			to: ['nadie@cliente.test'],
			subject: 'Prueba',
			body: 'x'
		});
		const row = await until('failed state', async () =>
			(await rows<MailMessage>(s, 'mailMessage')).find((m) => m.id === id && m.status === 'failed')
		);
		expect(row.error).toContain('rechazó el destinatario nadie@cliente.test');
		expect(row.error).toContain('User unknown');
		expect(row.attempts).toBe(1);
		expect(smtp.received.length).toBe(before);
	});

	it('an unreachable server: queued with the reason and a later try, then failed after the tries', async () => {
		const id = randomUUID();
		const { password: _p, ...settings } = smtpSettings(smtp.port);
		await api(s.url, s.adminToken).raw('PUT', '/api/mail/account', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ smtp: { ...settings, port: 1 }, imap: null })
		});
		await applied(s, 'mail.send', {
			id,
			customerId,
			to: ['ana@cliente.test'],
			subject: 'Reintento',
			body: 'x'
		});
		const retrying = await until('retry planned', async () =>
			(await rows<MailMessage>(s, 'mailMessage')).find((m) => m.id === id && m.attempts === 1)
		);
		expect(retrying.status).toBe('queued');
		expect(retrying.error).toContain('rechazó la conexión');
		expect(Date.parse(retrying.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1000);
		const failed = await until('failed after 2 tries', async () =>
			(await rows<MailMessage>(s, 'mailMessage')).find((m) => m.id === id && m.status === 'failed')
		);
		expect(failed.attempts).toBe(2);
		// Retried by hand once the account is right again: it goes.
		await api(s.url, s.adminToken).raw('PUT', '/api/mail/account', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ smtp: settings, imap: null })
		});
		const before = smtp.received.length;
		await applied(s, 'mail.retry', { id });
		await smtp.waitFor(before + 1);
		await until('sent after retry', async () =>
			(await rows<MailMessage>(s, 'mailMessage')).find((m) => m.id === id && m.status === 'sent')
		);
	});
});

describe('receiving: a real Dovecot watched over IMAP', () => {
	let s: TestServer;
	let dovecot: TestDovecot;
	let dataDir: string;
	const customer = customerArgs({ name: 'Bea Ruiz', email: 'Bea@Cliente.test' });
	const other = customerArgs({ name: 'Carlos Gil', email: 'carlos@otro.test' });
	const contact = {
		id: randomUUID(),
		customerId: other.id,
		name: 'Dani (administración)',
		email: 'dani@otro.test'
	};

	const account = () => ({
		smtp: smtpSettings(1),
		imap: {
			enabled: true,
			host: '127.0.0.1',
			port: dovecot.port,
			tls: false,
			user: dovecot.user,
			password: dovecot.password,
			folders: ['INBOX']
		}
	});

	beforeAll(async () => {
		dovecot = await startDovecot();
		dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-mail-data-'));
		s = await startTestServer({ env: ENV, dataDir });
		await applied(s, 'customer.create', customer);
		await applied(s, 'customer.create', other);
		await applied(s, 'contactPerson.create', contact);
		const r = await api(s.url, s.adminToken).raw('PUT', '/api/mail/account', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(account())
		});
		expect(r.status).toBe(200);
	});
	afterAll(async () => {
		await s?.close();
		await dovecot?.close();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it('"Probar conexión" signs in and opens the folders; a wrong password says so', async () => {
		const good = await api(s.url, s.adminToken).post('/api/mail/account/test', {
			kind: 'imap',
			settings: account().imap
		});
		expect(good.body.ok).toBe(true);
		expect(good.body.message).toContain('IDLE');
		const bad = await api(s.url, s.adminToken).post('/api/mail/account/test', {
			kind: 'imap',
			settings: { ...account().imap, password: 'otra-clave' }
		});
		expect(bad.body).toMatchObject({ ok: false });
		expect(bad.body.message).toContain('no aceptó el usuario o la contraseña');
	});

	it('files a message under the customer whose address sent it, with its attachment', async () => {
		const pdf = Buffer.from('%PDF-1.4\n% adjunto de prueba ñ\n%%EOF\n');
		await dovecot.append(
			rawMessage({
				from: 'Bea Ruiz <bea@cliente.test>',
				to: 'facturacion@isp.test',
				subject: 'Duda con la factura — ¿IVA?',
				body: 'Buenos días, ¿me lo explican? Gracias.',
				messageId: '<duda-1@cliente.test>',
				attachment: { name: 'captura.pdf', type: 'application/pdf', content: pdf }
			})
		);
		const row = await until('received row', async () =>
			(await rows<MailMessage>(s, 'mailMessage')).find(
				(m) => m.messageId === '<duda-1@cliente.test>'
			)
		);
		expect(row).toMatchObject({
			customerId: customer.id,
			direction: 'in',
			status: 'received',
			subject: 'Duda con la factura — ¿IVA?',
			read: false
		});
		expect(row.body.trim()).toBe('Buenos días, ¿me lo explican? Gracias.');
		expect(row.attachments).toHaveLength(1);
		const file = await fetch(`${s.url}/api/mail/files/${row.attachments[0].fileId}`, {
			headers: { authorization: `Bearer ${s.adminToken}` }
		});
		expect(file.status).toBe(200);
		expect(Buffer.compare(Buffer.from(await file.arrayBuffer()), pdf)).toBe(0);
		// Its bytes are in the file service's storage (here the local disk), not in the database.
		const fileId = row.attachments[0].fileId!;
		const stored = await s.db.client.execute({
			sql: 'SELECT size, data FROM mail_files WHERE id = ?',
			args: [fileId]
		});
		expect(stored.rows[0]).toMatchObject({ size: pdf.length, data: null });
		expect(fs.readFileSync(path.join(s.dataDir, 'files', `mail-${fileId}`))).toEqual(pdf);
		// A windowed entity: older pages of a customer's mail come online, like Historial's.
		const older = await api(s.url, s.adminToken).get(
			`/api/sync/older?entity=mailMessage&customerId=${customer.id}`
		);
		expect(older.status).toBe(200);
		expect(older.body.rows.map((m: MailMessage) => m.messageId)).toContain('<duda-1@cliente.test>');
	});

	it('files under every customer in From/To/Cc (a contact person counts), threads a reply', async () => {
		await dovecot.append(
			rawMessage({
				from: 'Dani <dani@otro.test>',
				to: 'facturacion@isp.test',
				cc: 'bea@cliente.test',
				subject: 'Re: Duda con la factura',
				body: 'Respondo en copia.',
				messageId: '<respuesta-2@otro.test>',
				inReplyTo: '<duda-1@cliente.test>'
			})
		);
		const both = await until('rows of both customers', async () => {
			const r = (await rows<MailMessage>(s, 'mailMessage')).filter(
				(m) => m.messageId === '<respuesta-2@otro.test>'
			);
			return r.length === 2 ? r : undefined;
		});
		expect(both.map((m) => m.customerId).sort()).toEqual([customer.id, other.id].sort());
		for (const m of both) expect(m.threadId).toBe('<duda-1@cliente.test>');
	});

	it('an unknown sender waits in Sin asignar; assigning files it and keeps the address', async () => {
		await dovecot.append(
			rawMessage({
				from: 'Desconocida <nueva@desconocido.test>',
				to: 'facturacion@isp.test',
				subject: 'Quiero contratar',
				body: 'Hola',
				messageId: '<alta-3@desconocido.test>'
			})
		);
		const inbox = await until('unassigned row', async () =>
			(await rows<MailUnassigned>(s, 'mailUnassigned')).find(
				(m) => m.messageId === '<alta-3@desconocido.test>'
			)
		);
		const messageRowId = randomUUID();
		const contactId = randomUUID();
		await applied(s, 'mail.assign', {
			id: inbox.id,
			customerId: other.id,
			messageRowId,
			addAddress: true,
			contactId
		});
		const all = await rows<MailMessage>(s, 'mailMessage');
		expect(all.find((m) => m.id === messageRowId)).toMatchObject({
			customerId: other.id,
			subject: 'Quiero contratar'
		});
		expect(
			(await rows<MailUnassigned>(s, 'mailUnassigned')).find((m) => m.id === inbox.id)
		).toBeUndefined();
		const contacts = await rows<{ id: string; email?: string; customerId: string }>(
			s,
			'contactPerson'
		);
		expect(contacts.find((c) => c.id === contactId)).toMatchObject({
			email: 'nueva@desconocido.test',
			customerId: other.id
		});
	});

	it('server stopped, two messages delivered, started again: both imported, once', async () => {
		const count = async () =>
			(await rows<MailMessage>(s, 'mailMessage')).filter((m) => m.messageId?.startsWith('<parado-'))
				.length;
		await s.close();
		for (const n of [1, 2]) {
			await dovecot.append(
				rawMessage({
					from: 'bea@cliente.test',
					to: 'facturacion@isp.test',
					subject: `Mientras estaba parado ${n}`,
					body: `Mensaje ${n}`,
					messageId: `<parado-${n}@cliente.test>`
				})
			);
		}
		s = await startTestServer({ env: ENV, dataDir });
		await until('both imported', async () => ((await count()) === 2 ? true : undefined));
		// Another restart, and the IMAP server restarted too: nothing comes twice.
		await s.close();
		await dovecot.stop();
		await dovecot.start();
		s = await startTestServer({ env: ENV, dataDir });
		const total = async () => (await rows<MailMessage>(s, 'mailMessage')).length;
		const before = await total();
		await dovecot.append(
			rawMessage({
				from: 'bea@cliente.test',
				to: 'facturacion@isp.test',
				subject: 'Después',
				body: 'x',
				messageId: '<despues-9@cliente.test>'
			})
		);
		await until('the next message', async () =>
			(await rows<MailMessage>(s, 'mailMessage')).some(
				(m) => m.messageId === '<despues-9@cliente.test>'
			)
				? true
				: undefined
		);
		expect(await count()).toBe(2);
		expect(await total()).toBe(before + 1);
	});
});
