// Datos financieros, Datos operadora and Otros against the real sync-server over HTTP: bank data
// never reaches a technician (rows, Historial lines, any text), a technician cannot write it,
// mandate references are unique across customers, and every hostile payload of the new mutations
// is refused with a code and writes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '@enlace/shared';
import {
	api,
	customerArgs,
	pullAll,
	push,
	pushOne,
	startTestServer,
	mutation,
	type ApiResponse,
	type Json,
	type TestServer
} from '../support/server';
import { CASH_TYPE, IBAN, IBAN_2, sepa } from '../support/finance';

let s: TestServer;
let techToken: string;
let officeToken: string;

async function makeUser(role: 'technician' | 'office'): Promise<string> {
	const user = {
		email: `${role}-${randomUUID().slice(0, 8)}@enlace.test`,
		name: role === 'office' ? 'Oficina Uno' : 'Técnico Uno',
		role,
		password: `${role}-password-1`
	};
	const r = await api(s.url, s.adminToken).post('/api/users', user);
	expect(r.status).toBe(201);
	return s.login(user.email, user.password);
}

async function createCustomer(name = 'María García López'): Promise<string> {
	const args = customerArgs({ name });
	const r = await pushOne(s.url, s.adminToken, 'customer.create', args);
	expect(r.body.results[0]).toEqual({ id: r.id, status: 'applied' });
	return args.id;
}

async function applied(token: string, name: string, args: unknown) {
	const r = await pushOne(s.url, token, name, args);
	expect(r.body.results[0], JSON.stringify(r.body)).toEqual({ id: r.id, status: 'applied' });
	return r;
}

/** Rows, change log and seq counter: what a refused request must leave exactly as it was. */
async function snapshot() {
	const rows = await s.db.client.execute(
		'SELECT entity, id, seq, deleted FROM records ORDER BY entity, id'
	);
	const seq = await s.db.client.execute("SELECT value FROM counters WHERE name = 'seq'");
	return { seq: Number(seq.rows[0].value), rows: rows.rows.map((r) => Object.values(r).join('|')) };
}

async function expectNothingWritten<T>(fn: () => Promise<T>): Promise<T> {
	const before = await snapshot();
	const out = await fn();
	expect(await snapshot()).toEqual(before);
	return out;
}

/** The push answered 4xx with the error code (and field), and its one mutation was rejected. */
function expectRefused(r: ApiResponse, code: string, field?: string) {
	expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
	expect(r.status).toBeLessThan(500);
	expect(r.body.error?.code).toBe(code);
	expect(typeof r.body.error?.message).toBe('string');
	if (field !== undefined) expect(r.body.error.field).toBe(field);
	expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: { code } });
}

/** The mutation was rejected (not an input error: the push itself answers 200). */
function expectRejected(r: ApiResponse, code: string, field?: string) {
	expect(r.body.results[0], JSON.stringify(r.body)).toMatchObject({
		status: 'rejected',
		error: { code }
	});
	if (field !== undefined) expect(r.body.results[0].error.field).toBe(field);
}

beforeAll(async () => {
	s = await startTestServer();
	techToken = await makeUser('technician');
	officeToken = await makeUser('office');
});

afterAll(async () => {
	await s?.close();
});

