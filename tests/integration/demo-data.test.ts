import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addMonthsClamped } from '@enlace/shared';
import { CONTRACT_CASES, sampleContracts, sampleCustomers } from '../../scripts/demo/sample-data';
import { SeqNotifier } from '../../sync-server/src/sync/notifier';
import { applyDatedTariffs, sweepDay } from '../../sync-server/src/sync/scheduled-changes';
import { declaredRouter } from '../support/records';
import { mutation, push, startTestServer, type TestServer } from '../support/server';

/**
 * `npm run demo` writes its sample data through the real mutators and stops at the first
 * refusal: the data must stay valid as the rules change. Here on a real server, without the
 * demo's router and agent (the router row is written as an agent's hello would).
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function pushAll(s: TestServer, mutations: { name: string; args: unknown }[]) {
	const r = await push(
		s.url,
		s.adminToken,
		mutations.map((m) => mutation(m.name, m.args))
	);
	const refused = r.body.results.filter((x) => x.status !== 'applied');
	expect(refused, JSON.stringify(refused)).toEqual([]);
}

async function rowsOf<T>(s: TestServer, entity: string): Promise<T[]> {
	const r = await s.db.client.execute({
		sql: 'SELECT data FROM records WHERE entity = ? AND deleted = 0',
		args: [entity]
	});
	return r.rows.map((x) => JSON.parse(String(x.data)) as T);
}

describe('the demo sample data', () => {
	it('is accepted by the mutators, and its tariff change dated ahead reaches the account on its day', async () => {
		const s = await startTestServer();
		cleanups.push(() => s.close());
		const { mutations, customerIds, tariffIds } = sampleCustomers();
		await pushAll(s, mutations);

		const router = await declaredRouter(s, 'nodo-centro', '127.0.0.1');
		await pushAll(s, [
			{
				name: 'ipPool.create',
				args: {
					id: randomUUID(),
					routerId: router.id,
					name: 'pool-clientes',
					ranges: '100.64.10.2-100.64.10.254',
					isOffline: false
				}
			},
			...customerIds.slice(0, 14).map((customerId, i) => ({
				name: 'pppoe.save',
				args: {
					id: randomUUID(),
					customerId,
					routerId: router.id,
					username: `demo${i}`,
					password: 'secreto-demo-1',
					tariffId: tariffIds[i % tariffIds.length]
				}
			}))
		]);

		const accounts = await rowsOf<{ id: string; customerId: string; tariffId?: string }>(
			s,
			'pppoeAccount'
		);
		const today = sweepDay();
		const contracts = sampleContracts({
			accounts,
			addresses: await rowsOf<{ id: string; customerId: string }>(s, 'address'),
			customerIds,
			tariffIds,
			today
		});
		await pushAll(s, contracts);
		expect(await rowsOf(s, 'contract')).toHaveLength(14);
		expect(await rowsOf(s, 'tariffAssignment')).toHaveLength(16);

		// The upgrade case: Fibra 100 now, Fibra 300 from the first of next month.
		const upgraded = accounts.find((a) => a.customerId === customerIds[CONTRACT_CASES.upgrade])!;
		const tariffNow = async () =>
			(await rowsOf<{ id: string; tariffId?: string }>(s, 'pppoeAccount')).find(
				(a) => a.id === upgraded.id
			)?.tariffId;
		expect(await tariffNow()).toBe(tariffIds[0]);
		const nextMonth = addMonthsClamped(`${today.slice(0, 8)}01`, 1);
		expect(await applyDatedTariffs(s.db, new SeqNotifier(), nextMonth)).toBe(1);
		expect(await tariffNow()).toBe(tariffIds[1]);
	});
});
