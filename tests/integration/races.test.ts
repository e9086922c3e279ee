// docs/architecture.md › Several server instances: every rule that depends on other rows holds
// when two sync-servers on one sqld apply conflicting mutations at the same moment. Each server
// serialises its own writers, so only the database can keep the two honest: many attempts are
// pushed at once, alternating between the servers, and exactly one of them may win — the others
// are refused with the mutator's own reason, as if they had come second on one server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mikrotikProfile } from '@enlace/shared';
import { agentClient, createAgent, routerDecl } from '../support/agent-client';
import {
	customerArgs,
	pushOne,
	startTwoServersOnSqld,
	type ApiResponse,
	type Json,
	type PushBody,
	type TestServer,
	type TwoServers
} from '../support/server';
import { CASH_TYPE, sepa } from '../support/finance';
import { ServerTx } from '../../sync-server/src/sync/store';

/** Attempts per race, half on each server. */
const ATTEMPTS = 10;

let two: TwoServers;
let a: TestServer;
let b: TestServer;
let routerId: string;

beforeAll(async () => {
	two = await startTwoServersOnSqld();
	({ a, b } = two);
	const agent = await createAgent(a, 'Agente de carreras');
	const hello = await agentClient(a.url, agent.token).hello([routerDecl('torre')]);
	expect(hello.status).toBe(200);
	routerId = hello.body.routers[0].id;
});

afterAll(async () => {
	await two?.close();
});

type Answer = ApiResponse<PushBody> & { id: string };

/** Push `count` mutations at once, alternating servers; each one as its own device. */
function race(
	count: number,
	make: (i: number) => [name: string, args: unknown]
): Promise<Answer[]> {
	return Promise.all(
		Array.from({ length: count }, (_, i) => {
			const [name, args] = make(i);
			return pushOne(i % 2 ? b.url : a.url, a.adminToken, name, args, { clientId: `dev-${i}` });
		})
	);
}

const results = (answers: Answer[]) => answers.map((r) => r.body.results[0]);

/** Exactly one applied; every other refused with `code` on `field` and a message matching `message`. */
function expectOneWinner(
	answers: Answer[],
	refusal: { code: string; field: string; message: RegExp }
): number {
	const all = results(answers);
	const won = all.flatMap((r, i) => (r.status === 'applied' ? [i] : []));
	expect(won, `applied: ${JSON.stringify(all)}`).toHaveLength(1);
	for (const r of all) {
		if (r.status === 'applied') continue;
		expect(r.error).toMatchObject({ code: refusal.code, field: refusal.field });
		expect(r.error.message).toMatch(refusal.message);
	}
	return won[0];
}

async function liveRows(entity: string, where = 'true', args: (string | number)[] = []) {
	const r = await a.db.client.execute({
		sql: `SELECT data, customer_id FROM records WHERE entity = ? AND deleted = 0 AND ${where}`,
		args: [entity, ...args]
	});
	return r.rows.map((x) => ({
		...(JSON.parse(String(x.data)) as Json),
		storedCustomerId: x.customer_id
	}));
}

async function applied(name: string, args: unknown) {
	const r = await pushOne(a.url, a.adminToken, name, args);
	expect(r.body.results[0], JSON.stringify(r.body)).toEqual({ id: r.id, status: 'applied' });
}

async function newCustomers(n: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const c = customerArgs({ name: `Cliente Carrera ${i}` });
		await applied('customer.create', c);
		ids.push(c.id);
	}
	return ids;
}

const uniq = () => randomUUID().slice(0, 8);

const account = (customerId: string, over: Record<string, unknown> = {}) => ({
	id: randomUUID(),
	customerId,
	routerId,
	username: `cli-${uniq()}`,
	password: 'secreto-pppoe-1',
	...over
});

