// Sociedades and Oportunidades through the real sync-server over HTTP: role scoping (a company
// row is finance data), every new mutation's hostile payloads, and the server-side rules (the 100 %
// share rule, a closed stage's probability, actions cascading with their opportunity).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '@enlace/shared';
import {
	api,
	customerArgs,
	pullAll,
	pushOne,
	startTestServer,
	type ApiResponse,
	type Json,
	type TestServer
} from '../support/server';

let s: TestServer;
let techToken: string;
let techId: string;
let officeToken: string;
let adminId: string;

beforeAll(async () => {
	s = await startTestServer();
	const make = async (role: string) => {
		const email = `${role}-${randomUUID().slice(0, 8)}@enlace.test`;
		const password = `${role}-password-1`;
		const r = await api(s.url, s.adminToken).post('/api/users', {
			email,
			name: `Usuario ${role}`,
			role,
			password
		});
		expect(r.status).toBe(201);
		return { id: r.body.user.id as string, token: await s.login(email, password) };
	};
	({ id: techId, token: techToken } = await make('technician'));
	({ token: officeToken } = await make('office'));
	adminId = (await api(s.url, s.adminToken).get('/api/me')).body.user.id;
});

afterAll(async () => {
	await s?.close();
});

/** The change log, every row's version and the seq: what a refused request must leave alone. */
async function snapshot() {
	const rows = await s.db.client.execute(
		'SELECT entity, id, seq, deleted FROM records ORDER BY entity, id'
	);
	const counter = await s.db.client.execute("SELECT value FROM counters WHERE name = 'seq'");
	return {
		seq: Number(counter.rows[0].value),
		rows: rows.rows.map((r) => `${r.entity}|${r.id}|${r.seq}|${r.deleted}`)
	};
}

async function expectNothingWritten<T>(fn: () => Promise<T>): Promise<T> {
	const before = await snapshot();
	const out = await fn();
	expect(await snapshot()).toEqual(before);
	return out;
}

/** Push one mutation, expect it refused with `code` (and `field`), with the push's own status. */
async function refused(
	name: string,
	args: unknown,
	code: string,
	field?: string,
	token = s.adminToken
): Promise<ApiResponse> {
	return expectNothingWritten(async () => {
		const r = await pushOne(s.url, token, name, args);
		expect(r.body.results[0], `${name} ${JSON.stringify(args).slice(0, 200)}`).toMatchObject({
			status: 'rejected',
			error: { code, ...(field === undefined ? {} : { field }) }
		});
		const result: Json = r.body.results[0];
		expect(typeof result.error.message).toBe('string');
		// Bad input is a 400 for the whole push; a refusal on the merits rides in a 200.
		expect(r.status).toBe(code.startsWith('invalid-') ? 400 : 200);
		if (code.startsWith('invalid-')) expect(r.body.error?.code).toBe(code);
		return r;
	});
}

async function applied(name: string, args: unknown, token = s.adminToken) {
	const r = await pushOne(s.url, token, name, args);
	const result: Json = r.body.results[0];
	expect(result, `${name}: ${JSON.stringify(result.error)}`).toEqual({
		id: r.id,
		status: 'applied'
	});
	expect(r.status).toBe(200);
	return r;
}

async function state(token: string, since = 0): Promise<Map<string, Change>> {
	const { changes } = await pullAll(s.url, token, since);
	return new Map(changes.map((c) => [`${c.entity}:${c.id}`, c]));
}

async function newCustomer(): Promise<string> {
	const args = customerArgs({
		isCompany: true,
		name: 'Grupo Moncayo',
		taxIdType: 'cif',
		taxId: 'B12345674'
	});
	await applied('customer.create', args);
	return args.id;
}

const company = (customerId: string, over: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	customerId,
	name: 'Redes del Moncayo SL',
	cif: 'B86561412',
	town: 'Tarazona',
	shareCapitalCents: 300_000,
	mercantil: {
		registry: 'Zaragoza',
		tomo: '4123',
		apoderados: [{ name: 'Ana Ruiz Gil', nif: '12345678Z', powers: 'Solidario' }],
		socios: [
			{ name: 'Ana Ruiz Gil', nif: '12345678Z', sharePercent: 60 },
			{ name: 'Inversiones Ebro SA', nif: 'A58818501', sharePercent: 40 }
		]
	},
	fiscal: { vatRegime: 'general', obligations: [{ modelo: '303', period: 'trimestral' }] },
	financiera: { bankAccounts: [{ iban: 'ES9121000418450200051332' }], employees: 4 },
	...over
});

const opportunity = (customerId: string, over: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	customerId,
	title: 'Enlace radio para la nave',
	stageId: 'opportunityStage-oferta',
	typeId: 'opportunityType-empresa',
	amountCents: 250_000,
	probability: 40,
	...over
});

