// docs/money.md: invoices issued through push get correlative numbers and a VeriFactu record
// chained per issuer, in one atomic write; the chain is checked and exported as XML that the
// AEAT's schema accepts; two servers on one sqld racing to issue never fork the chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	api,
	customerArgs,
	officeAndTechnician,
	pull,
	pushOne,
	startTestServer,
	startTwoServersOnSqld,
	type TestServer,
	type TwoServers
} from '../support/server';
import {
	COMPANY_NIF,
	companyProfile,
	invoiceDraft,
	madridToday,
	xmllintErrors
} from '../support/money';
import { pdfText } from '../support/pdf';

async function seed(s: TestServer) {
	expect(
		(await pushOne(s.url, s.adminToken, 'companyProfile.save', companyProfile())).body.results[0]
			.status
	).toBe('applied');
	const customer = customerArgs();
	expect(
		(await pushOne(s.url, s.adminToken, 'customer.create', customer)).body.results[0].status
	).toBe('applied');
	return customer.id as string;
}

async function issueNew(s: TestServer, customerId: string, o: Record<string, unknown> = {}) {
	const draft = invoiceDraft(customerId, o);
	const created = await pushOne(s.url, s.adminToken, 'document.create', draft);
	expect(created.body.results[0]).toEqual({ id: created.id, status: 'applied' });
	const issued = await pushOne(s.url, s.adminToken, 'document.issue', { id: draft.id });
	return { id: draft.id, result: issued.body.results[0] };
}

async function stored(s: TestServer, entity: string, id: string) {
	const r = await s.db.client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND id = ?',
		args: [entity, id]
	});
	return JSON.parse(String(r.rows[0].data));
}

const year = () => madridToday().slice(0, 4);

describe('money on one server', () => {
	let s: TestServer;
	let customerId: string;
	beforeAll(async () => {
		s = await startTestServer();
		customerId = await seed(s);
	});
	afterAll(async () => {
		await s?.close();
	});

	it('issues, cancels, exports valid XML and checks the chain; an altered invoice is named', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			const { id, result } = await issueNew(s, customerId);
			expect(result.status).toBe('applied');
			ids.push(id);
		}
		const docs = await Promise.all(ids.map((id) => stored(s, 'document', id)));
		expect(docs.map((d) => d.number)).toEqual([1, 2, 3].map((n) => `F${year()}-000${n}`));
		// 30,00 + 2 × 2,50 − 10 % = 34,50; VAT 21 % 7,245 → 7,25; total 41,75.
		expect(docs[0].totals).toMatchObject({ baseCents: 3450, vatCents: 725, totalCents: 4175 });
		const rec = await stored(s, 'verifactuRecord', docs[0].verifactuRecordId);
		expect(rec).toMatchObject({ position: 1, importeTotal: '41.75', state: 'pendiente' });

		expect(
			(await pushOne(s.url, s.adminToken, 'document.cancel', { id: ids[1] })).body.results[0].status
		).toBe('applied');
		const cancelled = await stored(s, 'document', ids[1]);
		expect(cancelled.state).toBe('anulada');
		expect(await stored(s, 'verifactuRecord', cancelled.cancelRecordId)).toMatchObject({
			kind: 'anulacion',
			position: 4,
			numSerie: `F${year()}-0002`
		});

		const check = await api(s.url, s.adminToken).get('/api/verifactu/check');
		expect(check.body).toEqual({ issuerNif: COMPANY_NIF, ok: true, count: 4 });

		const today = madridToday();
		const from = `${year()}-01-01`;
		const to = `${year()}-12-31`;
		const xml = await api(s.url, s.adminToken).get(
			`/api/verifactu/records.xml?from=${from}&to=${to}`
		);
		expect(xml.status).toBe(200);
		expect(xml.headers.get('content-type')).toMatch(/application\/xml/);
		expect(xml.body).toContain('<sf:RegistroAnulacion>');
		expect(xmllintErrors(xml.body)).toBe('');
		// The validation can fail: a wrong TipoHuella is refused by the schema.
		expect(xmllintErrors(xml.body.replace('<sf:TipoHuella>01', '<sf:TipoHuella>99'))).toMatch(
			/TipoHuella/
		);
		expect(today >= from).toBe(true);
		const none = await api(s.url, s.adminToken).get(
			'/api/verifactu/records.xml?from=2001-01-01&to=2001-12-31'
		);
		expect(none.status).toBe(404);

		// Someone edits an issued invoice's total in the database: the check names its record.
		await s.db.client.execute({
			sql: `UPDATE records SET data = json_set(data, '$.totals.totalCents', 100) WHERE entity = 'document' AND id = ?`,
			args: [ids[2]]
		});
		const broken = await api(s.url, s.adminToken).get('/api/verifactu/check');
		expect(broken.body).toMatchObject({ ok: false, firstBad: { position: 3, documentId: ids[2] } });
		await s.db.client.execute({
			sql: `UPDATE records SET data = json_set(data, '$.totals.totalCents', 4175) WHERE entity = 'document' AND id = ?`,
			args: [ids[2]]
		});
		// And a record's own amount: its huella no longer matches.
		await s.db.client.execute({
			sql: `UPDATE records SET data = json_set(data, '$.importeTotal', '1.00') WHERE entity = 'verifactuRecord' AND id = ?`,
			args: [docs[1].verifactuRecordId]
		});
		expect((await api(s.url, s.adminToken).get('/api/verifactu/check')).body).toMatchObject({
			ok: false,
			firstBad: { position: 2, reason: 'La huella no corresponde a los datos del registro' }
		});
	});

	it('refuses edits of an issued invoice; technicians get documents but not the records nor the endpoints', async () => {
		const { id } = await issueNew(s, customerId);
		const edit = await pushOne(s.url, s.adminToken, 'document.update', {
			id,
			patch: { notes: 'x' }
		});
		expect(edit.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conflict' } });
		const { techToken } = await officeAndTechnician(s);
		expect((await api(s.url, techToken).get('/api/verifactu/check')).status).toBe(403);
		const page = await pull(s.url, techToken, 0, 5000);
		const entities = new Set(page.changes.map((c) => c.entity));
		// Documents are `all` (a technician collects on site: docs/money.md); their records are not.
		expect(entities.has('document')).toBe(true);
		expect(entities.has('verifactuRecord')).toBe(false);
		expect(entities.has('companyProfile')).toBe(true);
		expect((await api(s.url, techToken).get(`/api/documents/${id}/pdf`)).status).toBe(403);
	});

	it("serves a document's PDF made by the shared code: number, totals and QR as on the device", async () => {
		const { id } = await issueNew(s, customerId);
		const doc = await stored(s, 'document', id);
		const res = await fetch(`${s.url}/api/documents/${id}/pdf`, {
			headers: { authorization: `Bearer ${s.adminToken}` }
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('content-disposition')).toContain(`Factura ${doc.number}.pdf`);
		const text = pdfText(new Uint8Array(await res.arrayBuffer())).replace(/\s+/g, ' ');
		for (const want of [doc.number, '41,75 €', 'QR tributario:', COMPANY_NIF]) {
			expect(text).toContain(want);
		}
		expect(text).not.toContain('BORRADOR');
		const missing = await api(s.url, s.adminToken).get(`/api/documents/${crypto.randomUUID()}/pdf`);
		expect(missing.status).toBe(404);
	});
});

