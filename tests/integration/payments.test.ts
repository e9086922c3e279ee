// docs/money.md (Cobros) and docs/sepa-and-wallet.md (Remesas): payments pushed by a technician
// and the office on a real libSQL server; a remittance made from the stored invoices, its file
// valid against the pain.008.001.02 schema; a return; and two servers on one sqld making two
// remittances at once, so no invoice is ever in two files.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addDays,
	creditorIdentifierFromNif,
	remittanceXml,
	type Document,
	type Payment,
	type Remittance
} from '@enlace/shared';
import {
	customerArgs,
	officeAndTechnician,
	pullAll,
	pushOne,
	startTestServer,
	startTwoServersOnSqld,
	type TestServer,
	type TwoServers
} from '../support/server';
import { COMPANY_NIF, companyProfile, invoiceDraft, madridToday } from '../support/money';
import { validatePain008 } from '../support/xmllint';
import { migrate, openDb, readMigrations } from '../../sync-server/src/db/client';

const CREDITOR_IBAN = 'ES7921000813610123456789';
const DEBTOR_IBAN = 'ES9121000418450200051332';
const today = madridToday;
const inDays = (n: number) => addDays(madridToday(), n);

async function applied(s: TestServer, token: string, name: string, args: unknown) {
	const r = await pushOne(s.url, token, name, args);
	expect(r.body.results[0], `${name}: ${JSON.stringify(r.body.results[0])}`).toMatchObject({
		status: 'applied'
	});
	return r;
}

async function stored<T>(s: TestServer, entity: string, id: string): Promise<T> {
	const r = await s.db.client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND id = ?',
		args: [entity, id]
	});
	return JSON.parse(String(r.rows[0].data)) as T;
}

async function seedCompany(s: TestServer) {
	const cid = creditorIdentifierFromNif(COMPANY_NIF);
	if (!cid.ok) throw new Error(cid.message);
	await applied(
		s,
		s.adminToken,
		'companyProfile.save',
		companyProfile({ sepaCreditorId: cid.value })
	);
}

/** A customer paying by SEPA direct debit with a recurrent CORE mandate, and an issued invoice. */
async function sepaCustomerWithInvoice(s: TestServer) {
	const customer = customerArgs();
	await applied(s, s.adminToken, 'customer.create', customer);
	await applied(s, s.adminToken, 'paymentMethod.create', {
		id: randomUUID(),
		customerId: customer.id,
		typeId: 'paymentMethodType-sepa',
		iban: DEBTOR_IBAN,
		accountHolder: 'Lucía Peña Núñez',
		mandateReference: `M-${randomUUID().slice(0, 8)}`,
		mandateSignedAt: '2026-01-15',
		mandateScheme: 'CORE',
		mandateType: 'recurrent'
	});
	const draft = invoiceDraft(customer.id);
	await applied(s, s.adminToken, 'document.create', draft);
	await applied(s, s.adminToken, 'document.issue', { id: draft.id });
	return { customerId: customer.id as string, documentId: draft.id };
}

const remit = (s: TestServer, token: string, id = randomUUID()) =>
	pushOne(s.url, token, 'remittance.create', {
		id,
		scheme: 'CORE',
		dueUpTo: today(),
		collectionDate: inDays(5),
		creditorIban: CREDITOR_IBAN
	}).then((r) => ({ id, result: r.body.results[0] }));

