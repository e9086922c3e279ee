// The sync-server over real HTTP on loopback, run twice: on the embedded file database and on a
// libSQL server (sqld), the two storage modes of docs/architecture.md › Storage modes. Each suite
// owns its server; tests inside a suite share it, so they assert on the rows they made, not on
// global totals.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES_BY_ROLE, type Change } from '@enlace/shared';
import {
	api,
	ADMIN_EMAIL,
	ADMIN_PASSWORD,
	customerArgs,
	mutation,
	pull,
	pullAll,
	push,
	pushOne,
	startTestServer,
	startTestServerOnSqld,
	startTwoServersOnSqld,
	type ApiResponse,
	type Json,
	type TestServer,
	type TwoServers
} from '../support/server';
import { openEvents } from '../support/sse';

type MakeServer = () => Promise<TestServer>;

/** What a hostile request must not touch: the change log, every row's version, the health seq. */
async function snapshot(s: TestServer) {
	const health = await api(s.url).get('/api/health');
	const rows = await s.db.client.execute(
		'SELECT entity, id, seq, deleted FROM records ORDER BY entity, id'
	);
	const counter = await s.db.client.execute("SELECT value FROM counters WHERE name = 'seq'");
	return {
		healthSeq: health.body.seq as number,
		dbSeq: Number(counter.rows[0].value),
		count: rows.rows.length,
		rows: rows.rows.map((r) => `${r.entity}|${r.id}|${r.seq}|${r.deleted}`)
	};
}

async function expectNothingWritten<T>(s: TestServer, fn: () => Promise<T>): Promise<T> {
	const before = await snapshot(s);
	expect(before.count).toBeGreaterThan(0);
	const out = await fn();
	const after = await snapshot(s);
	expect(after.healthSeq).toBe(before.healthSeq);
	expect(after.dbSeq).toBe(before.dbSeq);
	expect(after.count).toBe(before.count);
	expect(after.rows).toEqual(before.rows);
	return out;
}

function expectError(r: ApiResponse, status: number, code: string, field?: string) {
	expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
	expect(typeof r.body.error.message).toBe('string');
	if (field !== undefined) expect(r.body.error.field).toBe(field);
}

/** The latest change per (entity, id) after a full pull: what a fresh device would hold. */
async function state(url: string, token: string): Promise<Map<string, Change>> {
	const { changes } = await pullAll(url, token);
	return new Map(changes.map((c) => [`${c.entity}:${c.id}`, c]));
}

async function customerRow(url: string, token: string, id: string): Promise<Json> {
	const c = (await state(url, token)).get(`customer:${id}`);
	expect(c?.op).toBe('put');
	return c?.data;
}

async function createCustomer(
	s: TestServer,
	overrides: Record<string, unknown> = {},
	token = s.adminToken
): Promise<Json> {
	const args = customerArgs(overrides);
	const r = await pushOne(s.url, token, 'customer.create', args);
	expect(r.body.results).toEqual([{ id: r.id, status: 'applied' }]);
	expect(r.status).toBe(200);
	return args;
}

function historyOf(changes: Iterable<Change>, entityId: string): Json[] {
	return [...changes]
		.filter((c) => c.entity === 'history' && c.op === 'put' && c.data?.entityId === entityId)
		.map((c) => c.data);
}

