// Documents and VeriFactu records in the device window (docs/sync-protocol.md#windowed-entities),
// against the real server: pull sends an open document (draft, pending its number, unpaid)
// whatever its age and a settled one only inside the role's window or for a pinned customer;
// GET /api/sync/older pages a customer's older documents; migration 0013 gives stored rows the
// same window time as `windowTime`. Embedded libSQL file database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	windowTime,
	type Change,
	type Document,
	type EntityName,
	type OlderPage,
	type PullResponse
} from '@enlace/shared';
import { migrate, openDb, readMigrations } from '../../sync-server/src/db/client';
import { recordStatements, type RecordWrite } from '../../sync-server/src/sync/store';
import { pulledIds, signedInUser, writeRecords } from '../support/records';
import { api, customerArgs, pushOne, startTestServer, type TestServer } from '../support/server';

let s: TestServer;
let office: string;
let tech: string;
const A = customerArgs({ name: 'Documentos A' });
const B = customerArgs({ name: 'Documentos B' });
const write = (writes: RecordWrite[]) => writeRecords(s, writes);
const user = (role: 'office' | 'technician') => signedInUser(s, role);
const pulled = async (token: string, query = '') => (await pulledIds(s, token, query)).ids;
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const totals = { vat: [], baseCents: 1000, vatCents: 210, totalCents: 1210 };
/** An issued invoice of `customerId`, last changed `changed` (a date far back by default). */
function doc(id: string, customerId: string, changed: string, d: Partial<Document> = {}) {
	return {
		id,
		customerId,
		kind: 'factura',
		state: 'emitida',
		date: changed.slice(0, 10),
		issueDate: changed.slice(0, 10),
		number: `F-${id}`,
		lines: [{ description: 'Fibra', quantity: 1, unitCents: 1000, vatRate: 21 }],
		totals,
		createdAt: changed,
		updatedAt: changed,
		...d
	} as Document;
}
const put = (entity: EntityName, row: Record<string, unknown>): RecordWrite => ({
	entity,
	id: String(row.id),
	row
});
const record = (id: string, customerId: string, state: string, createdAt: string) => ({
	id,
	kind: 'alta',
	position: 1,
	chainKey: `B1#${id}`,
	issuerNif: 'B1',
	issuerName: 'Empresa',
	documentId: 'd',
	customerId,
	numSerie: 'F-1',
	fecha: '01-01-2025',
	previousHuella: id,
	generatedAt: createdAt,
	huella: 'H',
	state,
	createdAt
});

const OPEN_OLD = ['d-draft', 'd-pending', 'd-unpaid', 'd-partial', 'd-returned', 'v-pending'];
const SETTLED_OLD = ['d-paid', 'd-cancelled', 'd-offer', 'd-converted', 'v-sent'];

beforeAll(async () => {
	s = await startTestServer({
		env: { HISTORY_WINDOW_DAYS_OFFICE: '30', HISTORY_WINDOW_DAYS_TECHNICIAN: '7' }
	});
	for (const c of [A, B]) {
		const r = await pushOne(s.url, s.adminToken, 'customer.create', c);
		expect(r.body.results[0].status).toBe('applied');
	}
	const old = daysAgo(200);
	const draft: Partial<Document> = {
		state: 'borrador',
		number: undefined,
		issueDate: undefined,
		totals: undefined
	};
	await write([
		put('document', doc('d-draft', A.id, old, draft)),
		put('document', doc('d-pending', A.id, old, { ...draft, issueRequested: true })),
		put('document', doc('d-unpaid', A.id, old)),
		put('document', doc('d-partial', A.id, old, { state: 'cobrada-parcial', paidCents: 500 })),
		put('document', doc('d-returned', A.id, old, { state: 'devuelta' })),
		put('document', doc('d-paid', A.id, old, { state: 'cobrada' })),
		put('document', doc('d-cancelled', A.id, old, { state: 'anulada' })),
		put('document', doc('d-offer', A.id, old, { kind: 'presupuesto' })),
		put('document', doc('d-converted', A.id, old, { kind: 'albaran', convertedToId: 'd-x' })),
		// Issued long ago, paid twenty days ago: inside the office's window, not the technician's.
		put('document', doc('d-paid-lately', B.id, daysAgo(20), { state: 'cobrada' })),
		put('verifactuRecord', record('v-pending', A.id, 'pendiente', old)),
		put('verifactuRecord', record('v-sent', A.id, 'enviado', old))
	]);
	office = await user('office');
	tech = await user('technician');
});

afterAll(async () => {
	await s?.close();
});

describe('pull holds open documents and a window of settled ones', () => {
	it('sends open documents whatever their age; settled ones only when recent', async () => {
		const ids = await pulled(office);
		for (const id of [...OPEN_OLD, 'd-paid-lately']) expect(ids).toContain(id);
		for (const id of SETTLED_OLD) expect(ids).not.toContain(id);
	});

	it("sends a pinned customer's settled documents whatever their age", async () => {
		const ids = await pulled(office, `&pinned=${A.id}`);
		for (const id of [...OPEN_OLD, ...SETTLED_OLD]) expect(ids).toContain(id);
	});

	it('sends a technician the open documents and its own window (documents are `all`: cobros on site), no VeriFactu record', async () => {
		const ids = await pulled(tech);
		for (const id of OPEN_OLD.filter((x) => x.startsWith('d-'))) expect(ids).toContain(id);
		// Paid twenty days ago: outside the technician's seven days, unless the customer is pinned.
		for (const id of [...SETTLED_OLD, 'd-paid-lately', 'v-pending']) expect(ids).not.toContain(id);
		const pinned = await pulled(tech, `&pinned=${A.id},${B.id}`);
		for (const id of ['d-paid', 'd-offer', 'd-paid-lately']) expect(pinned).toContain(id);
		for (const id of ['v-pending', 'v-sent']) expect(pinned).not.toContain(id);
	});

	it('paying an old invoice sends it again: it counts from the payment', async () => {
		const head = (await api(s.url, office).get<PullResponse>(`/api/sync/pull?since=0`)).body;
		await write([
			put(
				'document',
				doc('d-unpaid', A.id, daysAgo(200), { state: 'cobrada', updatedAt: daysAgo(0) })
			)
		]);
		let since = head.seq;
		const changes: Change[] = [];
		for (;;) {
			const r = await api(s.url, office).get<PullResponse>(`/api/sync/pull?since=${since}`);
			changes.push(...r.body.changes);
			since = r.body.seq;
			if (!r.body.more) break;
		}
		expect(changes).toEqual([
			expect.objectContaining({
				id: 'd-unpaid',
				data: expect.objectContaining({ state: 'cobrada' })
			})
		]);
	});
});

