import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, makeNif } from '@enlace/shared';
import {
	applyDatedTariffs,
	removeDueSecrets,
	sweepDay
} from '../../sync-server/src/sync/scheduled-changes';
import { SeqNotifier } from '../../sync-server/src/sync/notifier';
import { declaredRouter } from '../support/records';
import { pushOne, startTestServer, type TestServer } from '../support/server';

/**
 * A customer's life cycle on the real server (libSQL file): a baja that keeps the secret some
 * days is suspended at once and swept on its day by the server, as the system, exactly once.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

type Row = Record<string, unknown>;
async function rows(s: TestServer, entity: string, customerId: string): Promise<Row[]> {
	const r = await s.db.client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND customer_id IS ? AND deleted = 0',
		args: [entity, customerId]
	});
	return r.rows.map((x) => JSON.parse(String(x.data)) as Row);
}
async function jobsOf(s: TestServer, customerId: string): Promise<Row[]> {
	const r = await s.db.client.execute({
		sql: `SELECT data FROM records WHERE entity = 'routerJob' AND data ->> '$.customerId' = ?
			ORDER BY data ->> '$.n'`,
		args: [customerId]
	});
	return r.rows.map((x) => JSON.parse(String(x.data)) as Row);
}

async function applied(p: Promise<{ body: { results: { status: string; error?: unknown }[] } }>) {
	const r = await p;
	expect(r.body.results[0], JSON.stringify(r.body.results[0])).toMatchObject({ status: 'applied' });
}

/** A server with a router (and its pools), a customer in Alta and its PPPoE account. */
async function world(bajaDays = 0) {
	const s = await startTestServer();
	cleanups.push(() => s.close());
	const router = await declaredRouter(s, 'nodo-estados', '10.0.0.1');
	const push = (name: string, args: unknown) => applied(pushOne(s.url, s.adminToken, name, args));
	for (const [id, name, ranges, isOffline] of [
		[randomUUID(), 'clientes', '10.1.0.2-10.1.0.254', false],
		[randomUUID(), 'corte', '10.9.0.2-10.9.0.254', true]
	] as const)
		await push('ipPool.create', { id, routerId: router.id, name, ranges, isOffline });
	if (bajaDays)
		await push('setting.update', {
			id: 'customerState-baja',
			patch: { removeSecretAfterDays: bajaDays }
		});
	const customerId = randomUUID();
	await push('customer.create', {
		id: customerId,
		code: '',
		isCompany: false,
		name: 'Baja Programada',
		taxIdType: 'nif',
		taxId: makeNif(12_345_678),
		stateId: 'customerState-alta'
	});
	const accountId = randomUUID();
	await push('pppoe.save', {
		id: accountId,
		customerId,
		routerId: router.id,
		username: 'baja-programada',
		password: 'secreto-123'
	});

	return { s, push, customerId, accountId, router };
}