describe('Sociedades: finance data', () => {
	it('never reaches a technician: not the row, not its Historial lines', async () => {
		const customerId = await newCustomer();
		const start = (await snapshot()).seq;
		const c = company(customerId);
		await applied('company.create', c, officeToken);
		await applied('company.update', { id: c.id, patch: { name: 'Redes del Moncayo SLU' } });

		const admin = await state(s.adminToken, start);
		const tech = await state(techToken, start);
		expect(admin.get(`company:${c.id}`)?.data).toMatchObject({
			name: 'Redes del Moncayo SLU',
			cif: 'B86561412',
			financiera: { bankAccounts: [{ iban: 'ES9121000418450200051332' }] }
		});
		const lines = [...admin.values()].filter(
			(x) => x.entity === 'history' && x.data?.entityId === c.id
		);
		expect(lines.map((l) => l.data?.field ?? 'alta')).toEqual(['alta', 'name']);
		expect([...tech.values()].some((x) => x.entity === 'company')).toBe(false);
		expect(
			[...tech.values()].some((x) => x.entity === 'history' && x.data?.entityId === c.id)
		).toBe(false);
		// From zero, too: nothing of any company anywhere in a technician's log.
		const all = await state(techToken);
		expect([...all.values()].some((x) => x.entity === 'company')).toBe(false);
		expect([...all.values()].filter((x) => x.entity === 'customer').length).toBeGreaterThan(0);
	});

	it('refuses every company mutation from a technician as forbidden', async () => {
		const customerId = await newCustomer();
		const c = company(customerId);
		await applied('company.create', c);
		await refused('company.create', company(customerId), 'forbidden', undefined, techToken);
		await refused(
			'company.update',
			{ id: c.id, patch: { name: 'Otra' } },
			'forbidden',
			undefined,
			techToken
		);
		await refused('company.delete', { id: c.id }, 'forbidden', undefined, techToken);
		expect((await state(s.adminToken)).get(`company:${c.id}`)?.op).toBe('put');
	});

	it('enforces the 100 % share rule on create and on update', async () => {
		const customerId = await newCustomer();
		const over = company(customerId, {
			mercantil: {
				socios: [
					{ name: 'A', sharePercent: 60 },
					{ name: 'B', sharePercent: 60 }
				]
			}
		});
		const r = await refused('company.create', over, 'invalid-shares-total', 'mercantil.socios');
		expect(r.body.results[0].error.message).toBe(
			'Las participaciones de los socios suman 120 %: no pueden pasar del 100 %'
		);
		const c = company(customerId);
		await applied('company.create', c);
		await refused(
			'company.update',
			{
				id: c.id,
				patch: {
					mercantil: {
						socios: [
							{ name: 'A', sharePercent: 50 },
							{ name: 'B', sharePercent: 50.01 }
						]
					}
				}
			},
			'invalid-shares-total',
			'mercantil.socios'
		);
		// Exactly 100 % with decimals is fine; the section is replaced whole, the others stay.
		await applied('company.update', {
			id: c.id,
			patch: {
				mercantil: {
					socios: [
						{ name: 'A', sharePercent: 33.33 },
						{ name: 'B', sharePercent: 33.33 },
						{ name: 'C', sharePercent: 33.34 }
					]
				}
			}
		});
		const row: Json = (await state(s.adminToken)).get(`company:${c.id}`)?.data;
		expect(row.mercantil).toEqual({
			socios: [
				{ name: 'A', sharePercent: 33.33 },
				{ name: 'B', sharePercent: 33.33 },
				{ name: 'C', sharePercent: 33.34 }
			]
		});
		expect(row.fiscal).toEqual(c.fiscal);
		expect(row.financiera).toEqual(c.financiera);
	});

	it('refuses hostile company payloads with a 400 and a code, writing nothing', async () => {
		const customerId = await newCustomer();
		const existing = company(customerId);
		await applied('company.create', existing);
		const bad: [unknown, string, string?][] = [
			[company(customerId, { name: 42 }), 'invalid-field', 'name'],
			[company(customerId, { name: 'x'.repeat(1024 * 1024) }), 'invalid-field', 'name'],
			[company(customerId, { cif: 'B86561413' }), 'invalid-tax-id', 'cif'],
			[company(customerId, { cif: '12345678Z' }), 'invalid-tax-id', 'cif'],
			[company(customerId, { isAdmin: true }), 'invalid-args'],
			[company(customerId, { shareCapitalCents: -1 }), 'invalid-field', 'shareCapitalCents'],
			[company(customerId, { shareCapitalCents: 10.5 }), 'invalid-field', 'shareCapitalCents'],
			[company(customerId, { postalCode: '99999' }), 'invalid-field', 'postalCode'],
			[company(customerId, { mercantil: { socios: [], role: 'admin' } }), 'invalid-args'],
			[company(customerId, { mercantil: 'todo' }), 'invalid-field', 'mercantil'],
			[
				company(customerId, {
					mercantil: { apoderados: [{ name: 'Ana', nif: '12345678A' }] }
				}),
				'invalid-tax-id',
				'mercantil.apoderados.0.nif'
			],
			[
				company(customerId, {
					mercantil: {
						socios: Array.from({ length: 101 }, (_, i) => ({ name: `S${i}`, sharePercent: 0.5 }))
					}
				}),
				'invalid-field',
				'mercantil.socios'
			],
			[
				company(customerId, { mercantil: { socios: [{ name: 'A', sharePercent: 'mucho' }] } }),
				'invalid-field',
				'mercantil.socios.0.sharePercent'
			],
			[
				company(customerId, { fiscal: { irpfApplies: true, irpfPercent: 150 } }),
				'invalid-field',
				'fiscal.irpfPercent'
			],
			[
				company(customerId, { fiscal: { obligations: [{ modelo: "303'; --" }] } }),
				'invalid-field',
				'fiscal.obligations.0.modelo'
			],
			[
				company(customerId, {
					financiera: { bankAccounts: [{ iban: 'ES9121000418450200051333' }] }
				}),
				'invalid-iban',
				'financiera.bankAccounts.0.iban'
			],
			[
				company(customerId, { financiera: { employees: -3 } }),
				'invalid-field',
				'financiera.employees'
			]
		];
		for (const [args, code, field] of bad) await refused('company.create', args, code, field);

		await refused('company.update', { id: existing.id, patch: { customerId } }, 'invalid-args');
		await refused('company.update', { id: existing.id, patch: { id: 'x' } }, 'invalid-args');
		await refused(
			'company.update',
			{ id: existing.id, patch: { cif: 'B00000001' } },
			'invalid-tax-id',
			'cif'
		);
		await refused(
			'company.update',
			{ id: existing.id, patch: { fiscal: { vatRegime: 'pirata' } } },
			'invalid-field',
			'fiscal.vatRegime'
		);
		await refused('company.update', { id: existing.id }, 'invalid-field');
		await refused('company.delete', { id: 42 }, 'invalid-field', 'id');
		await refused('company.delete', { id: existing.id, cascade: true }, 'invalid-args');
		// Not hostile in shape, but pointing nowhere or at what exists: refused on the merits.
		await refused('company.create', company(randomUUID()), 'not-found', 'customerId');
		await refused(
			'company.create',
			company(customerId, { cif: existing.cif }),
			'already-exists',
			'cif'
		);
		await refused('company.update', { id: randomUUID(), patch: { name: 'Nadie' } }, 'not-found');
	});
});