describe('Datos financieros on the server', () => {
	it("never lets a payment method, its Historial or its bank text reach a technician's pull", async () => {
		const c = await createCustomer('Lucía Fernández Soto');
		const method = sepa(c, { bic: 'CAIXESBBXXX', bankName: 'CaixaBank' });
		await applied(officeToken, 'paymentMethod.create', method);
		await applied(s.adminToken, 'paymentMethod.update', {
			id: method.id,
			patch: { iban: IBAN_2, notes: 'Cambio de cuenta firmado' }
		});
		await applied(officeToken, 'paymentMethod.updateTerms', {
			customerId: c,
			patch: { discountPercent: 12.5, creditLimit: 150_000, paymentDays: [5, 20] }
		});
		const cash = { id: randomUUID(), customerId: c, typeId: CASH_TYPE };
		await applied(officeToken, 'paymentMethod.create', cash);
		await applied(officeToken, 'paymentMethod.delete', { id: cash.id });
		// Something a technician may see, after it all, so their pull has to step over the rest.
		await applied(s.adminToken, 'customer.update', { id: c, patch: { phone: '920111222' } });

		const admin = await pullAll(s.url, s.adminToken);
		const tech = await pullAll(s.url, techToken);
		const adminRow = admin.changes.findLast((x) => x.id === method.id)?.data as Json;
		expect(adminRow).toMatchObject({
			iban: IBAN_2,
			bic: 'CAIXESBBXXX',
			isDefault: true,
			discountPercent: 12.5,
			creditLimit: 150_000,
			paymentDays: [5, 20]
		});
		const adminHistory = admin.changes.filter(
			(x: Change) => x.entity === 'history' && x.data?.entity === 'paymentMethod'
		);
		// Alta, IBAN and notes, three terms, the cash method's alta and baja.
		expect(adminHistory.length).toBeGreaterThanOrEqual(7);
		expect(JSON.stringify(adminHistory)).toContain(IBAN);

		expect(tech.changes.some((x) => x.entity === 'paymentMethod')).toBe(false);
		expect(
			tech.changes.some((x) => x.entity === 'history' && x.data?.entity === 'paymentMethod')
		).toBe(false);
		const techText = JSON.stringify(tech.changes);
		for (const secret of [
			IBAN,
			IBAN_2,
			'2100 0418',
			'21000418450200051332',
			method.mandateReference,
			'CAIXESBBXXX',
			'Cambio de cuenta firmado'
		])
			expect(techText).not.toContain(secret);
		// The technician still gets the customer and its non-financial Historial, and the same seq.
		expect(tech.changes.some((x) => x.entity === 'customer' && x.id === c)).toBe(true);
		expect(
			tech.changes.some(
				(x) => x.entity === 'history' && x.data?.customerId === c && x.data?.field === 'phone'
			)
		).toBe(true);
		expect(tech.seq).toBe(admin.seq);
	});

	it("refuses every payment-method mutation from a technician as 'forbidden', writing nothing", async () => {
		const c = await createCustomer();
		const method = sepa(c);
		await applied(s.adminToken, 'paymentMethod.create', method);
		const attempts: [string, unknown][] = [
			['paymentMethod.create', sepa(c)],
			['paymentMethod.update', { id: method.id, patch: { accountHolder: 'Otro' } }],
			['paymentMethod.delete', { id: method.id }],
			['paymentMethod.updateTerms', { customerId: c, patch: { vatExempt: true } }]
		];
		for (const [name, args] of attempts) {
			const r = await expectNothingWritten(() => pushOne(s.url, techToken, name, args));
			expect(r.status).toBe(200);
			expectRejected(r, 'forbidden');
		}
	});

	it('refuses a mandate reference another customer already has, and keeps one default', async () => {
		const a = await createCustomer('Cliente A');
		const b = await createCustomer('Cliente B');
		const first = sepa(a, { mandateReference: 'ENL-UNICA-0001' });
		await applied(officeToken, 'paymentMethod.create', first);
		const dup = await expectNothingWritten(() =>
			pushOne(
				s.url,
				officeToken,
				'paymentMethod.create',
				sepa(b, { mandateReference: 'ENL-UNICA-0001' })
			)
		);
		expectRejected(dup, 'already-exists', 'mandateReference');
		const [result] = dup.body.results;
		expect(result.status === 'rejected' && result.error.message).toContain('Cliente A');
		// Nor may an update take it, on the same customer either.
		const second = sepa(a, { iban: IBAN_2 });
		await applied(officeToken, 'paymentMethod.create', second);
		const steal = await expectNothingWritten(() =>
			pushOne(s.url, officeToken, 'paymentMethod.update', {
				id: second.id,
				patch: { mandateReference: 'ENL-UNICA-0001' }
			})
		);
		expectRejected(steal, 'already-exists', 'mandateReference');

		// Default: the first method was; making the second the default un-defaults the first.
		await applied(officeToken, 'paymentMethod.updateTerms', {
			customerId: a,
			patch: { vatExempt: true }
		});
		await applied(officeToken, 'paymentMethod.update', {
			id: second.id,
			patch: { isDefault: true }
		});
		const rows = (await pullAll(s.url, s.adminToken)).changes;
		const latest = (id: string) => rows.findLast((x) => x.id === id)?.data as Json;
		expect(latest(first.id).isDefault).toBe(false);
		expect(latest(first.id).vatExempt).toBeUndefined();
		expect(latest(second.id)).toMatchObject({ isDefault: true, vatExempt: true });
	});
});