describe('customer states on the server', () => {
	it('the sweep works on the day as Madrid reads it, not UTC', () => {
		expect(sweepDay(new Date('2026-12-03T23:30:00Z'))).toBe('2026-12-04');
		expect(sweepDay(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
		expect(sweepDay(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
	});

	it('a baja after N days suspends now and the sweep removes the secret on the day, once', async () => {
		const { s, push, customerId } = await world(10);
		// The customer's alta is today (its default, Madrid's day as the server reads it: UTC's
		// date is the day before from midnight to 1 or 2 in Madrid), and a baja cannot come before it.
		const today = sweepDay();
		const due = addDays(today, 10);
		await push('customer.setState', {
			id: customerId,
			stateId: 'customerState-baja',
			at: new Date().toISOString(),
			date: today,
			reason: 'Se muda'
		});
		const [customer] = await rows(s, 'customer', customerId);
		expect(customer).toMatchObject({ bajaDate: today, secretRemovalOn: due });
		expect((await rows(s, 'pppoeAccount', customerId))[0]).toMatchObject({ offline: true });
		const history = await rows(s, 'history', customerId);
		expect(history.find((h) => h.field === 'stateId')).toMatchObject({
			newValue: 'customerState-baja',
			reason: 'Se muda'
		});

		const notifier = new SeqNotifier();
		expect(await removeDueSecrets(s.db, notifier, addDays(due, -1))).toBe(0);
		expect(await rows(s, 'pppoeAccount', customerId)).toHaveLength(1);
		expect(await removeDueSecrets(s.db, notifier, due)).toBe(1);
		expect(await rows(s, 'pppoeAccount', customerId)).toHaveLength(0);
		// Swept: the customer no longer waits, so a second sweep finds nothing.
		expect(await removeDueSecrets(s.db, notifier, addDays(due, 1))).toBe(0);

		const jobs = await jobsOf(s, customerId);
		expect(jobs.map((j) => [j.kind, j.action, j.requestedBy])).toEqual([
			['secret.ensure', 'Guardar Secret', expect.any(String)],
			['secret.ensure', 'Baja: Suspender servicio', expect.any(String)],
			['secret.remove', 'Baja: Eliminar secret', 'system']
		]);
		const swept = (await rows(s, 'history', customerId)).filter(
			(h) => h.mutation === 'customer.removeDueSecrets'
		);
		expect(swept.length).toBeGreaterThan(0);
		expect(swept[0]).toMatchObject({ userName: 'Enlace (programado)' });
	});

	it('a tariff changed from a day ahead reaches the router on its day, once', async () => {
		const { s, push, customerId, accountId } = await world();
		const tariff = (name: string, downloadMbps: number) => ({
			id: randomUUID(),
			name,
			priceCents: 3000,
			vatRate: 21,
			billingPeriod: 'monthly',
			downloadMbps,
			uploadMbps: 10,
			active: true
		});
		const now = tariff('Fibra 100', 100);
		const next = tariff('Fibra 600', 600);
		for (const t of [now, next]) await push('tariff.create', t);
		const today = sweepDay();
		const lastDay = addDays(today, 20);
		const contractId = randomUUID();
		await push('contract.create', {
			id: contractId,
			customerId,
			name: 'Hogar',
			fromDate: today,
			billingFrequency: 'monthly'
		});
		const assign = (tariffId: string, startDate: string, endDate?: string) =>
			push('tariffAssignment.create', {
				id: randomUUID(),
				customerId,
				contractId,
				tariffId,
				startDate,
				...(endDate ? { endDate } : {}),
				quantity: 1,
				pppoeAccountId: accountId
			});
		// Fibra 100 until the 20th day from now, Fibra 600 from the day after: written today.
		await assign(now.id, today, lastDay);
		await assign(next.id, addDays(lastDay, 1));
		const account = async () => (await rows(s, 'pppoeAccount', customerId))[0];
		expect(await account()).toMatchObject({ tariffId: now.id, profile: 'enlace-fibra-100' });
		const jobsBefore = (await jobsOf(s, customerId)).length;

		const notifier = new SeqNotifier();
		expect(await applyDatedTariffs(s.db, notifier, lastDay)).toBe(0);
		expect(await applyDatedTariffs(s.db, notifier, addDays(lastDay, 1))).toBe(1);
		expect(await account()).toMatchObject({ tariffId: next.id, profile: 'enlace-fibra-600' });
		// Once: the next sweeps, that day and later, find the account on its tariff.
		expect(await applyDatedTariffs(s.db, notifier, addDays(lastDay, 1))).toBe(0);
		expect(await applyDatedTariffs(s.db, notifier, addDays(lastDay, 2))).toBe(0);

		const jobs = (await jobsOf(s, customerId)).slice(jobsBefore);
		expect(jobs.map((j) => [j.kind, j.action, j.requestedBy])).toEqual([
			['secret.ensure', 'Cambio de tarifa', 'system']
		]);
		expect(JSON.stringify(jobs[0].payload)).toContain('enlace-fibra-600');
		// The new tariff's profile is put on the router too (a router's job, not the customer's).
		const profileJobs = await s.db.client.execute(
			`SELECT data FROM records WHERE entity = 'routerJob'
				AND data ->> '$.kind' = 'profile.ensure' AND data ->> '$.requestedBy' = 'system'`
		);
		expect(profileJobs.rows.map((r) => JSON.parse(String(r.data)).payload)).toEqual([
			expect.objectContaining({ name: 'enlace-fibra-600' })
		]);
		const changed = (await rows(s, 'history', customerId)).filter(
			(h) => h.mutation === 'pppoe.applyDatedTariff'
		);
		expect(changed.length).toBeGreaterThan(0);
		expect(changed[0]).toMatchObject({ userName: 'Enlace (programado)' });
	});

	it('two devices that changed the state offline end with the later decision, whichever pushes first', async () => {
		const ends = [];
		for (const order of [
			['a', 'b'],
			['b', 'a']
		]) {
			const { s, customerId, accountId } = await world();
			const decisions = {
				// Device A cut the customer at 09:00; device B gave the service back at 09:10.
				a: { stateId: 'customerState-cortado', at: '2026-11-27T09:00:00.000Z' },
				b: { stateId: 'customerState-alta', at: '2026-11-27T09:10:00.000Z' }
			} as const;
			for (const who of order)
				await applied(
					pushOne(
						s.url,
						s.adminToken,
						'customer.setState',
						{ id: customerId, ...decisions[who as 'a' | 'b'], date: '2026-11-27' },
						{ clientId: `device-${who}` }
					)
				);
			const [customer] = await rows(s, 'customer', customerId);
			const [account] = await rows(s, 'pppoeAccount', customerId);
			const secrets = (await jobsOf(s, customerId)).filter((j) => j.kind === 'secret.ensure');
			const last = secrets.at(-1)?.payload as Row;
			ends.push({
				state: customer.stateId,
				account: { id: account.id === accountId, offline: account.offline },
				router: { profile: last.profile, remoteAddress: last.remoteAddress ?? null }
			});
		}
		expect(ends[0]).toEqual(ends[1]);
		expect(ends[0]).toMatchObject({
			state: 'customerState-alta',
			account: { offline: false },
			router: { profile: 'default' }
		});
	});
});