describe('GET /api/sync/older?entity=document', () => {
	it("pages a customer's documents newest first, then the settled ones by last change", async () => {
		const seen: string[] = [];
		let next: string | undefined;
		for (let i = 0; i < 20 && (i === 0 || next); i++) {
			const q = `entity=document&customerId=${A.id}&limit=3${next ? `&before=${encodeURIComponent(next)}` : ''}`;
			const r = await api(s.url, office).get<OlderPage>(`/api/sync/older?${q}`);
			expect(r.status).toBe(200);
			seen.push(...r.body.rows.map((x) => String(x.id)));
			next = r.body.next;
		}
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen.slice(0, 5).sort()).toEqual([
			'd-draft',
			'd-partial',
			'd-pending',
			'd-returned',
			'd-unpaid'
		]);
		expect(seen.slice(5).sort()).toEqual(
			['d-cancelled', 'd-converted', 'd-offer', 'd-paid'].sort()
		);
	});

	it('gives a technician the older documents, never a VeriFactu record', async () => {
		const docs = await api(s.url, tech).get<OlderPage>(
			`/api/sync/older?entity=document&customerId=${A.id}&limit=100`
		);
		expect(docs.status).toBe(200);
		expect(docs.body.rows.map((x) => String(x.id))).toContain('d-paid');
		const records = await api(s.url, tech).get<OlderPage>(
			`/api/sync/older?entity=verifactuRecord&customerId=${A.id}`
		);
		expect(records.status === 200 ? records.body.rows : []).toEqual([]);
	});
});

describe('migration 0013', () => {
	it('gives stored documents, VeriFactu records and router jobs the window time of windowTime', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enlace-window-'));
		const db = openDb(`file:${path.join(dir, 'enlace.db')}`);
		try {
			const all = readMigrations();
			await migrate(
				db,
				all.filter((m) => m.version < 13)
			);
			const t = daysAgo(50);
			const later = daysAgo(3);
			const rows: [EntityName, Record<string, unknown>][] = [
				['document', doc('m-draft', 'c', t, { state: 'borrador', totals: undefined })],
				['document', doc('m-pending', 'c', t, { state: 'borrador', issueRequested: true })],
				['document', doc('m-unpaid', 'c', t)],
				['document', doc('m-partial', 'c', t, { state: 'cobrada-parcial', paidCents: 100 })],
				['document', doc('m-partial-all', 'c', t, { state: 'cobrada-parcial', paidCents: 1210 })],
				['document', doc('m-returned', 'c', t, { state: 'devuelta' })],
				['document', doc('m-paid', 'c', t, { state: 'cobrada', updatedAt: later })],
				['document', doc('m-cancelled', 'c', t, { state: 'anulada' })],
				['document', doc('m-offer', 'c', t, { kind: 'presupuesto' })],
				['document', doc('m-converted', 'c', t, { kind: 'albaran', convertedToId: 'x' })],
				['document', doc('m-no-stamp', 'c', t, { state: 'cobrada', updatedAt: undefined })],
				[
					'document',
					doc('m-credit', 'c', t, {
						kind: 'rectificativa',
						totals: { vat: [], baseCents: -1000, vatCents: -210, totalCents: -1210 }
					})
				],
				['verifactuRecord', record('m-v-pending', 'c', 'pendiente', t)],
				['verifactuRecord', record('m-v-sent', 'c', 'enviado', t)],
				[
					'routerJob',
					{
						id: 'm-job',
						customerId: 'c',
						routerId: 'r',
						kind: 'pppoe.ensure',
						state: 'done',
						attempts: 1,
						createdAt: t,
						updatedAt: later
					}
				]
			];
			await db.client.batch(
				recordStatements(
					rows.map(([entity, row]) => put(entity, row)),
					null,
					t
				),
				'write'
			);
			// As 0005 left them: no window time for documents and records, jobs from their start.
			await db.client.execute(
				"UPDATE records SET win_at = NULL, customer_id = CASE WHEN entity = 'document' THEN customer_id END WHERE entity IN ('document', 'verifactuRecord')"
			);
			await db.client.execute(
				"UPDATE records SET win_at = data ->> '$.createdAt' WHERE entity = 'routerJob'"
			);
			await migrate(db, all);
			const r = await db.client.execute(
				"SELECT entity, id, win_at, customer_id FROM records WHERE id LIKE 'm-%'"
			);
			const stored = new Map(r.rows.map((x) => [String(x.id), x]));
			expect(stored.size).toBe(rows.length);
			for (const [entity, row] of rows) {
				const x = stored.get(String(row.id))!;
				expect([row.id, x.win_at]).toEqual([row.id, windowTime(entity, row)]);
				expect([row.id, x.customer_id]).toEqual([row.id, 'c']);
			}
		} finally {
			db.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