describe('Oportunidades', () => {
	it('reach every role; a technician logs actions; a closed stage fixes the probability', async () => {
		const customerId = await newCustomer();
		const o = opportunity(customerId, { ownerId: adminId });
		await applied('opportunity.create', o, officeToken);
		const action = {
			id: randomUUID(),
			customerId,
			opportunityId: o.id,
			date: '2026-03-02',
			actionTypeId: 'historyAction-visita',
			userId: techId,
			comment: 'Medición de cobertura en la nave',
			nextStepDate: '2026-03-09'
		};
		await applied('opportunityAction.create', action, techToken);
		await applied(
			'opportunity.update',
			{ id: o.id, patch: { stageId: 'opportunityStage-ganada', probability: 30 } },
			techToken
		);

		const tech = await state(techToken);
		expect(tech.get(`opportunity:${o.id}`)?.data).toMatchObject({
			title: o.title,
			stageId: 'opportunityStage-ganada',
			probability: 100,
			ownerId: adminId
		});
		expect(tech.get(`opportunityAction:${action.id}`)?.data).toMatchObject(action);
		// Historial of the customer records both, for everyone who may read the customer.
		const lines = [...tech.values()]
			.filter((c) => c.entity === 'history' && c.data?.customerId === customerId)
			.map((c) => c.data);
		expect(lines.find((h: Json) => h.entityId === o.id && h.field === 'stageId')).toMatchObject({
			oldValue: 'opportunityStage-oferta',
			newValue: 'opportunityStage-ganada',
			userId: techId
		});
		expect(lines.find((h: Json) => h.entityId === action.id)).toMatchObject({
			entity: 'opportunityAction',
			oldValue: null
		});
	});

	it('deletes the actions with their opportunity', async () => {
		const customerId = await newCustomer();
		const o = opportunity(customerId);
		await applied('opportunity.create', o);
		const ids = [randomUUID(), randomUUID()];
		for (const id of ids) {
			await applied('opportunityAction.create', {
				id,
				customerId,
				opportunityId: o.id,
				date: '2026-03-02',
				actionTypeId: 'historyAction-llamada',
				userId: adminId,
				comment: 'Llamada de seguimiento'
			});
		}
		await applied('opportunity.delete', { id: o.id });
		const after = await state(s.adminToken);
		// A pull from 0 skips deletes: a fresh device never had the rows.
		expect(after.get(`opportunity:${o.id}`)).toBeUndefined();
		for (const id of ids) expect(after.get(`opportunityAction:${id}`)).toBeUndefined();
		// Deleting again is a success: the end state is the one asked for.
		await applied('opportunity.delete', { id: o.id });
	});

	it('refuses hostile opportunity and action payloads with a 400 and a code, writing nothing', async () => {
		const customerId = await newCustomer();
		const other = await newCustomer();
		const o = opportunity(customerId);
		await applied('opportunity.create', o);
		const foreign = opportunity(other);
		await applied('opportunity.create', foreign);
		const bad: [unknown, string, string?][] = [
			[opportunity(customerId, { probability: 101 }), 'invalid-field', 'probability'],
			[opportunity(customerId, { probability: 12.5 }), 'invalid-field', 'probability'],
			[opportunity(customerId, { probability: '50' }), 'invalid-field', 'probability'],
			[opportunity(customerId, { amountCents: -100 }), 'invalid-field', 'amountCents'],
			[opportunity(customerId, { amountCents: 99.99 }), 'invalid-field', 'amountCents'],
			[opportunity(customerId, { amountCents: 1e300 }), 'invalid-field', 'amountCents'],
			[opportunity(customerId, { title: '' }), 'invalid-field', 'title'],
			[opportunity(customerId, { title: 'x'.repeat(100_000) }), 'invalid-field', 'title'],
			[opportunity(customerId, { stageId: 'customerState-alta' }), 'invalid-field', 'stageId'],
			[opportunity(customerId, { typeId: 'sector-industria' }), 'invalid-field', 'typeId'],
			[opportunity(customerId, { ownerId: randomUUID() }), 'invalid-field', 'ownerId'],
			[
				opportunity(customerId, { expectedCloseDate: '31/12/2026' }),
				'invalid-field',
				'expectedCloseDate'
			],
			[opportunity(customerId, { won: true }), 'invalid-args']
		];
		for (const [args, code, field] of bad) await refused('opportunity.create', args, code, field);
		await refused('opportunity.update', { id: o.id, patch: { customerId: other } }, 'invalid-args');
		await refused(
			'opportunity.update',
			{ id: o.id, patch: { stageId: null } },
			'invalid-field',
			'stageId'
		);
		await refused('opportunity.update', { id: o.id, patch: { probability: -1 } }, 'invalid-field');
		await refused('opportunity.delete', { id: [o.id] }, 'invalid-field', 'id');
		await refused('opportunity.delete', {}, 'invalid-field', 'id');

		const action = (over: Record<string, unknown> = {}) => ({
			id: randomUUID(),
			customerId,
			opportunityId: o.id,
			date: '2026-03-10',
			actionTypeId: 'historyAction-visita',
			userId: adminId,
			comment: 'Visita',
			...over
		});
		const okAction = action();
		await applied('opportunityAction.create', okAction);
		const badActions: [unknown, string, string?][] = [
			[action({ nextStepDate: '2026-03-01' }), 'invalid-field', 'nextStepDate'],
			[action({ opportunityId: foreign.id }), 'invalid-field', 'opportunityId'],
			[action({ actionTypeId: 'opportunityStage-oferta' }), 'invalid-field', 'actionTypeId'],
			[action({ userId: randomUUID() }), 'invalid-field', 'userId'],
			[action({ comment: '   ' }), 'invalid-field', 'comment'],
			[action({ date: 20260310 }), 'invalid-field', 'date'],
			[action({ kind: 'auto' }), 'invalid-args']
		];
		for (const [args, code, field] of badActions)
			await refused('opportunityAction.create', args, code, field);
		await refused(
			'opportunityAction.create',
			action({ opportunityId: randomUUID() }),
			'not-found',
			'opportunityId'
		);
		await refused(
			'opportunityAction.update',
			{ id: okAction.id, patch: { opportunityId: foreign.id } },
			'invalid-field',
			'opportunityId'
		);
		await refused(
			'opportunityAction.update',
			{ id: okAction.id, patch: { customerId: other } },
			'invalid-args'
		);
		await refused('opportunityAction.delete', { id: null }, 'invalid-field', 'id');
	});
});