function syncSuite(name: string, makeServer: MakeServer) {
	describe(name, () => {
		let s: TestServer;
		beforeAll(async () => {
			s = await makeServer();
		});
		afterAll(async () => {
			await s?.close();
		});

		describe('auth', () => {
			it('logs in, answers /me by bearer and by cookie, and logs out', async () => {
				const r = await api(s.url).post('/api/auth/login', {
					email: ADMIN_EMAIL,
					password: ADMIN_PASSWORD
				});
				expect(r.status).toBe(200);
				expect(r.body.token).toMatch(/^[\w-]{40,}$/);
				expect(r.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
				expect(r.body.user).not.toHaveProperty('password_hash');
				const setCookie = r.headers.get('set-cookie') ?? '';
				expect(setCookie).toMatch(/enlace_session=/);
				expect(setCookie).toMatch(/HttpOnly/i);
				const cookie = setCookie.split(';')[0];
				expect(cookie).toBe(`enlace_session=${r.body.token}`);

				const byBearer = await api(s.url, r.body.token).get('/api/me');
				expect(byBearer.status).toBe(200);
				expect(byBearer.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin' });
				const byCookie = await api(s.url).get('/api/me', { headers: { cookie } });
				expect(byCookie.status).toBe(200);
				expect(byCookie.body.user).toEqual(byBearer.body.user);
				// The cookie works for sync too, not only for /me.
				const pulled = await api(s.url).get('/api/sync/pull?since=0&limit=1', {
					headers: { cookie }
				});
				expect(pulled.status).toBe(200);

				const out = await api(s.url, r.body.token).post('/api/auth/logout');
				expect(out.status).toBe(200);
				expectError(await api(s.url, r.body.token).get('/api/me'), 401, 'unauthorized');
				expectError(await api(s.url).get('/api/me', { headers: { cookie } }), 401, 'unauthorized');
				// Other sessions of the same user live on.
				expect((await api(s.url, s.adminToken).get('/api/me')).status).toBe(200);
			});

			it('refuses bad credentials the same way for a wrong password and an unknown user', async () => {
				const wrong = await api(s.url).post('/api/auth/login', {
					email: ADMIN_EMAIL,
					password: 'not-the-password'
				});
				expectError(wrong, 401, 'invalid-credentials');
				expect(wrong.headers.get('set-cookie')).toBeNull();
				const unknown = await api(s.url).post('/api/auth/login', {
					email: 'nadie@enlace.test',
					password: ADMIN_PASSWORD
				});
				expectError(unknown, 401, 'invalid-credentials');
				expect(unknown.body.error.message).toBe(wrong.body.error.message);
				// The e-mail is matched without regard to case or surrounding blanks.
				const shouting = await api(s.url).post('/api/auth/login', {
					email: `  ${ADMIN_EMAIL.toUpperCase()} `,
					password: ADMIN_PASSWORD
				});
				expect(shouting.status).toBe(200);
				expectError(
					await api(s.url).post('/api/auth/login', { email: ADMIN_EMAIL }),
					400,
					'invalid-field',
					'password'
				);
			});

			it('answers 401 without a session or with a forged one', async () => {
				for (const token of [undefined, 'forged-token', s.adminToken + 'x']) {
					const a = api(s.url, token);
					expectError(await a.get('/api/me'), 401, 'unauthorized');
					expectError(await a.get('/api/sync/pull?since=0'), 401, 'unauthorized');
					expectError(await a.get('/api/sync/events'), 401, 'unauthorized');
				}
			});
		});

		describe('push and pull', () => {
			// First in the suite to create customers, so the series starts at C00001.
			it('numbers customers C00001, C00002… uniquely, also when pushes race', async () => {
				const first = await createCustomer(s, { code: 'C99999' });
				const second = await createCustomer(s, { code: 'PROV-123456' });
				expect((await customerRow(s.url, s.adminToken, first.id)).code).toBe('C00001');
				expect((await customerRow(s.url, s.adminToken, second.id)).code).toBe('C00002');

				const racing = Array.from({ length: 10 }, () => customerArgs());
				const answers = await Promise.all(
					racing.map((args, i) =>
						pushOne(s.url, s.adminToken, 'customer.create', args, { clientId: `device-${i}` })
					)
				);
				for (const a of answers) expect(a.body.results[0].status).toBe('applied');
				const rows = await state(s.url, s.adminToken);
				const codes = racing.map((c) => rows.get(`customer:${c.id}`)?.data?.code).sort();
				expect(codes).toEqual(
					Array.from({ length: 10 }, (_, i) => `C${String(i + 3).padStart(5, '0')}`)
				);
			});

			it('applies a push and pulls the rows back', async () => {
				const before = await pull(s.url, s.adminToken, 0);
				const customer = customerArgs({
					name: 'Comercial Ebro SL',
					isCompany: true,
					taxIdType: 'cif',
					taxId: 'b-12.345.674',
					phone: '976 000 111',
					tags: ['fibra', 'empresa']
				});
				const address = {
					id: randomUUID(),
					customerId: customer.id,
					label: 'fiscal',
					street: 'Calle Mayor 1',
					postalCode: '50001',
					town: 'Zaragoza',
					province: 'Zaragoza',
					country: 'ES'
				};
				const contact = {
					id: randomUUID(),
					customerId: customer.id,
					name: 'Lucía Pérez',
					email: 'lucia@ebro.example'
				};
				const r = await push(s.url, s.adminToken, [
					mutation('customer.create', customer),
					mutation('address.create', address),
					mutation('contactPerson.create', contact)
				]);
				expect(r.status).toBe(200);
				expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
				expect(r.body.error).toBeUndefined();
				expect(r.body.seq).toBeGreaterThan(before.seq);

				const page = await pull(s.url, s.adminToken, before.seq);
				expect(page.reset).toBeUndefined();
				expect(page.more).toBe(false);
				expect(page.seq).toBe(r.body.seq);
				expect((await api(s.url).get('/api/health')).body.seq).toBe(r.body.seq);
				const byKey = new Map(page.changes.map((c) => [`${c.entity}:${c.id}`, c]));
				const c = byKey.get(`customer:${customer.id}`);
				expect(c?.op).toBe('put');
				expect(c?.data).toMatchObject({
					id: customer.id,
					name: 'Comercial Ebro SL',
					isCompany: true,
					taxIdType: 'cif',
					taxId: 'B12345674',
					phone: '976 000 111',
					tags: ['fibra', 'empresa'],
					stateId: 'alta'
				});
				expect(c?.data?.code).toMatch(/^C\d{5}$/);
				expect(c?.data?.altaDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
				expect(Date.parse(String(c?.data?.createdAt))).not.toBeNaN();
				expect(byKey.get(`address:${address.id}`)?.data).toMatchObject(address);
				expect(byKey.get(`contactPerson:${contact.id}`)?.data).toMatchObject(contact);
				// Every row of the push, and one automatic Historial line for each created row.
				expect(historyOf(page.changes, customer.id)).toHaveLength(1);
				expect(historyOf(page.changes, address.id)).toHaveLength(1);
				expect(historyOf(page.changes, contact.id)).toHaveLength(1);
				expect(page.changes).toHaveLength(6);
				const seqs = page.changes.map((x) => x.seq);
				expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
				expect(new Set(seqs).size).toBe(seqs.length);
			});

			it('answers a replayed mutation as before and writes nothing again', async () => {
				const m = mutation('customer.create', customerArgs());
				const first = await push(s.url, s.adminToken, [m]);
				expect(first.status).toBe(200);
				expect(first.body.results).toEqual([{ id: m.id, status: 'applied' }]);
				const after = await snapshot(s);
				const history = after.rows.filter((r) => r.startsWith('history|')).length;

				const again = await expectNothingWritten(s, () => push(s.url, s.adminToken, [m], 'other'));
				expect(again.status).toBe(first.status);
				expect(again.body).toEqual(first.body);
				const later = await snapshot(s);
				expect(later.rows.filter((r) => r.startsWith('history|')).length).toBe(history);

				// A replay of an old update must not undo a newer one.
				const u1 = mutation('customer.update', { id: m.args.id, patch: { phone: '600000001' } });
				const u2 = mutation('customer.update', { id: m.args.id, patch: { phone: '600000002' } });
				expect(
					(await push(s.url, s.adminToken, [u1, u2])).body.results.map((x) => x.status)
				).toEqual(['applied', 'applied']);
				const replay = await expectNothingWritten(s, () => push(s.url, s.adminToken, [u1]));
				expect(replay.body.results).toEqual([{ id: u1.id, status: 'applied' }]);
				expect((await customerRow(s.url, s.adminToken, m.args.id)).phone).toBe('600000002');

				// Two copies of one mutation racing each other: applied once.
				const twin = mutation('customer.create', customerArgs());
				const [a, b] = await Promise.all([
					push(s.url, s.adminToken, [twin], 'a'),
					push(s.url, s.adminToken, [twin], 'b')
				]);
				expect(a.body.results).toEqual([{ id: twin.id, status: 'applied' }]);
				expect(b.body.results).toEqual([{ id: twin.id, status: 'applied' }]);
				const rows = await s.db.client.execute({
					sql: "SELECT COUNT(*) AS n FROM records WHERE entity = 'history' AND json_extract(data, '$.entityId') = ?",
					args: [(twin.args as Json).id]
				});
				expect(Number(rows.rows[0].n)).toBe(1);

				// A rejection is remembered too: the same id answers the same, even with other args.
				const bad = mutation('customer.create', customerArgs({ taxId: '12345678A' }));
				const rejected = await push(s.url, s.adminToken, [bad]);
				expect(rejected.status).toBe(400);
				const fixed = { ...bad, args: { ...(bad.args as Json), taxId: '12345678Z' } };
				const replayed = await expectNothingWritten(s, () => push(s.url, s.adminToken, [fixed]));
				expect(replayed.status).toBe(400);
				expect(replayed.body).toEqual(rejected.body);
			});

			it('patches only the fields sent: two clients editing different fields both win', async () => {
				const c = await createCustomer(s, { tradeName: 'Bar Pepe', phone: '976111222' });
				const before = await customerRow(s.url, s.adminToken, c.id);

				const [a, b] = await Promise.all([
					pushOne(
						s.url,
						s.adminToken,
						'customer.update',
						{ id: c.id, patch: { mobile: '611222333' } },
						{ clientId: 'phone' }
					),
					pushOne(
						s.url,
						s.adminToken,
						'customer.update',
						{ id: c.id, patch: { email: 'pepe@bar.example' } },
						{ clientId: 'office' }
					)
				]);
				expect([a.body.results[0].status, b.body.results[0].status]).toEqual([
					'applied',
					'applied'
				]);
				// And a burst of six clients, one field each.
				const fields: Record<string, unknown> = {
					web: 'https://bar.example',
					comments: 'Llamar por la tarde',
					fax: '976000000',
					phone2: '976333444',
					language: 'ca',
					isSupplier: true
				};
				const burst = await Promise.all(
					Object.entries(fields).map(([k, v], i) =>
						pushOne(
							s.url,
							s.adminToken,
							'customer.update',
							{ id: c.id, patch: { [k]: v } },
							{ clientId: `c${i}` }
						)
					)
				);
				for (const r of burst) expect(r.body.results[0].status).toBe('applied');
				// `null` clears a field.
				await pushOne(s.url, s.adminToken, 'customer.update', {
					id: c.id,
					patch: { tradeName: null }
				});

				const after = await customerRow(s.url, s.adminToken, c.id);
				const { updatedAt: _u0, tradeName: _t, ...kept } = before;
				const { updatedAt: _u1, ...now } = after;
				expect(now).toEqual({ ...kept, mobile: '611222333', email: 'pepe@bar.example', ...fields });
				expect(after.tradeName).toBeUndefined();
				expect(after.updatedAt >= before.updatedAt).toBe(true);
			});

			it('lets the later push win when the same field is edited twice, and keeps both in Historial', async () => {
				const c = await createCustomer(s, { phone: '976000001' });
				await pushOne(s.url, s.adminToken, 'customer.update', {
					id: c.id,
					patch: { phone: '976000002' }
				});
				await pushOne(s.url, s.adminToken, 'customer.update', {
					id: c.id,
					patch: { phone: '976000003' }
				});
				const rows = await state(s.url, s.adminToken);
				expect(rows.get(`customer:${c.id}`)?.data?.phone).toBe('976000003');
				const lines = historyOf(rows.values(), c.id)
					.filter((h) => h.field === 'phone')
					.sort((x, y) => (x.newValue < y.newValue ? -1 : 1));
				expect(lines.map((h) => [h.oldValue, h.newValue])).toEqual([
					['976000001', '976000002'],
					['976000002', '976000003']
				]);
			});

			it('rejects an invalid tax id with invalid-tax-id on taxId, 400, and writes nothing', async () => {
				const args = customerArgs({ taxIdType: 'nif', taxId: '12345678A' });
				const r = await expectNothingWritten(s, () =>
					pushOne(s.url, s.adminToken, 'customer.create', args)
				);
				expect(r.status).toBe(400);
				expect(r.body.results).toHaveLength(1);
				expect(r.body.results[0]).toMatchObject({
					id: r.id,
					status: 'rejected',
					error: { code: 'invalid-tax-id', field: 'taxId' }
				});
				expect(r.body.results[0].status === 'rejected' && r.body.results[0].error.message).toMatch(
					/letra de control/
				);
				expect(r.body.error).toEqual(
					r.body.results[0].status === 'rejected' ? r.body.results[0].error : undefined
				);
				expect((await state(s.url, s.adminToken)).has(`customer:${args.id}`)).toBe(false);

				// On update too: a type change that leaves the number invalid for it.
				const ok = await createCustomer(s);
				const before = await customerRow(s.url, s.adminToken, ok.id);
				const u = await expectNothingWritten(s, () =>
					pushOne(s.url, s.adminToken, 'customer.update', {
						id: ok.id,
						patch: { taxIdType: 'cif' }
					})
				);
				expect(u.status).toBe(400);
				expect(u.body.error).toMatchObject({ code: 'invalid-tax-id', field: 'taxId' });
				expect(await customerRow(s.url, s.adminToken, ok.id)).toEqual(before);

				// In a push with good mutations, only the bad one is rejected (and the status says so).
				const good = customerArgs();
				const mixed = await push(s.url, s.adminToken, [
					mutation('customer.create', good),
					mutation('customer.create', customerArgs({ taxId: '00000000A' }))
				]);
				expect(mixed.status).toBe(400);
				expect(mixed.body.results.map((x) => x.status)).toEqual(['applied', 'rejected']);
				expect((await state(s.url, s.adminToken)).has(`customer:${good.id}`)).toBe(true);
			});

			it('pages a pull: limit, more, monotonic seq, every row exactly once', async () => {
				const start = (await api(s.url).get('/api/health')).body.seq as number;
				const many = Array.from({ length: 25 }, () => mutation('customer.create', customerArgs()));
				const r = await push(s.url, s.adminToken, many);
				expect(r.body.results.every((x) => x.status === 'applied')).toBe(true);
				// 25 customers and their 25 Historial lines.
				expect(r.body.seq - start).toBe(50);

				const paged = await pullAll(s.url, s.adminToken, start, 7);
				expect(paged.pages).toHaveLength(Math.ceil(50 / 7));
				for (const p of paged.pages.slice(0, -1)) {
					expect(p.more).toBe(true);
					expect(p.changes).toHaveLength(7);
					expect(p.seq).toBe(p.changes[p.changes.length - 1].seq);
				}
				const last = paged.pages[paged.pages.length - 1];
				expect(last.more).toBe(false);
				expect(last.seq).toBe(r.body.seq);
				const seqs = paged.changes.map((c) => c.seq);
				expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => start + i + 1));
				const keys = paged.changes.map((c) => `${c.entity}:${c.id}`);
				expect(new Set(keys).size).toBe(50);
				for (const m of many) expect(keys).toContain(`customer:${(m.args as Json).id}`);

				// The whole log, paged small or in one go, is the same list.
				const small = await pullAll(s.url, s.adminToken, 0, 13);
				const whole = await pull(s.url, s.adminToken, 0, 10_000);
				expect(whole.more).toBe(false);
				expect(small.changes).toEqual(whole.changes);
				expect(small.seq).toBe(whole.seq);
				const all = whole.changes.map((c) => c.seq);
				expect(all).toEqual([...all].sort((a, b) => a - b));
				expect(new Set(whole.changes.map((c) => `${c.entity}:${c.id}`)).size).toBe(all.length);
				// limit=1 still moves forward one row at a time.
				const one = await pull(s.url, s.adminToken, start, 1);
				expect(one.changes.map((c) => c.seq)).toEqual([start + 1]);
				expect(one.more).toBe(true);
			});

			it('answers reset when since is beyond the server seq', async () => {
				const health = (await api(s.url).get('/api/health')).body;
				const ahead = await pull(s.url, s.adminToken, health.seq + 1);
				expect(ahead).toEqual({
					changes: [],
					seq: health.seq,
					more: false,
					serverId: health.serverId,
					reset: true,
					// What the session may hold, so a device learns it even from a reset.
					access: 'all,finance;w14',
					role: 'admin',
					window: { days: 14 }
				});
				const far = await pull(s.url, s.adminToken, 999_999_999_999);
				expect(far.reset).toBe(true);
				const level = await pull(s.url, s.adminToken, health.seq);
				expect(level.reset).toBeUndefined();
				expect(level.changes).toEqual([]);
				expect(level.seq).toBe(health.seq);
			});

			it('writes Historial lines with old → new, who, and the reason of a state change', async () => {
				const me = (await api(s.url, s.adminToken).get('/api/me')).body.user;
				const c = await createCustomer(s, { name: 'Ana Ruiz', stateId: 'captado' });
				const u = await pushOne(s.url, s.adminToken, 'customer.update', {
					id: c.id,
					patch: {
						stateId: 'baja',
						phone: '600123123',
						isCompany: true,
						taxIdType: 'cif',
						taxId: 'A58818501'
					},
					reason: 'Impago de tres recibos'
				});
				expect(u.body.results[0].status).toBe('applied');
				const rows = await state(s.url, s.adminToken);
				const lines = historyOf(rows.values(), c.id);
				for (const h of lines) {
					expect(h).toMatchObject({
						customerId: c.id,
						kind: 'auto',
						entity: 'customer',
						entityId: c.id,
						userId: me.id,
						userName: me.name
					});
					expect(Date.parse(h.at)).not.toBeNaN();
				}
				const created = lines.find((h) => h.mutation === 'customer.create');
				expect(created).toMatchObject({ oldValue: null, newValue: 'Ana Ruiz' });
				const changed = Object.fromEntries(
					lines
						.filter((h) => h.mutation === 'customer.update')
						.map((h) => [h.field, [h.oldValue, h.newValue, h.reason ?? null]])
				);
				expect(changed).toEqual({
					stateId: ['captado', 'baja', 'Impago de tres recibos'],
					phone: [null, '600123123', null],
					isCompany: ['no', 'sí', null],
					taxIdType: ['nif', 'cif', null],
					taxId: [c.taxId, 'A58818501', null]
				});

				// A child row logs under its customer, described by its own words.
				const address = {
					id: randomUUID(),
					customerId: c.id,
					label: 'servicio',
					street: 'Camino del Pozo 7',
					postalCode: '44001'
				};
				await pushOne(s.url, s.adminToken, 'address.create', address);
				await pushOne(s.url, s.adminToken, 'address.update', {
					id: address.id,
					patch: { postalCode: '44002' }
				});
				await pushOne(s.url, s.adminToken, 'address.delete', { id: address.id });
				const after = await state(s.url, s.adminToken);
				// Gone: a pull from 0 skips deletes (a fresh device never had the row).
				expect(after.get(`address:${address.id}`)).toBeUndefined();
				const addressLines = historyOf(after.values(), address.id)
					.map((h) => [h.mutation, h.field ?? null, h.oldValue, h.newValue])
					.sort();
				expect(addressLines).toEqual([
					['address.create', null, null, 'Camino del Pozo 7'],
					['address.delete', null, 'Camino del Pozo 7', null],
					['address.update', 'postalCode', '44001', '44002']
				]);
				for (const h of historyOf(after.values(), address.id)) expect(h.customerId).toBe(c.id);

				// Manual movements: created, edited, deleted; the automatic ones stay untouchable.
				const note = {
					id: randomUUID(),
					customerId: c.id,
					date: '2026-11-20',
					actionTypeId: 'historyAction-llamada',
					comment: 'Llama para dar de baja'
				};
				expect(
					(await pushOne(s.url, s.adminToken, 'history.create', note)).body.results[0].status
				).toBe('applied');
				await pushOne(s.url, s.adminToken, 'history.update', {
					id: note.id,
					patch: { comment: 'Confirma la baja' }
				});
				let manual = (await state(s.url, s.adminToken)).get(`history:${note.id}`);
				expect(manual?.data).toMatchObject({
					...note,
					comment: 'Confirma la baja',
					kind: 'manual',
					userId: me.id
				});
				const auto = lines[0];
				const denied = await expectNothingWritten(s, () =>
					pushOne(s.url, s.adminToken, 'history.update', { id: auto.id, patch: { comment: 'x' } })
				);
				expect(denied.body.results[0]).toMatchObject({
					status: 'rejected',
					error: { code: 'forbidden' }
				});
				const notDeleted = await expectNothingWritten(s, () =>
					pushOne(s.url, s.adminToken, 'history.delete', { id: auto.id })
				);
				expect(notDeleted.body.results[0]).toMatchObject({
					status: 'rejected',
					error: { code: 'forbidden' }
				});
				await pushOne(s.url, s.adminToken, 'history.delete', { id: note.id });
				manual = (await state(s.url, s.adminToken)).get(`history:${note.id}`);
				expect(manual).toBeUndefined();
			});

			it('pokes /api/sync/events with the new seq after a push', async () => {
				const events = await openEvents(s.url, s.adminToken);
				try {
					expect(events.status).toBe(200);
					const hello = await events.next();
					expect(hello.event).toBe('seq');
					const now = (await api(s.url).get('/api/health')).body.seq;
					expect(JSON.parse(hello.data)).toEqual({ seq: now });
					const r = await pushOne(s.url, s.adminToken, 'customer.create', customerArgs());
					expect(r.body.seq).toBeGreaterThan(now);
					expect(await events.untilSeq(r.body.seq, 2000)).toBe(r.body.seq);
					// A burst of pushes: the last seq arrives promptly, not at the next keep-alive.
					const burst = await Promise.all(
						Array.from({ length: 8 }, () =>
							pushOne(s.url, s.adminToken, 'customer.create', customerArgs())
						)
					);
					const top = Math.max(...burst.map((b) => b.body.seq));
					expect(await events.untilSeq(top, 2000)).toBe(top);
				} finally {
					await events.close();
				}
			});
		});

		describe('users and roles', () => {
			const tech = {
				email: `tecnico-${randomUUID().slice(0, 8)}@enlace.test`,
				name: 'Técnico Uno',
				role: 'technician',
				password: 'tecnico-password-1'
			};
			let techId: string;
			let techToken: string;

			it('lets an admin create, list and edit users, and nobody else', async () => {
				const created = await api(s.url, s.adminToken).post('/api/users', tech);
				expect(created.status).toBe(201);
				expect(created.body.user).toEqual({
					id: expect.any(String),
					email: tech.email,
					name: tech.name,
					role: 'technician',
					active: true
				});
				techId = created.body.user.id;
				expectError(
					await api(s.url, s.adminToken).post('/api/users', tech),
					409,
					'already-exists',
					'email'
				);
				expectError(
					await api(s.url, s.adminToken).post('/api/users', {
						...tech,
						email: 'x@y.es',
						role: 'root'
					}),
					400,
					'invalid-field',
					'role'
				);
				expectError(
					await api(s.url, s.adminToken).post('/api/users', {
						...tech,
						email: 'x@y.es',
						password: 'corta'
					}),
					400,
					'invalid-field',
					'password'
				);

				const list = await api(s.url, s.adminToken).get('/api/users');
				expect(list.status).toBe(200);
				expect(list.body.users.map((u: Json) => u.email)).toEqual(
					expect.arrayContaining([ADMIN_EMAIL, tech.email])
				);
				for (const u of list.body.users)
					expect(Object.keys(u).sort()).toEqual(['active', 'email', 'id', 'name', 'role']);

				techToken = await s.login(tech.email, tech.password);
				expect((await api(s.url, techToken).get('/api/me')).body.user).toMatchObject({
					id: techId,
					role: 'technician'
				});
				const t = api(s.url, techToken);
				expectError(await t.get('/api/users'), 403, 'forbidden');
				expectError(
					await t.post('/api/users', { ...tech, email: 'otro@enlace.test' }),
					403,
					'forbidden'
				);
				expectError(await t.patch(`/api/users/${techId}`, { role: 'admin' }), 403, 'forbidden');
				expectError(await api(s.url).get('/api/users'), 401, 'unauthorized');
				expect((await api(s.url, techToken).get('/api/me')).body.user.role).toBe('technician');

				const renamed = await api(s.url, s.adminToken).patch(`/api/users/${techId}`, {
					name: 'Técnica Uno'
				});
				expect(renamed.status).toBe(200);
				expect(renamed.body.user).toMatchObject({
					id: techId,
					name: 'Técnica Uno',
					role: 'technician'
				});
				expectError(
					await api(s.url, s.adminToken).patch(`/api/users/${techId}`, { email: 'x@y.es' }),
					400,
					'invalid-args'
				);
				expectError(
					await api(s.url, s.adminToken).patch(`/api/users/${randomUUID()}`, { name: 'Nadie' }),
					404,
					'not-found'
				);
				const admin = (await api(s.url, s.adminToken).get('/api/me')).body.user;
				expectError(
					await api(s.url, s.adminToken).patch(`/api/users/${admin.id}`, { role: 'office' }),
					403,
					'forbidden',
					'role'
				);

				// Users sync as public rows: no password hash on any device.
				const userRow = (await state(s.url, techToken)).get(`user:${techId}`);
				expect(userRow?.data).toEqual({
					id: techId,
					email: tech.email,
					name: 'Técnica Uno',
					role: 'technician',
					active: true
				});

				// Deactivating ends the sessions and the logins.
				await api(s.url, s.adminToken).patch(`/api/users/${techId}`, { active: false });
				expectError(await api(s.url, techToken).get('/api/me'), 401, 'unauthorized');
				expectError(
					await api(s.url).post('/api/auth/login', { email: tech.email, password: tech.password }),
					401,
					'invalid-credentials'
				);
				await api(s.url, s.adminToken).patch(`/api/users/${techId}`, { active: true });
				techToken = await s.login(tech.email, tech.password);
			});

			it('lets a technician pull and push customer data', async () => {
				const mine = customerArgs({ name: 'Cliente del técnico' });
				const r = await pushOne(s.url, techToken, 'customer.create', mine);
				expect(r.status).toBe(200);
				expect(r.body.results[0].status).toBe('applied');
				const address = {
					id: randomUUID(),
					customerId: mine.id,
					label: 'servicio',
					street: 'Paraje Los Olivos s/n'
				};
				const contact = { id: randomUUID(), customerId: mine.id, name: 'Vecino' };
				const more = await push(s.url, techToken, [
					mutation('customer.update', { id: mine.id, patch: { mobile: '622000111' } }),
					mutation('address.create', address),
					mutation('contactPerson.create', contact),
					mutation('history.create', {
						id: randomUUID(),
						customerId: mine.id,
						date: '2026-11-27',
						actionTypeId: 'historyAction-visita',
						comment: 'Instalada antena'
					})
				]);
				expect(more.body.results.map((x) => x.status)).toEqual([
					'applied',
					'applied',
					'applied',
					'applied'
				]);

				const techView = await state(s.url, techToken);
				const adminView = await state(s.url, s.adminToken);
				expect(techView.get(`customer:${mine.id}`)?.data).toMatchObject({
					name: 'Cliente del técnico',
					mobile: '622000111'
				});
				expect(techView.get(`address:${address.id}`)?.data).toMatchObject(address);
				expect(adminView.get(`customer:${mine.id}`)).toEqual(techView.get(`customer:${mine.id}`));
				// The admin's customers and the settings reach the technician too (scope 'all').
				expect([...techView.values()].filter((c) => c.entity === 'customer').length).toBe(
					[...adminView.values()].filter((c) => c.entity === 'customer').length
				);
				expect(techView.get('setting:customerState-alta')?.data).toMatchObject({ name: 'Alta' });
				const line = historyOf(techView.values(), mine.id).find((h) => h.field === 'mobile');
				expect(line).toMatchObject({
					userId: techId,
					userName: 'Técnica Uno',
					newValue: '622000111'
				});
			});

			it('refuses settings to a technician (forbidden) and writes nothing', async () => {
				const setting = {
					id: `sector-${randomUUID().slice(0, 8)}`,
					list: 'sector',
					name: 'Minería',
					order: 99,
					active: true
				};
				const r = await expectNothingWritten(s, () =>
					pushOne(s.url, techToken, 'setting.create', setting)
				);
				expect(r.status).toBe(200);
				expect(r.body.results[0]).toMatchObject({
					id: r.id,
					status: 'rejected',
					error: { code: 'forbidden' }
				});
				expect(r.body.error).toBeUndefined();
				const upd = await expectNothingWritten(s, () =>
					pushOne(s.url, techToken, 'setting.update', {
						id: 'customerState-alta',
						patch: { name: 'Activo' }
					})
				);
				expect(upd.body.results[0]).toMatchObject({
					status: 'rejected',
					error: { code: 'forbidden' }
				});
				// The admin may.
				const ok = await pushOne(s.url, s.adminToken, 'setting.create', setting);
				expect(ok.body.results[0].status).toBe('applied');
				expect((await state(s.url, techToken)).get(`setting:${setting.id}`)?.data).toEqual(setting);
			});

			it('never sends finance rows to a technician', async () => {
				expect(SCOPES_BY_ROLE.technician).not.toContain('finance');
				expect(SCOPES_BY_ROLE.technician).toContain('all');
				expect(SCOPES_BY_ROLE.admin).toContain('finance');
				expect(SCOPES_BY_ROLE.office).toContain('finance');

				const c = await createCustomer(s);
				const start: number = (await api(s.url).get('/api/health')).body.seq;
				// No finance entity exists yet: write one the way the server would, straight into the log.
				const bank = { id: randomUUID(), customerId: c.id, iban: 'ES9121000418450200051332' };
				await s.db.exclusive(() =>
					s.db.client.batch(
						[
							"UPDATE counters SET value = value + 1 WHERE name = 'seq'",
							{
								sql: `INSERT INTO records (entity, id, customer_id, scope, data, deleted, seq, updated_at, updated_by)
									VALUES ('bankAccount', ?, ?, 'finance', ?, 0, (SELECT value FROM counters WHERE name = 'seq'), ?, NULL)`,
								args: [bank.id, c.id, JSON.stringify(bank), new Date().toISOString()]
							}
						],
						'write'
					)
				);
				const after = await pushOne(s.url, s.adminToken, 'customer.update', {
					id: c.id,
					patch: { phone: '976555666' }
				});
				expect(after.body.results[0].status).toBe('applied');

				const admin = await pullAll(s.url, s.adminToken, start);
				const techPages = await pullAll(s.url, techToken, start);
				expect(admin.changes.find((x) => x.entity === ('bankAccount' as string))?.data).toEqual(
					bank
				);
				expect(techPages.changes.some((x) => x.entity === ('bankAccount' as string))).toBe(false);
				expect(techPages.changes.some((x) => x.entity === 'customer' && x.id === c.id)).toBe(true);
				// Both end at the same position: the technician skips the row, it does not stall on it.
				expect(techPages.seq).toBe(admin.seq);
				expect(admin.changes.length - techPages.changes.length).toBe(1);
				// Paged one row at a time, the hidden row is still never sent.
				const small = await pullAll(s.url, techToken, start, 1);
				expect(small.changes).toEqual(techPages.changes);
				const fromZero = await pullAll(s.url, techToken, 0, 50);
				expect(fromZero.changes.some((x) => x.entity === ('bankAccount' as string))).toBe(false);
			});
		});

		describe('hostile payloads', () => {
			const pushRaw = (body: BodyInit, token = s.adminToken) =>
				api(s.url, token).raw('POST', '/api/sync/push', {
					body,
					headers: { 'content-type': 'application/json' }
				});

			it('refuses malformed bodies with a 400 and a code', async () => {
				await expectNothingWritten(s, async () => {
					expectError(await pushRaw('{"clientId": "c", "mutations": ['), 400, 'invalid-json');
					expectError(await pushRaw(''), 400, 'invalid-json');
					expectError(await pushRaw('\u0000\u0001binary'), 400, 'invalid-json');
					for (const notAnObject of ['[]', 'null', '42', '"push"', 'true']) {
						expectError(await pushRaw(notAnObject), 400, 'invalid-field');
					}
					expectError(
						await pushRaw(JSON.stringify({ clientId: 'c', mutations: 'all' })),
						400,
						'invalid-field',
						'mutations'
					);
					expectError(
						await pushRaw(JSON.stringify({ clientId: 'c', mutations: { 0: {} } })),
						400,
						'invalid-field',
						'mutations'
					);
					expectError(
						await pushRaw(JSON.stringify({ mutations: [] })),
						400,
						'invalid-field',
						'clientId'
					);
					expectError(
						await pushRaw(JSON.stringify({ clientId: 'c', mutations: [42] })),
						400,
						'invalid-field'
					);
					expectError(
						await pushRaw(
							JSON.stringify({
								clientId: 'c',
								mutations: [{ id: 'short', name: 'customer.create', args: {} }]
							})
						),
						400,
						'invalid-field'
					);
					const tooMany = Array.from({ length: 201 }, () =>
						mutation('customer.create', customerArgs())
					);
					expectError(
						await pushRaw(JSON.stringify({ clientId: 'c', mutations: tooMany })),
						400,
						'invalid-field',
						'mutations'
					);
				});
			});

			it('rejects wrong types, oversized strings and unknown names per mutation', async () => {
				await expectNothingWritten(s, async () => {
					const wrongType = await pushOne(
						s.url,
						s.adminToken,
						'customer.create',
						customerArgs({ isCompany: 'yes' })
					);
					expect(wrongType.status).toBe(400);
					expect(wrongType.body.results[0]).toMatchObject({
						status: 'rejected',
						error: { code: 'invalid-field', field: 'isCompany' }
					});
					expect(wrongType.body.error).toMatchObject({ code: 'invalid-field', field: 'isCompany' });

					const huge = await pushOne(
						s.url,
						s.adminToken,
						'customer.create',
						customerArgs({ name: 'x'.repeat(1024 * 1024) })
					);
					expect(huge.status).toBe(400);
					expect(huge.body.error).toMatchObject({ code: 'invalid-field', field: 'name' });
					// The refusal does not echo the megabyte back.
					expect(JSON.stringify(huge.body).length).toBeLessThan(2000);

					const unknown = await pushOne(s.url, s.adminToken, 'customer.destroyAll', { id: 'x' });
					expect(unknown.status).toBe(400);
					expect(unknown.body.error?.code).toBe('unknown-mutation');
					const proto = await pushOne(s.url, s.adminToken, '__proto__', {});
					expect(proto.body.error?.code).toBe('unknown-mutation');
					const toString = await pushOne(s.url, s.adminToken, 'toString', {});
					expect(toString.body.error?.code).toBe('unknown-mutation');

					const extra = await pushOne(
						s.url,
						s.adminToken,
						'customer.create',
						customerArgs({ isAdmin: true })
					);
					expect(extra.body.error?.code).toBe('invalid-args');
					const noArgs = await push(s.url, s.adminToken, [
						{ id: randomUUID(), name: 'customer.create' } as never
					]);
					expect(noArgs.status).toBe(400);
					expect(noArgs.body.error?.code).toMatch(/^invalid-/);
					const patchCode = await pushOne(s.url, s.adminToken, 'customer.update', {
						id: randomUUID(),
						patch: { code: 'C00001' }
					});
					expect(patchCode.body.error?.code).toBe('invalid-args');
				});
			});

			it('does not let __proto__ keys or deep nesting through', async () => {
				await expectNothingWritten(s, async () => {
					const args = `{"__proto__":{"polluted":true},"id":"${randomUUID()}","isCompany":false,"name":"P","taxIdType":"other","taxId":"1"}`;
					const r = await pushRaw(
						`{"clientId":"c","mutations":[{"id":"${randomUUID()}","name":"customer.create","args":${args}}]}`
					);
					expect(r.status).toBe(400);
					expect(r.body.error.code).toBe('invalid-args');
					expect(({} as Record<string, unknown>).polluted).toBeUndefined();

					const patch = await pushRaw(
						`{"clientId":"c","mutations":[{"id":"${randomUUID()}","name":"customer.update","args":{"id":"x","patch":{"__proto__":{"isCompany":true}}}}]}`
					);
					expect(patch.status).toBe(400);
					expect(patch.body.error.code).toBe('invalid-args');
					expect(({} as Record<string, unknown>).isCompany).toBeUndefined();

					const depth = 100_000;
					const deep = await pushRaw(
						`{"clientId":"c","mutations":[{"id":"${randomUUID()}","name":"customer.create","args":${'['.repeat(depth)}${']'.repeat(depth)}}]}`
					);
					expect(deep.status).toBe(400);
					expect(deep.body.error.code).toBe('invalid-field');
					const deepObject = await pushRaw(
						`{"clientId":"c","mutations":[{"id":"${randomUUID()}","name":"customer.update","args":{"id":"x","patch":{"tags":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}}]}`
					);
					expect(deepObject.status).toBe(400);
					expect(deepObject.body.error.code).toBe('invalid-field');
				});
			});

			it('answers 413 to a 5 MB body, and the connection after it stays usable', async () => {
				await expectNothingWritten(s, async () => {
					const big = JSON.stringify({
						clientId: 'c',
						mutations: [
							mutation('customer.create', customerArgs({ comments: 'x'.repeat(5 * 1024 * 1024) }))
						]
					});
					const r = await pushRaw(big);
					expectError(r, 413, 'payload-too-large');
					// The server does not read the rest, so it must not offer the socket for reuse.
					expect(r.headers.get('connection')).toBe('close');
					expect((await api(s.url).get('/api/health')).status).toBe(200);

					// Without a content-length (chunked), the limit holds while reading.
					const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
					for (let i = 0; i < 3; i++) {
						const stream = new ReadableStream<Uint8Array>({
							start(controller) {
								for (let j = 0; j < 6; j++) controller.enqueue(chunk);
								controller.close();
							}
						});
						const chunked = await api(s.url, s.adminToken).raw('POST', '/api/sync/push', {
							body: stream,
							duplex: 'half'
						} as RequestInit);
						expectError(chunked, 413, 'payload-too-large');
						expect((await api(s.url).get('/api/health')).status).toBe(200);
						expect((await pushRaw(big)).status).toBe(413);
					}
				});
				// Just under the limit is read and judged on its content.
				const under = JSON.stringify({
					clientId: 'c',
					mutations: [
						mutation('customer.create', customerArgs({ comments: 'x'.repeat(3 * 1024 * 1024) }))
					]
				});
				const judged = await expectNothingWritten(s, () => pushRaw(under));
				expect(judged.status).toBe(400);
				expect(judged.body.error).toMatchObject({ code: 'invalid-field', field: 'comments' });
			});

			it('stores SQL meta-characters verbatim: they are data', async () => {
				const nasty = "'); DROP TABLE records;--";
				const id = `x'); DROP TABLE records;-- ${randomUUID().slice(0, 8)}`;
				const before = (await snapshot(s)).count;
				const c = customerArgs({ id, name: nasty, comments: '"; DELETE FROM users; --\u0000%_\\' });
				const r = await pushOne(s.url, s.adminToken, 'customer.create', c);
				expect(r.status).toBe(200);
				expect(r.body.results[0].status).toBe('applied');
				const row = await customerRow(s.url, s.adminToken, id);
				expect(row.name).toBe(nasty);
				expect(row.comments).toBe(c.comments);
				const stored = await s.db.client.execute({
					sql: "SELECT json_extract(data, '$.name') AS name FROM records WHERE entity = 'customer' AND id = ?",
					args: [id]
				});
				expect(stored.rows[0].name).toBe(nasty);
				// The table survives, with the new rows in it, and so does everything else.
				expect((await snapshot(s)).count).toBe(before + 2);
				expect(
					(await api(s.url, s.adminToken).get('/api/users')).body.users.length
				).toBeGreaterThan(0);
				const upd = await pushOne(s.url, s.adminToken, 'customer.update', {
					id,
					patch: { tradeName: nasty }
				});
				expect(upd.body.results[0].status).toBe('applied');
				expect((await customerRow(s.url, s.adminToken, id)).tradeName).toBe(nasty);
			});

			it('refuses a push without a session, and bad pull parameters, with nothing written', async () => {
				await expectNothingWritten(s, async () => {
					const body = { clientId: 'c', mutations: [mutation('customer.create', customerArgs())] };
					expectError(await api(s.url).post('/api/sync/push', body), 401, 'unauthorized');
					expectError(await api(s.url, 'nope').post('/api/sync/push', body), 401, 'unauthorized');
					for (const q of ['since=-1', 'since=abc', 'since=1.5', 'since=1e3', 'since=0x10']) {
						expectError(
							await api(s.url, s.adminToken).get(`/api/sync/pull?${q}`),
							400,
							'bad-request',
							'since'
						);
					}
					for (const q of [
						'limit=abc',
						'since=0&limit=-5',
						'limit=1%3B%20DROP%20TABLE%20records'
					]) {
						expectError(
							await api(s.url, s.adminToken).get(`/api/sync/pull?${q}`),
							400,
							'bad-request',
							'limit'
						);
					}
					expectError(
						await api(s.url, s.adminToken).get('/api/sync/pull?since=0', {
							headers: { 'x-enlace-protocol': '0' }
						}),
						409,
						'client-too-old'
					);
					expectError(await api(s.url, s.adminToken).get('/api/no-such-thing'), 404, 'not-found');
				});
			});
		});
	});
}

syncSuite('sync-server on the embedded file database', () => startTestServer());

syncSuite('sync-server on sqld (libSQL server)', startTestServerOnSqld);

// docs/architecture.md › Several server instances: stateless sync-servers in front of one libSQL
// server. Their process-local write locks do not see each other, so the database has to keep them
// honest.
describe('two sync-servers on one sqld', () => {
	let two: TwoServers;
	let a: TestServer;
	let b: TestServer;
	beforeAll(async () => {
		two = await startTwoServersOnSqld();
		({ a, b } = two);
	});
	afterAll(async () => {
		await two?.close();
	});

	it('shares sessions and the server id', async () => {
		expect((await api(b.url, a.adminToken).get('/api/me')).status).toBe(200);
		const [ha, hb] = await Promise.all([
			api(a.url).get('/api/health'),
			api(b.url).get('/api/health')
		]);
		expect(ha.body.serverId).toBe(hb.body.serverId);
	});

	it('keeps customer codes unique when both number at once', async () => {
		const customers = Array.from({ length: 12 }, () => customerArgs());
		const answers = await Promise.all(
			customers.map((c, i) =>
				pushOne(i % 2 ? b.url : a.url, a.adminToken, 'customer.create', c, { clientId: `d${i}` })
			)
		);
		for (const r of answers) expect(r.body.results[0].status).toBe('applied');
		const rows = await state(a.url, a.adminToken);
		const codes = customers.map((c) => rows.get(`customer:${c.id}`)?.data?.code).sort();
		expect(codes).toEqual(
			Array.from({ length: 12 }, (_, i) => `C${String(i + 1).padStart(5, '0')}`)
		);
	});

	it('applies a mutation pushed to both at once only once', async () => {
		const m = mutation('customer.create', customerArgs());
		const [ra, rb] = await Promise.all([
			push(a.url, a.adminToken, [m], 'x'),
			push(b.url, a.adminToken, [m], 'y')
		]);
		expect(ra.body.results).toEqual([{ id: m.id, status: 'applied' }]);
		expect(rb.body.results).toEqual([{ id: m.id, status: 'applied' }]);
		const n = await a.db.client.execute({
			sql: "SELECT COUNT(*) AS n FROM records WHERE entity = 'history' AND json_extract(data, '$.entityId') = ?",
			args: [(m.args as Json).id]
		});
		expect(Number(n.rows[0].n)).toBe(1);
	});

	it('keeps patches of different fields sent to different servers at once', async () => {
		const c = customerArgs();
		await pushOne(a.url, a.adminToken, 'customer.create', c);
		const fields: Record<string, string> = {
			phone: '976000001',
			phone2: '976000002',
			mobile: '600000003',
			fax: '976000004',
			web: 'https://e.example',
			email: 'e@e.example',
			comments: 'siete',
			tradeName: 'Ocho'
		};
		const answers = await Promise.all(
			Object.entries(fields).map(([k, v], i) =>
				pushOne(i % 2 ? b.url : a.url, a.adminToken, 'customer.update', {
					id: c.id,
					patch: { [k]: v }
				})
			)
		);
		for (const r of answers) expect(r.body.results[0].status).toBe('applied');
		expect(await customerRow(a.url, a.adminToken, c.id)).toMatchObject(fields);
	});

	it("pokes one server's listeners about the other's writes", async () => {
		const events = await openEvents(b.url, a.adminToken);
		try {
			await events.next();
			const r = await pushOne(a.url, a.adminToken, 'customer.create', customerArgs());
			expect(await events.untilSeq(r.body.seq, 3000)).toBeGreaterThanOrEqual(r.body.seq);
		} finally {
			await events.close();
		}
	});
});