describe('two servers on one sqld', () => {
	let two: TwoServers;
	let customerId: string;
	beforeAll(async () => {
		two = await startTwoServersOnSqld();
		customerId = await seed(two.a);
	});
	afterAll(async () => {
		await two?.close();
	});

	it('racing to issue: numbers correlative without gaps, one chain without forks', async () => {
		const N = 12;
		const drafts = Array.from({ length: N }, () => invoiceDraft(customerId));
		for (const d of drafts) {
			expect(
				(await pushOne(two.a.url, two.a.adminToken, 'document.create', d)).body.results[0].status
			).toBe('applied');
		}
		const answers = await Promise.all(
			drafts.map((d, i) =>
				pushOne(
					i % 2 ? two.b.url : two.a.url,
					two.a.adminToken,
					'document.issue',
					{ id: d.id },
					{ clientId: `dev-${i}` }
				)
			)
		);
		expect(answers.map((a) => a.body.results[0].status)).toEqual(drafts.map(() => 'applied'));
		const numbers = await Promise.all(
			drafts.map(async (d) => (await stored(two.a, 'document', d.id)).number)
		);
		expect(numbers.sort()).toEqual(
			Array.from({ length: N }, (_, i) => `F${year()}-${String(i + 1).padStart(4, '0')}`)
		);
		const check = await api(two.b.url, two.a.adminToken).get('/api/verifactu/check');
		expect(check.body).toEqual({ issuerNif: COMPANY_NIF, ok: true, count: N });
	});

	it('the database itself refuses a second record at a position or after the same huella', async () => {
		const r = await two.a.db.client.execute(
			"SELECT data FROM records WHERE entity = 'verifactuRecord' ORDER BY json_extract(data, '$.position') DESC LIMIT 1"
		);
		const last = JSON.parse(String(r.rows[0].data));
		const insert = (row: Record<string, unknown>) =>
			two.b.db.client.execute({
				sql: `INSERT INTO records (entity, id, scope, data, deleted, seq, updated_at) VALUES ('verifactuRecord', ?, 'finance', ?, 0, -1, '')`,
				args: [String(row.id), JSON.stringify(row)]
			});
		await expect(insert({ ...last, id: 'fork-1', huella: 'X' })).rejects.toThrow(/UNIQUE/);
		await expect(
			insert({ ...last, id: 'fork-2', chainKey: `${COMPANY_NIF}#999`, huella: 'Y' })
		).rejects.toThrow(/UNIQUE/);
	});
});
