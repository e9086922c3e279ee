import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/user';
import { walletBalance } from '../schemas/wallet';
import { MUTATORS } from './index';
import { failure, memoryTx as baseMemoryTx } from './memory-tx';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
let n = 0;
const entryId = () => `aaaaaaaa-aaaa-4aaa-8aaa-${String(++n).padStart(12, '0')}`;

function memoryTx(role: Role = 'office') {
	const m = baseMemoryTx(role);
	m.table('customer').set(C1, { id: C1, code: 'C00001', name: 'Lucía' });
	m.table('customer').set(C2, { id: C2, code: 'C00002', name: 'Pablo' });
	const add = (amountCents: number, customerId = C1, id = entryId()) =>
		m.run('walletEntry.create', {
			id,
			customerId,
			concept: amountCents > 0 ? 'Ingreso en efectivo' : 'Pago factura F26-1',
			date: '2026-11-27',
			amountCents
		});
	const balance = (customerId = C1) =>
		walletBalance(
			[...m.table('walletEntry').values()].filter((e) => e.customerId === customerId) as never
		);
	return { ...m, add, balance };
}

describe('walletEntry.create', () => {
	it('records deposits and spends, with who recorded them from the session', async () => {
		const { add, balance, table } = memoryTx();
		const id = entryId();
		await add(2500, C1, id);
		await add(-1000);
		expect(balance()).toBe(1500);
		expect(table('walletEntry').get(id)).toMatchObject({
			customerId: C1,
			concept: 'Ingreso en efectivo',
			amountCents: 2500,
			userName: 'U'
		});
	});

	it('never lets the balance go below zero, and says why', async () => {
		const { add, balance } = memoryTx();
		await add(2500);
		expect(await failure(add(-2501))).toEqual({
			code: 'insufficient-balance',
			field: 'amountCents',
			message:
				'Saldo insuficiente en el monedero: hay 25,00\u00a0€ y el movimiento resta 25,01\u00a0€. El saldo no puede quedar por debajo de 0,00\u00a0€'
		});
		await add(-2500);
		expect(balance()).toBe(0);
		expect((await failure(add(-1)))?.code).toBe('insufficient-balance');
		// Another customer's money does not count.
		await add(10_000, C2);
		expect((await failure(add(-1, C1)))?.code).toBe('insufficient-balance');
	});

	it('a replayed create does not count its own amount twice', async () => {
		const { add, balance } = memoryTx();
		await add(1000);
		const id = entryId();
		await add(-1000, C1, id);
		await add(-1000, C1, id);
		expect(balance()).toBe(0);
	});

	it('refuses zero, fractions of a cent, no concept, a bad date and an unknown customer', async () => {
		const { run, add } = memoryTx();
		expect(await failure(add(0))).toMatchObject({
			field: 'amountCents',
			message: 'El importe no puede ser 0,00 €'
		});
		expect(await failure(add(10.5))).toMatchObject({ field: 'amountCents' });
		const row = { id: entryId(), customerId: C1, concept: ' ', date: '2026-11-27', amountCents: 5 };
		expect(await failure(run('walletEntry.create', row))).toMatchObject({
			field: 'concept',
			message: 'Indique el concepto'
		});
		expect(
			await failure(run('walletEntry.create', { ...row, concept: 'x', date: '2026-02-30' }))
		).toMatchObject({ field: 'date' });
		expect(
			await failure(
				run('walletEntry.create', {
					...row,
					concept: 'x',
					customerId: '33333333-3333-4333-8333-333333333333'
				})
			)
		).toMatchObject({ code: 'not-found', field: 'customerId' });
	});

	it('is a ledger: no update or delete, and only office and admin record movements', async () => {
		expect(MUTATORS.has('walletEntry.update')).toBe(false);
		expect(MUTATORS.has('walletEntry.delete')).toBe(false);
		expect(MUTATORS.get('walletEntry.create')!.roles).toEqual(['admin', 'office']);
		expect((await failure(memoryTx('technician').add(1000)))?.code).toBe('forbidden');
		await memoryTx('admin').add(1000);
	});
});
