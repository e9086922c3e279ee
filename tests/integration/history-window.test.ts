// Windowed entities (docs/sync-protocol.md#windowed-entities) against the real server: pull sends
// Historial lines and finished router jobs only when recent for the role or of a pinned customer;
// GET /api/sync/older pages a customer's older lines, role-scoped like pull (a technician never
// gets a finance line through it); a change of window resets devices.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OlderPage, PullResponse } from '@enlace/shared';
import { pullBody } from '../../sync-server/src/sync/pull';
import type { RecordWrite } from '../../sync-server/src/sync/store';
import { pulledIds, signedInUser, writeRecords } from '../support/records';
import { api, customerArgs, pushOne, startTestServer, type TestServer } from '../support/server';

let s: TestServer;
let office: string;
let tech: string;
const A = customerArgs({ name: 'Cliente A' });
const B = customerArgs({ name: 'Cliente B' });
const write = (writes: RecordWrite[]) => writeRecords(s, writes);
const user = (role: 'office' | 'technician') => signedInUser(s, role);
const pulled = (token: string, query = '') => pulledIds(s, token, query);
const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

const line = (id: string, customerId: string, at: string, entity = 'customer'): RecordWrite => ({
	entity: 'history',
	id,
	scopeOf: entity as RecordWrite['entity'],
	row: {
		id,
		customerId,
		kind: 'auto',
		at,
		userId: 'u',
		userName: 'Ana',
		entity,
		entityId: customerId,
		field: entity === 'paymentMethod' ? 'iban' : 'phone',
		newValue: entity === 'paymentMethod' ? 'ES91 **** 1332' : '600000000'
	}
});
const job = (id: string, customerId: string, createdAt: string, state: string): RecordWrite => ({
	entity: 'routerJob',
	id,
	row: {
		id,
		customerId,
		routerId: 'r1',
		kind: 'pppoe.ensure',
		state,
		attempts: 0,
		createdAt,
		updatedAt: createdAt
	}
});

async function older(token: string, customerId: string, extra = '') {
	return api(s.url, token).get<OlderPage>(
		`/api/sync/older?entity=history&customerId=${customerId}${extra}`
	);
}

beforeAll(async () => {
	s = await startTestServer({
		env: { HISTORY_WINDOW_DAYS_OFFICE: '30', HISTORY_WINDOW_DAYS_TECHNICIAN: '7' }
	});
	for (const c of [A, B]) {
		const r = await pushOne(s.url, s.adminToken, 'customer.create', c);
		expect(r.body.results[0].status).toBe('applied');
	}
	await write([
		line('h-a-old', A.id, daysAgo(100)),
		line('h-a-old-bank', A.id, daysAgo(100), 'paymentMethod'),
		line('h-a-month', A.id, daysAgo(20)),
		line('h-a-new', A.id, daysAgo(1)),
		line('h-a-new-bank', A.id, daysAgo(1), 'paymentMethod'),
		line('h-b-old', B.id, daysAgo(100)),
		job('j-done-old', B.id, daysAgo(100), 'done'),
		job('j-queued-old', B.id, daysAgo(100), 'queued'),
		job('j-done-new', B.id, daysAgo(2), 'failed')
	]);
	office = await user('office');
	tech = await user('technician');
});

afterAll(async () => {
	await s?.close();
});