describe('hostile payloads of the new mutations', () => {
	let c: string;
	let other: string;
	let method: ReturnType<typeof sepa>;
	beforeAll(async () => {
		c = await createCustomer('Cliente Hostil');
		other = await createCustomer('Otro Cliente');
		method = sepa(c);
		await applied(s.adminToken, 'paymentMethod.create', method);
		await applied(s.adminToken, 'customField.create', {
			id: 'cf-hostil-num',
			name: 'Número hostil',
			type: 'number',
			required: false,
			order: 0,
			active: true
		});
		await applied(s.adminToken, 'customField.create', {
			id: 'cf-hostil-lista',
			name: 'Lista hostil',
			type: 'list',
			options: ['Uno', 'Dos'],
			required: false,
			order: 1,
			active: true
		});
	});

	const huge = 'x'.repeat(200_000);
	type Case = [name: string, args: unknown, code: string, field?: string];
	const cases = (): Case[] => [
		// paymentMethod.create
		[
			'paymentMethod.create',
			{ ...sepa(c), iban: 'ES9221000418450200051332' },
			'invalid-iban',
			'iban'
		],
		[
			'paymentMethod.create',
			{ ...sepa(c), iban: 'ES2121000418450200051331' },
			'invalid-iban',
			'iban'
		],
		['paymentMethod.create', { ...sepa(c), bic: 'NOTABIC!' }, 'invalid-bic', 'bic'],
		[
			'paymentMethod.create',
			{ ...sepa(c), mandateReference: 'M'.repeat(36) },
			'invalid-mandate-reference',
			'mandateReference'
		],
		['paymentMethod.create', { ...sepa(c), iban: undefined }, 'invalid-field', 'iban'],
		[
			'paymentMethod.create',
			{ ...sepa(c), mandateScheme: 'COR1' },
			'invalid-field',
			'mandateScheme'
		],
		['paymentMethod.create', { ...sepa(c), mandateSignedAt: '2026-02-30' }, 'invalid-field'],
		[
			'paymentMethod.create',
			{ ...sepa(c), typeId: 'customerState-alta' },
			'invalid-field',
			'typeId'
		],
		['paymentMethod.create', { ...sepa(c), discountPercent: 10 }, 'invalid-args'],
		['paymentMethod.create', { ...sepa(c), isDefault: 'yes' }, 'invalid-field', 'isDefault'],
		['paymentMethod.create', { ...sepa(c), notes: huge }, 'invalid-field', 'notes'],
		['paymentMethod.create', { ...sepa(c), id: 42 }, 'invalid-field', 'id'],
		['paymentMethod.create', [], 'invalid-field'],
		// paymentMethod.update
		['paymentMethod.update', { id: method.id, patch: { iban: 'ES00' } }, 'invalid-iban', 'iban'],
		['paymentMethod.update', { id: method.id, patch: { customerId: c } }, 'invalid-args'],
		['paymentMethod.update', { id: method.id, patch: { creditLimit: 1 } }, 'invalid-args'],
		['paymentMethod.update', { id: method.id, patch: { iban: null } }, 'invalid-field', 'iban'],
		['paymentMethod.update', { id: method.id, patch: { typeId: null } }, 'invalid-field', 'typeId'],
		[
			'paymentMethod.update',
			{ id: method.id, patch: { isDefault: false } },
			'invalid-field',
			'isDefault'
		],
		['paymentMethod.update', { id: 'x'.repeat(65), patch: {} }, 'invalid-field', 'id'],
		['paymentMethod.update', { id: method.id, patch: 'all' }, 'invalid-field'],
		// paymentMethod.delete
		['paymentMethod.delete', { id: { $ne: '' } }, 'invalid-field', 'id'],
		['paymentMethod.delete', { id: method.id, cascade: true }, 'invalid-args'],
		// paymentMethod.updateTerms
		[
			'paymentMethod.updateTerms',
			{ customerId: c, patch: { discountPercent: 101 } },
			'invalid-field',
			'discountPercent'
		],
		[
			'paymentMethod.updateTerms',
			{ customerId: c, patch: { creditLimit: 10.5 } },
			'invalid-field',
			'creditLimit'
		],
		[
			'paymentMethod.updateTerms',
			{ customerId: c, patch: { creditLimit: -1 } },
			'invalid-field',
			'creditLimit'
		],
		[
			'paymentMethod.updateTerms',
			{ customerId: c, patch: { paymentDays: [0, 40] } },
			'invalid-field'
		],
		[
			'paymentMethod.updateTerms',
			{ customerId: c, patch: { paymentDays: [5, 5] } },
			'invalid-field'
		],
		[
			'paymentMethod.updateTerms',
			{ customerId: c, patch: { vatExempt: true, equivalenceSurcharge: true } },
			'invalid-field',
			'equivalenceSurcharge'
		],
		['paymentMethod.updateTerms', { customerId: c, patch: { iban: IBAN } }, 'invalid-args'],
		// operatorData.save
		['operatorData.save', { customerId: c, patch: { vlan: '5000' } }, 'invalid-field', 'vlan'],
		['operatorData.save', { customerId: c, patch: { notes: huge } }, 'invalid-field', 'notes'],
		['operatorData.save', { customerId: c, patch: { lineId: 7 } }, 'invalid-field', 'lineId'],
		['operatorData.save', { customerId: c, patch: { id: 'other' } }, 'invalid-args'],
		['operatorData.save', { customerId: ['x'], patch: {} }, 'invalid-field', 'customerId'],
		// customField.*
		[
			'customField.create',
			{ id: 'cf-x', name: 'X', type: 'json', required: false, order: 0, active: true },
			'invalid-field',
			'type'
		],
		[
			'customField.create',
			{ id: 'cf-x', name: 'X', type: 'list', required: false, order: 0, active: true },
			'invalid-field',
			'options'
		],
		[
			'customField.create',
			{ id: 'has space', name: 'X', type: 'text', required: false, order: 0, active: true },
			'invalid-field',
			'id'
		],
		[
			'customField.create',
			{ id: 'cf-x', name: '  ', type: 'text', required: false, order: 0, active: true },
			'invalid-field',
			'name'
		],
		[
			'customField.update',
			{ id: 'cf-hostil-num', patch: { options: ['a'] } },
			'invalid-field',
			'options'
		],
		['customField.update', { id: 'cf-hostil-num', patch: { order: -1 } }, 'invalid-field', 'order'],
		['customField.delete', { id: '../../etc' }, 'invalid-field', 'id'],
		// customFieldValue.save
		[
			'customFieldValue.save',
			{ customerId: c, values: { 'cf-hostil-num': '12' } },
			'invalid-field',
			'cf-hostil-num'
		],
		[
			'customFieldValue.save',
			{ customerId: c, values: { 'cf-hostil-lista': 'Tres' } },
			'invalid-field',
			'cf-hostil-lista'
		],
		[
			'customFieldValue.save',
			{ customerId: c, values: { 'cf-hostil-num': { n: 1 } } },
			'invalid-field'
		],
		['customFieldValue.save', { customerId: c, values: { 'bad key!': 1 } }, 'invalid-field'],
		[
			'customFieldValue.save',
			{
				customerId: c,
				values: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, 1]))
			},
			'invalid-field',
			'values'
		],
		['customFieldValue.save', { customerId: c, values: {}, extra: 1 }, 'invalid-args']
	];

	it('answers 4xx with a code (and the field) to each, and writes nothing', async () => {
		for (const [name, args, code, field] of cases()) {
			const r = await expectNothingWritten(() => pushOne(s.url, s.adminToken, name, args));
			expect({ name, code: r.body.error?.code, field: r.body.error?.field }).toEqual({
				name,
				code,
				field: field ?? r.body.error?.field
			});
			expectRefused(r, code, field);
		}
	});

	it('rejects references to what does not exist, and admin-only definitions, writing nothing', async () => {
		const rejected: [string, string, unknown, string, string?][] = [
			[s.adminToken, 'paymentMethod.create', sepa(randomUUID()), 'not-found', 'customerId'],
			[s.adminToken, 'paymentMethod.update', { id: randomUUID(), patch: {} }, 'not-found'],
			// Another customer's method id: a create must not move it to this customer.
			[
				s.adminToken,
				'paymentMethod.create',
				{ ...sepa(other), id: method.id },
				'already-exists',
				'id'
			],
			[
				s.adminToken,
				'operatorData.save',
				{ customerId: randomUUID(), patch: { vlan: '10' } },
				'not-found'
			],
			[
				s.adminToken,
				'customFieldValue.save',
				{ customerId: c, values: { 'cf-nada': 1 } },
				'not-found',
				'cf-nada'
			],
			[
				officeToken,
				'customField.create',
				{ id: 'cf-ofi', name: 'Oficina', type: 'text', required: false, order: 9, active: true },
				'forbidden'
			],
			[techToken, 'customField.delete', { id: 'cf-hostil-num' }, 'forbidden']
		];
		for (const [token, name, args, code, field] of rejected) {
			const r = await expectNothingWritten(() => pushOne(s.url, token, name, args));
			expectRejected(r, code, field);
		}
	});

	it('lets every role save operator data and custom values, typed, after all that', async () => {
		await applied(techToken, 'operatorData.save', {
			customerId: c,
			patch: { vlan: '832', ontSerial: 'HWTC1A2B3C4D' }
		});
		await applied(techToken, 'customFieldValue.save', {
			customerId: c,
			values: { 'cf-hostil-num': 7.5, 'cf-hostil-lista': 'Dos' }
		});
		const tech = await pullAll(s.url, techToken);
		const latest = (id: string) => tech.changes.findLast((x) => x.id === id)?.data as Json;
		expect(latest(c)).toMatchObject({ id: c }); // the customer itself
		expect(
			tech.changes.findLast((x) => x.entity === 'operatorData' && x.id === c)?.data
		).toMatchObject({
			vlan: '832',
			ontSerial: 'HWTC1A2B3C4D'
		});
		expect(latest(`${c}:cf-hostil-num`)).toMatchObject({ value: 7.5, fieldId: 'cf-hostil-num' });
		expect(latest(`${c}:cf-hostil-lista`)).toMatchObject({ value: 'Dos' });
		// Several in one push, as the app's outbox sends them: applied in order.
		const r = await push(s.url, techToken, [
			mutation('operatorData.save', { customerId: c, patch: { vlan: null } }),
			mutation('customFieldValue.save', { customerId: c, values: { 'cf-hostil-num': null } })
		]);
		expect(r.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
	});
});
