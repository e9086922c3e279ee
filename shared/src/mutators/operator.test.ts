import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/user';
import { failure, memoryTx as baseMemoryTx } from './memory-tx';

function memoryTx(role: Role) {
	const m = baseMemoryTx(role);
	m.table('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
	return m;
}

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