describe('rules that depend on other rows, with two servers racing on one sqld', () => {
	it('keeps a SEPA mandate reference unique across customers', async () => {
		const customers = await newCustomers(ATTEMPTS);
		const ref = `RACE-${uniq().toUpperCase()}`;
		const answers = await race(ATTEMPTS, (i) => [
			'paymentMethod.create',
			sepa(customers[i], { mandateReference: ref })
		]);
		expectOneWinner(answers, {
			code: 'already-exists',
			field: 'mandateReference',
			message: new RegExp(`La referencia de mandato ${ref} ya la tiene C\\d{5} · Cliente Carrera`)
		});
		const held = await liveRows('paymentMethod', "json_extract(data, '$.mandateReference') = ?", [
			ref
		]);
		expect(held).toHaveLength(1);
	});

	it('keeps a PPPoE user unique on a router', async () => {
		const customers = await newCustomers(2);
		const username = `cli-${uniq()}`;
		const answers = await race(ATTEMPTS, (i) => [
			'pppoe.save',
			account(customers[i % 2], { username })
		]);
		expectOneWinner(answers, {
			code: 'already-exists',
			field: 'username',
			message: /^Ese usuario PPPoE ya existe en este router$/
		});
		expect(
			await liveRows('pppoeAccount', "json_extract(data, '$.username') = ?", [username])
		).toHaveLength(1);
	});

	it('keeps a static IP unique on a router', async () => {
		const customers = await newCustomers(2);
		const ip = `100.64.${Math.floor(Math.random() * 200) + 1}.${Math.floor(Math.random() * 200) + 1}`;
		const answers = await race(ATTEMPTS, (i) => [
			'pppoe.save',
			account(customers[i % 2], { staticIp: ip })
		]);
		expectOneWinner(answers, {
			code: 'already-exists',
			field: 'staticIp',
			message: /^Esa IP fija ya la usa otra cuenta de este router$/
		});
		const held = await liveRows(
			'pppoeAccount',
			"json_extract(data, '$.staticIp') = ? AND json_extract(data, '$.routerId') = ?",
			[ip, routerId]
		);
		expect(held).toHaveLength(1);
	});

	it('keeps a product code or barcode naming one product of the catalogue', async () => {
		// Half the attempts take the value as their code, half as their barcode: the unique
		// indexes alone would let one of each through; the guarded reads let one in all.
		const value = `EQ-${uniq().toUpperCase()}`;
		const answers = await race(ATTEMPTS, (i) => [
			'equipmentProduct.create',
			{
				id: randomUUID(),
				name: `Modelo ${i}`,
				...(i % 4 < 2 ? { code: value } : { code: `OTRO-${uniq()}`, barcode: value }),
				vatRate: 21,
				priceCents: 1000,
				active: true
			}
		]);
		const all = results(answers);
		expect(
			all.filter((r) => r.status === 'applied'),
			JSON.stringify(all)
		).toHaveLength(1);
		for (const r of all) {
			if (r.status === 'applied') continue;
			expect(r.error.code).toBe('already-exists');
			expect(r.error.message).toMatch(
				new RegExp(`^${value} ya es el código (de barras )?de «Modelo \\d+»$`)
			);
		}
		const held = [
			...(await liveRows('equipmentProduct', "json_extract(data, '$.code') = ?", [value])),
			...(await liveRows('equipmentProduct', "json_extract(data, '$.barcode') = ?", [value]))
		];
		expect(held).toHaveLength(1);
	});

	it('keeps exactly one default payment method per customer', async () => {
		const [customer] = await newCustomers(1);
		// Every new method asks to be the default, or (half of them) becomes it by being the first.
		const answers = await race(ATTEMPTS, (i) => [
			'paymentMethod.create',
			{
				id: randomUUID(),
				customerId: customer,
				typeId: CASH_TYPE,
				name: `Efectivo ${i}`,
				...(i % 4 < 2 ? { isDefault: true } : {})
			}
		]);
		for (const r of results(answers)) expect(r.status).toBe('applied');
		const methods = await liveRows('paymentMethod', 'customer_id = ?', [customer]);
		expect(methods).toHaveLength(ATTEMPTS);
		expect(methods.filter((m) => m.isDefault)).toHaveLength(1);

		// Then every one of them is made the default at once.
		const updates = await race(ATTEMPTS, (i) => [
			'paymentMethod.update',
			{ id: methods[i].id, patch: { isDefault: true } }
		]);
		for (const r of results(updates)) expect(r.status).toBe('applied');
		const after = await liveRows('paymentMethod', 'customer_id = ?', [customer]);
		expect(after.filter((m) => m.isDefault)).toHaveLength(1);
	});

	it('never lets a tariff rename undo a password changed at the same time', async () => {
		const tariff = {
			id: randomUUID(),
			name: `Fibra ${uniq()}`,
			priceCents: 3000,
			vatRate: 21,
			billingPeriod: 'monthly',
			downloadMbps: 100,
			uploadMbps: 20,
			active: true
		};
		await applied('tariff.create', tariff);
		const customers = await newCustomers(ATTEMPTS);
		const accounts = customers.map((c) => account(c, { tariffId: tariff.id }));
		for (const acc of accounts) await applied('pppoe.save', acc);

		for (let round = 1; round <= 3; round++) {
			const name = `${tariff.name} v${round}`;
			const password = `nueva-clave-${round}`;
			// One server renames the tariff (re-saving every account on it with the new profile)
			// while the other changes every account's password.
			const [renamer, saver] = round % 2 ? [a, b] : [b, a];
			const answers = await Promise.all([
				pushOne(renamer.url, a.adminToken, 'tariff.update', {
					id: tariff.id,
					patch: { name }
				}),
				...accounts.map((acc, i) =>
					pushOne(
						saver.url,
						a.adminToken,
						'pppoe.save',
						{ ...acc, password },
						{ clientId: `p${i}` }
					)
				)
			]);
			for (const r of results(answers)) expect(r.status).toBe('applied');
			const profile = mikrotikProfile({ ...tariff, name }).name;
			const stored = await liveRows('pppoeAccount', "json_extract(data, '$.tariffId') = ?", [
				tariff.id
			]);
			expect(stored.map((s) => [s.password, s.profile])).toEqual(
				accounts.map(() => [password, profile])
			);
		}
	});

	it('never moves a row to another customer through a create with an existing id', async () => {
		const customers = await newCustomers(ATTEMPTS);
		const addressId = randomUUID();
		const contactId = randomUUID();
		const addresses = await race(ATTEMPTS, (i) => [
			'address.create',
			{ id: addressId, customerId: customers[i], label: 'servicio', street: `Calle ${i}` }
		]);
		const contacts = await race(ATTEMPTS, (i) => [
			'contactPerson.create',
			{ id: contactId, customerId: customers[i], name: `Persona ${i}` }
		]);
		const refusal = { code: 'already-exists', field: 'id', message: /ya existe/ };
		for (const [answers, entity, id] of [
			[addresses, 'address', addressId],
			[contacts, 'contactPerson', contactId]
		] as const) {
			const winner = expectOneWinner(answers, refusal);
			const [row] = await liveRows(entity, 'id = ?', [id]);
			expect([row.customerId, row.storedCustomerId]).toEqual([
				customers[winner],
				customers[winner]
			]);
			// Replayed for its own customer, a create is still an update of the row's fields.
			const replay = results([
				await pushOne(b.url, a.adminToken, `${entity}.create`, {
					id,
					customerId: customers[winner],
					...(entity === 'address'
						? { label: 'servicio', street: 'Calle Nueva' }
						: { name: 'Persona Nueva' })
				})
			])[0];
			expect(replay.status).toBe('applied');
		}
	});

	it('refuses, whatever the mutator, a write that hands a stored row to another customer', async () => {
		const [c1, c2] = await newCustomers(2);
		const id = randomUUID();
		await applied('address.create', { id, customerId: c1, label: 'servicio', street: 'Mayor 1' });
		// A blind write (not read first) is read and checked when the batch is made.
		const tx = new ServerTx(a.db.client, {
			userId: 'u',
			userName: 'U',
			role: 'admin',
			now: new Date().toISOString(),
			server: true
		});
		await tx.put('address', {
			id,
			customerId: c2,
			label: 'servicio',
			street: 'Mayor 1',
			country: 'ES'
		});
		await expect(tx.statements('address.update')).rejects.toMatchObject({
			code: 'already-exists',
			field: 'id'
		});
		expect((await liveRows('address', 'id = ?', [id]))[0].customerId).toBe(c1);
	});
});