describe('cobros and remesas on one server', () => {
	let s: TestServer;
	beforeAll(async () => {
		s = await startTestServer();
		await seedCompany(s);
	});
	afterAll(async () => {
		await s?.close();
	});

	it('a technician collects cash, not a transfer; the technician pulls documents and payments, never remittances', async () => {
		const { officeToken, techToken } = await officeAndTechnician(s);
		const { documentId } = await sepaCustomerWithInvoice(s);
		const cash = randomUUID();
		await applied(s, techToken, 'document.pay', {
			id: cash,
			documentId,
			method: 'efectivo',
			amountCents: 1000,
			date: today()
		});
		const refused = async (token: string, amountCents: number, error: object) => {
			const r = await pushOne(s.url, token, 'document.pay', {
				id: randomUUID(),
				documentId,
				method: 'transferencia',
				amountCents,
				date: today()
			});
			expect(r.body.results[0]).toMatchObject({ status: 'rejected', error });
		};
		await refused(techToken, 1000, { code: 'forbidden', field: 'method' });
		await refused(officeToken, 999_999, { code: 'invalid-field', field: 'amountCents' });
		const doc = await stored<Document>(s, 'document', documentId);
		expect(doc).toMatchObject({ state: 'cobrada-parcial', paidCents: 1000 });
		expect(await stored<Payment>(s, 'payment', cash)).toMatchObject({
			method: 'efectivo',
			userName: 'Usuario technician'
		});

		const r = await remit(s, officeToken);
		expect(r.result).toMatchObject({ status: 'applied' });
		const tech = await pullAll(s.url, techToken);
		const entities = new Set(tech.changes.map((c) => c.entity));
		expect(entities.has('document')).toBe(true);
		expect(entities.has('payment')).toBe(true);
		expect(entities.has('remittance')).toBe(false);
		expect(entities.has('paymentMethod')).toBe(false);
		expect((await pushOne(s.url, techToken, 'payment.return', {})).body.results[0]).toMatchObject({
			error: { code: 'forbidden' }
		});
	});

	it('makes a remittance from the stored invoices whose file validates; a return makes the invoice unpaid and the next debit FRST', async () => {
		const { documentId, customerId } = await sepaCustomerWithInvoice(s);
		const { id, result } = await remit(s, s.adminToken);
		expect(result).toMatchObject({ status: 'applied' });
		const r = await stored<Remittance>(s, 'remittance', id);
		const debit = r.debits.find((d) => d.documentId === documentId)!;
		expect(debit).toMatchObject({ sequenceType: 'FRST', amountCents: 4175, customerId });
		const xml = remittanceXml(r);
		const valid = validatePain008(xml);
		expect(valid.output).toContain('validates');
		expect(valid.ok).toBe(true);
		expect(xml).toContain(`<EndToEndId>${debit.endToEndId}</EndToEndId>`);
		expect((await stored<Document>(s, 'document', documentId)).state).toBe('remesada');

		// The bank returns it: unpaid again, a fee as a draft albarán, Historial says why.
		const feeDocumentId = randomUUID();
		await applied(s, s.adminToken, 'payment.return', {
			id: debit.paymentId,
			date: today(),
			reason: 'AM04',
			feeCents: 300,
			feeDocumentId
		});
		expect((await stored<Document>(s, 'document', documentId)).state).toBe('devuelta');
		expect(await stored<Document>(s, 'document', feeDocumentId)).toMatchObject({
			kind: 'albaran',
			state: 'borrador'
		});
		const lines = await s.db.client.execute({
			sql: `SELECT data FROM records WHERE entity = 'history' AND customer_id = ?`,
			args: [customerId]
		});
		const history = lines.rows.map((x) => JSON.parse(String(x.data)));
		expect(history).toContainEqual(
			expect.objectContaining({
				entity: 'document',
				field: 'state',
				newValue: 'devuelta',
				reason: expect.stringContaining('AM04 · Fondos insuficientes')
			})
		);
		const again = await remit(s, s.adminToken);
		expect(again.result).toMatchObject({ status: 'applied' });
		const second = await stored<Remittance>(s, 'remittance', again.id);
		expect(second.debits.find((d) => d.documentId === documentId)?.sequenceType).toBe('FRST');
	});
});

describe('two servers on one sqld', () => {
	let two: TwoServers;
	beforeAll(async () => {
		two = await startTwoServersOnSqld();
		await seedCompany(two.a);
	});
	afterAll(async () => {
		await two?.close();
	});

	it('two remittances made at once never take the same invoice', async () => {
		const docs: string[] = [];
		for (let i = 0; i < 4; i++) docs.push((await sepaCustomerWithInvoice(two.a)).documentId);
		const [a, b] = await Promise.all([
			remit(two.a, two.a.adminToken),
			remit(two.b, two.b.adminToken)
		]);
		const made = [a, b].filter((r) => r.result.status === 'applied');
		expect(made.length).toBeGreaterThanOrEqual(1);
		for (const r of [a, b].filter((x) => x.result.status !== 'applied')) {
			expect(r.result).toMatchObject({ error: { code: 'conflict' } });
		}
		const inFiles: string[] = [];
		for (const r of made) {
			const row = await stored<Remittance>(two.a, 'remittance', r.id);
			inFiles.push(...row.debits.map((d) => d.documentId));
		}
		expect(inFiles.sort()).toEqual([...docs].sort());
		const payments = await two.a.db.client.execute(
			`SELECT data FROM records WHERE entity = 'payment' AND deleted = 0`
		);
		expect(payments.rows.length).toBe(docs.length);
	});
});

describe('migration 0007_payments', () => {
	it('moves stored documents and their Historial lines to scope all and resets technicians', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-0007-'));
		const db = openDb(`file:${path.join(dir, 'enlace.db')}`);
		try {
			const all = readMigrations();
			await migrate(
				db,
				all.filter((m) => m.version < 7)
			);
			const insert = (entity: string, id: string, scope: string, data: object, seq: number) =>
				db.client.execute({
					sql: `INSERT INTO records (entity, id, customer_id, scope, data, deleted, seq, updated_at)
						VALUES (?, ?, 'c1', ?, ?, 0, ?, '2026-12-01T00:00:00Z')`,
					args: [entity, id, scope, JSON.stringify(data), seq]
				});
			await insert('document', 'd1', 'finance', { id: 'd1', state: 'emitida' }, 1);
			await insert('history', 'h1', 'finance', { id: 'h1', entity: 'document' }, 2);
			await insert('history', 'h2', 'finance', { id: 'h2', entity: 'paymentMethod' }, 3);
			await insert('verifactuRecord', 'v1', 'finance', { id: 'v1' }, 4);
			expect(await migrate(db, all)).toContain('0007_payments');
			const scopes = await db.client.execute('SELECT id, scope FROM records ORDER BY id');
			expect(Object.fromEntries(scopes.rows.map((r) => [r.id, r.scope]))).toEqual({
				d1: 'all',
				h1: 'all',
				h2: 'finance',
				v1: 'finance'
			});
			const rules = await db.client.execute(
				"SELECT value FROM counters WHERE name = 'scope-rules'"
			);
			expect(Number(rules.rows[0].value)).toBeGreaterThanOrEqual(1);
		} finally {
			db.client.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
