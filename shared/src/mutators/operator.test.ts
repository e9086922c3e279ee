import { describe, expect, it } from 'vitest';
import { AppError } from '../protocol/errors';
import type { EntityName, EntityRow } from '../schemas/entities';
import type { Role } from '../schemas/user';
import { MUTATORS } from './index';
import { parseOrThrow, type MutatorTx } from './types';

function memoryTx(role: Role) {
	const rows = new Map<string, Map<string, Record<string, unknown>>>();
	const table = (e: string) => rows.get(e) ?? rows.set(e, new Map()).get(e)!;
	const tx: MutatorTx = {
		ctx: { userId: 'u1', userName: 'U', role, now: '2026-11-27T10:00:00.000Z', server: true },
		get: async <E extends EntityName>(e: E, id: string) =>
			structuredClone(table(e).get(id)) as EntityRow<E> | undefined,
		put: async (e, row) => void table(e).set((row as { id: string }).id, structuredClone(row)),
		del: async (e, id) => void table(e).delete(id),
		findBy: async <E extends EntityName>(e: E, field: string, value: string) =>
			[...table(e).values()].filter((r) => r[field] === value) as EntityRow<E>[],
		nextNumber: async () => 1
	};
	// As the server runs a push: permissions, arguments, then the mutator.
	const run = async (name: string, args: unknown) => {
		const m = MUTATORS.get(name)!;
		if (!m.roles.includes(role)) throw new AppError('forbidden', 'no');
		await m.apply(tx, parseOrThrow(m.args, args));
	};
	table('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
	return { run, table };
}

const failure = (p: Promise<unknown>) =>
	p.then(
		() => undefined,
		(e: AppError) => ({ code: e.code, field: e.field, message: e.message })
	);

describe('operatorData.save', () => {
	it('creates the row on the first save, patches it after, trims, and checks the VLAN', async () => {
		const { run, table } = memoryTx('technician');
		await run('operatorData.save', {
			customerId: 'c1',
			patch: { lineId: ' FTTH-0001 ', vlan: '' }
		});
		expect(table('operatorData').get('c1')).toMatchObject({
			id: 'c1',
			customerId: 'c1',
			lineId: 'FTTH-0001'
		});
		expect(table('operatorData').get('c1')).not.toHaveProperty('vlan');
		await run('operatorData.save', {
			customerId: 'c1',
			patch: { vlan: '832', ontSerial: 'HWTC1A2B3C4D' }
		});
		await run('operatorData.save', { customerId: 'c1', patch: { lineId: null } });
		expect(table('operatorData').get('c1')).toMatchObject({
			vlan: '832',
			ontSerial: 'HWTC1A2B3C4D'
		});
		expect(table('operatorData').get('c1')).not.toHaveProperty('lineId');
		expect(
			await failure(run('operatorData.save', { customerId: 'c1', patch: { vlan: '5000' } }))
		).toMatchObject({
			code: 'invalid-field',
			field: 'vlan',
			message: 'La VLAN debe estar entre 1 y 4094'
		});
		// QinQ and other notations are free text.
		await run('operatorData.save', { customerId: 'c1', patch: { vlan: 'S100 / C832' } });
		expect(
			await failure(run('operatorData.save', { customerId: 'c1', patch: { ssid: 'x' } }))
		).toMatchObject({ code: 'invalid-args' });
		// Nothing typed on a customer without a row writes nothing.
		table('customer').set('c2', { id: 'c2', code: 'C00002', name: 'B' });
		await run('operatorData.save', { customerId: 'c2', patch: { notes: '  ' } });
		expect(table('operatorData').has('c2')).toBe(false);
	});
});
