// "Enviar facturas" of a billing run (docs/mail.md): every issued invoice of the month goes into
// the mail outbox once, to customers with an email, its PDF attached and the template filled; the
// outbox hands them to a real SMTP server (smtp-server on loopback) no faster than its rate; the
// job pressed twice, or left half written by a stopped server and taken up at the next start,
// emails no invoice twice.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpSettings, startSmtp, type TestSmtp } from '../support/mail';
import { RUN_MONTH, runInvoices, seedRun } from '../support/billing';
import { api, pushOne, startTestServer, type TestServer } from '../support/server';

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v !== undefined) return v;
		if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

const setEmail = (s: TestServer, customerId: string, email: string) =>
	s.db.client.execute({
		sql: `UPDATE records SET data = json_set(data, '$.email', ?) WHERE entity = 'customer' AND id = ?`,
		args: [email, customerId]
	});

const status = async (s: TestServer) =>
	(await api(s.url, s.adminToken).get(`/api/billing/runs/${RUN_MONTH}/email`)).body.mail;

describe('Enviar facturas: the run\u2019s invoices by email', () => {
	let s: TestServer;
	let smtp: TestSmtp;
	let customerIds: string[];
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-run-mail-'));
	const templateId = randomUUID();
	const WINDOW_MS = 1500;

	beforeAll(async () => {
		smtp = await startSmtp();
		s = await startTestServer({ dataDir, env: { MAIL_RATE_PER_MINUTE: '0' } });
		({ customerIds } = await seedRun(s, 6));
		await api(s.url, s.adminToken).post('/api/billing/runs', { period: RUN_MONTH });
		await s.billingRuns.job(RUN_MONTH);
		// Four of the six invoiced customers have an address; two have none.
		for (let i = 0; i < 4; i++) await setEmail(s, customerIds[i], `cliente${i}@cliente.test`);
	});
	afterAll(async () => {
		await s?.close();
		await smtp?.close();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it('refuses without a mail account, and a month without invoices', async () => {
		const r = await api(s.url, s.adminToken).post(`/api/billing/runs/${RUN_MONTH}/email`, {});
		expect(r.status).toBe(409);
		expect(r.body.error.message).toContain('cuenta de correo');
		const put = await api(s.url, s.adminToken).raw('PUT', '/api/mail/account', {
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				smtp: smtpSettings(smtp.port),
				imap: null
			})
		});
		expect(put.status).toBe(200);
		const none = await api(s.url, s.adminToken).post('/api/billing/runs/2030-05/email', {});
		expect(none.status).toBe(409);
		expect(none.body.error.message).toBe('No hay facturas emitidas de ese mes');
	});

	it('emails each invoice once, with its PDF and the template, throttled', async () => {
		const tpl = await pushOne(s.url, s.adminToken, 'mailTemplate.create', {
			id: templateId,
			name: 'Factura mensual',
			subject: 'Su factura {{documento}} de {{empresa}}',
			body: 'Hola {{cliente}}: adjuntamos la factura {{documento}} ({{importe}}).'
		});
		expect(tpl.body.results[0]).toMatchObject({ status: 'applied' });
		// Two messages per window: the SMTP server sees no window with more.
		s.mail.outbox.rate = { count: 2, windowMs: WINDOW_MS };
		const start = await api(s.url, s.adminToken).post(`/api/billing/runs/${RUN_MONTH}/email`, {
			templateId
		});
		expect(start.status).toBe(202);
		// Pressed again while it runs and after: nothing is written twice.
		await api(s.url, s.adminToken).post(`/api/billing/runs/${RUN_MONTH}/email`, { templateId });
		await s.billingRunMail.job(RUN_MONTH);
		await api(s.url, s.adminToken).post(`/api/billing/runs/${RUN_MONTH}/email`, { templateId });
		await s.billingRunMail.job(RUN_MONTH);
		const done = await until('4 sent', async () => {
			const m = await status(s);
			return m.sent === 4 ? m : undefined;
		});
		expect(done).toMatchObject({
			state: 'queued',
			invoices: 6,
			withoutEmail: 2,
			queued: 0,
			sending: 0,
			failed: 0
		});
		// Nothing more arrives.
		await new Promise((r) => setTimeout(r, 1000));
		expect(smtp.received).toHaveLength(4);
		const to = smtp.received.flatMap((m) => m.to).sort();
		expect(to).toEqual([0, 1, 2, 3].map((i) => `cliente${i}@cliente.test`));
		const invoices = await runInvoices(s);
		for (const got of smtp.received) {
			const parsed = await simpleParser(got.raw);
			const i = Number(got.to[0].match(/cliente(\d)/)![1]);
			const doc = invoices.find((d) => d.customerId === customerIds[i]);
			expect(parsed.subject).toBe(`Su factura ${doc.number} de Redes del Valle SL`);
			expect(parsed.text).toContain(`Hola Cliente 000${i}: adjuntamos la factura ${doc.number}`);
			expect(parsed.attachments.map((a) => a.filename)).toEqual([`Factura ${doc.number}.pdf`]);
			const pdf = await fetch(`${s.url}/api/documents/${doc.id}/pdf`, {
				headers: { authorization: `Bearer ${s.adminToken}` }
			});
			const bytes = Buffer.from(await pdf.arrayBuffer());
			expect(Buffer.compare(parsed.attachments[0].content, bytes)).toBe(0);
		}
		// The throttle: any two messages apart by `count` arrived a whole window apart.
		const at = smtp.received.map((m) => m.at);
		for (let k = 0; k + 2 < at.length; k++)
			expect(at[k + 2] - at[k]).toBeGreaterThanOrEqual(WINDOW_MS);
	});

	it('takes up a job a stopped server left half written, and sends no invoice twice', async () => {
		await s.close();
		// The server died while writing: the job is still `queuing`; two more customers now have an address.
		const { openDb } = await import('../../sync-server/src/db/client');
		const db = openDb(`file:${path.join(dataDir, 'enlace.db')}`);
		await db.client.execute(`UPDATE billing_run_mail SET state = 'queuing'`);
		for (const i of [4, 5]) {
			await db.client.execute({
				sql: `UPDATE records SET data = json_set(data, '$.email', ?) WHERE entity = 'customer' AND id = ?`,
				args: [`cliente${i}@cliente.test`, customerIds[i]]
			});
		}
		db.close();
		s = await startTestServer({ dataDir });
		await smtp.waitFor(6);
		const done = await until('6 sent', async () => {
			const m = await status(s);
			return m.sent === 6 && m.state === 'queued' ? m : undefined;
		});
		expect(done).toMatchObject({ invoices: 6, withoutEmail: 0, failed: 0 });
		await new Promise((r) => setTimeout(r, 1000));
		const to = smtp.received.flatMap((m) => m.to).sort();
		expect(to).toEqual([0, 1, 2, 3, 4, 5].map((i) => `cliente${i}@cliente.test`));
	});
});
