import { describe, expect, it } from 'vitest';
import { failure, memoryTx } from './memory-tx';

/** Two customers; c1 already has an address and a contact. */
function twoCustomers() {
	const m = memoryTx('office');
	for (const id of ['c1', 'c2']) m.table('customer').set(id, { id, code: id, name: id });
	m.table('address').set('a1', {
		id: 'a1',
		customerId: 'c1',
		label: 'servicio',
		street: 'Mayor 1'
	});
	m.table('contactPerson').set('p1', { id: 'p1', customerId: 'c1', name: 'Lucía' });
	return m;
}

describe('a *.create with an existing id', () => {
	it('never hands the row to another customer', async () => {
		const { run, table } = twoCustomers();
		const cases = [
			['address.create', 'address', { id: 'a1', label: 'servicio', street: 'Otra 2' }],
			['contactPerson.create', 'contactPerson', { id: 'p1', name: 'Otra' }]
		] as const;
		for (const [name, entity, args] of cases) {
			const before = structuredClone(table(entity).get(args.id));
			expect(await failure(run(name, { ...args, customerId: 'c2' }))).toMatchObject({
				code: 'already-exists',
				field: 'id'
			});
			expect(table(entity).get(args.id)).toEqual(before);
		}
	});

	it('is applied as an update of its fields when it is the same customer (a replay)', async () => {
		const { run, table } = twoCustomers();
		await run('address.create', {
			id: 'a1',
			customerId: 'c1',
			label: 'servicio',
			street: 'Otra 2'
		});
		expect(table('address').get('a1')).toMatchObject({ customerId: 'c1', street: 'Otra 2' });
	});
});