describe('pull holds a window of Historial and router jobs', () => {
	it("omits old lines and finished jobs; keeps recent ones, open jobs, and the role's period", async () => {
		const o = await pulled(office);
		expect(o.last.window).toEqual({ days: 30 });
		for (const id of ['h-a-new', 'h-a-new-bank', 'h-a-month', 'j-queued-old', 'j-done-new'])
			expect(o.ids).toContain(id);
		for (const id of ['h-a-old', 'h-a-old-bank', 'h-b-old', 'j-done-old'])
			expect(o.ids).not.toContain(id);
		// The technician's period is shorter, and never finance.
		const t = await pulled(tech);
		expect(t.last.window).toEqual({ days: 7 });
		expect(t.ids).toContain('h-a-new');
		expect(t.ids).not.toContain('h-a-month');
		expect(t.ids).not.toContain('h-a-new-bank');
	});

	it("includes a pinned customer's lines whatever their age, and only that customer's", async () => {
		const o = await pulled(office, `&pinned=${A.id}`);
		expect(o.ids).toContain('h-a-old');
		expect(o.ids).toContain('h-a-old-bank');
		expect(o.ids).not.toContain('h-b-old');
		const t = await pulled(tech, `&pinned=${A.id},${B.id}`);
		expect(t.ids).toContain('h-a-old');
		expect(t.ids).toContain('h-b-old');
		expect(t.ids).toContain('j-done-old');
		expect(t.ids).not.toContain('h-a-old-bank');
	});

	it('sends the tombstone of an old line to every device', async () => {
		const { last } = await pulled(office);
		await write([{ entity: 'history', id: 'h-b-old', row: null }]);
		const r = await api(s.url, office).get<PullResponse>(`/api/sync/pull?since=${last.seq}`);
		expect(r.body.changes).toEqual([expect.objectContaining({ id: 'h-b-old', op: 'delete' })]);
	});

	it('refuses more pinned customers than MAX_PINNED_CUSTOMERS, or ids that are not ids', async () => {
		const many = Array.from({ length: 41 }, (_, i) => `c-${i}`).join(',');
		expect((await api(s.url, office).get(`/api/sync/pull?pinned=${many}`)).status).toBe(400);
		expect((await api(s.url, office).get(`/api/sync/pull?pinned=a%20b`)).status).toBe(400);
	});

	it('a different window is a different access key: the device resets', async () => {
		const as = async (office: number, since = 0, deviceAccess?: string) =>
			JSON.parse(
				await pullBody(s.db, {
					role: 'office',
					since,
					limit: 10,
					serverId: 'x',
					deviceAccess,
					windowDays: { office, technician: 7 }
				})
			) as PullResponse;
		const first = await as(30);
		expect((await as(30, 1, first.access)).reset).toBeUndefined();
		const longer = await as(90, 1, first.access);
		expect(longer.reset).toBe(true);
		expect(longer.window).toEqual({ days: 90 });
	});
});

describe('GET /api/sync/older', () => {
	it('pages a customer’s lines newest first, without skipping or repeating one', async () => {
		const seen: string[] = [];
		let next: string | undefined;
		for (let i = 0; i < 10; i++) {
			const r = await older(
				office,
				A.id,
				`&limit=2${next ? `&before=${encodeURIComponent(next)}` : ''}`
			);
			expect(r.status).toBe(200);
			seen.push(...r.body.rows.map((x) => String(x.id)));
			next = r.body.next;
			if (!next) break;
		}
		// Auto lines of the customer.create push come first (newest), then the seeded ones.
		const seeded = seen.filter((id) => id.startsWith('h-a-'));
		expect(seeded.slice(0, 2).sort()).toEqual(['h-a-new', 'h-a-new-bank']);
		expect(seeded[2]).toBe('h-a-month');
		expect(seeded.slice(3).sort()).toEqual(['h-a-old', 'h-a-old-bank']);
		expect(new Set(seen).size).toBe(seen.length);
		expect(new Set(seeded)).toEqual(
			new Set(['h-a-new-bank', 'h-a-new', 'h-a-month', 'h-a-old-bank', 'h-a-old'])
		);
	});

	it('starts before a cursor: only older lines', async () => {
		const r = await older(office, A.id, `&before=${encodeURIComponent(`${daysAgo(50)}|zzz`)}`);
		expect(r.body.rows.map((x) => x.id).sort()).toEqual(['h-a-old', 'h-a-old-bank']);
		expect(r.body.next).toBeUndefined();
	});

	it('never gives a technician a finance line', async () => {
		const r = await older(tech, A.id, '&limit=500');
		expect(r.status).toBe(200);
		const ids = r.body.rows.map((x) => x.id);
		expect(ids).toContain('h-a-old');
		expect(ids).not.toContain('h-a-old-bank');
		expect(ids).not.toContain('h-a-new-bank');
		expect(r.body.rows.every((x) => x.entity !== 'paymentMethod')).toBe(true);
	});

	it('refuses what is not a windowed entity, a bad id or cursor, and a signed-out caller', async () => {
		expect(
			(await api(s.url, office).get(`/api/sync/older?entity=customer&customerId=${A.id}`)).status
		).toBe(400);
		expect(
			(await api(s.url, office).get(`/api/sync/older?entity=history&customerId=a%20b`)).status
		).toBe(400);
		expect((await older(office, A.id, '&before=nocursor')).status).toBe(400);
		expect((await older('', A.id)).status).toBe(401);
	});
});
