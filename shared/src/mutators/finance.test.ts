import { describe, expect, it } from 'vitest';
import type { AppError } from '../protocol/errors';
import { DEFAULT_SETTINGS } from '../schemas/setting';
import type { Role } from '../schemas/user';
import { memoryTx as baseMemoryTx } from './memory-tx';

/** The storage a mutator sees, in memory: what the server and Dexie do, minus persistence. */
function memoryTx(role: Role = 'office') {
	const m = baseMemoryTx(role);
	for (const s of DEFAULT_SETTINGS) m.table('setting').set(s.id, s);
	return m;
}

const SEPA = {
	typeId: 'paymentMethodType-sepa',
	iban: 'ES91 2100 0418 4502 0005 1332',
	accountHolder: 'Lucía Fernández',
	mandateReference: 'ENL-0001',
	mandateSignedAt: '2026-01-15',
	mandateScheme: 'CORE',
	mandateType: 'recurrent'
};

async function setup() {
	const m = memoryTx();
	m.table('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
	m.table('customer').set('c2', { id: 'c2', code: 'C00002', name: 'Talleres Ávila' });
	return m;
}

const rejection = (p: Promise<unknown>) =>
	p.then(
		() => undefined,
		(e: AppError) => ({ code: e.code, field: e.field })
	);

describe('paymentMethod mutators', () => {
	it('stores IBAN and BIC normalized and names the method after its type', async () => {
		const { run, table } = await setup();
		await run('paymentMethod.create', { id: 'p1', customerId: 'c1', ...SEPA, bic: 'caix es bb' });
		expect(table('paymentMethod').get('p1')).toMatchObject({
			iban: 'ES9121000418450200051332',
			bic: 'CAIXESBB',
			name: 'Recibo domiciliado SEPA',
			isDefault: true
		});
	});

	it('keeps exactly one default: setting one un-defaults the others and moves "Varios"', async () => {
		const { run, table } = await setup();
		await run('paymentMethod.create', { id: 'p1', customerId: 'c1', ...SEPA });
		await run('paymentMethod.updateTerms', {
			customerId: 'c1',
			patch: { discountPercent: 10, creditLimit: 50_000, paymentDays: [5, 20] }
		});
		await run('paymentMethod.create', {
			id: 'p2',
			customerId: 'c1',
			typeId: 'paymentMethodType-efectivo'
		});
		const defaults = () =>
			[...table('paymentMethod').values()].filter((r) => r.isDefault).map((r) => r.id);
		expect(defaults()).toEqual(['p1']);

		await run('paymentMethod.update', { id: 'p2', patch: { isDefault: true } });
		expect(defaults()).toEqual(['p2']);
		expect(table('paymentMethod').get('p2')).toMatchObject({
			discountPercent: 10,
			creditLimit: 50_000,
			paymentDays: [5, 20]
		});
		expect(table('paymentMethod').get('p1')).not.toHaveProperty('discountPercent');

		// A new method created as default takes over too.
		await run('paymentMethod.create', {
			id: 'p3',
			customerId: 'c1',
			typeId: 'paymentMethodType-tarjeta',
			isDefault: true
		});
		expect(defaults()).toEqual(['p3']);
		expect(table('paymentMethod').get('p3')).toMatchObject({ discountPercent: 10 });

		// The default cannot simply be switched off…
		expect(
			await rejection(run('paymentMethod.update', { id: 'p3', patch: { isDefault: false } }))
		).toEqual({ code: 'invalid-field', field: 'isDefault' });
		// …and deleting it hands default and terms to the oldest remaining method.
		await run('paymentMethod.delete', { id: 'p3' });
		expect(defaults()).toEqual(['p1']);
		expect(table('paymentMethod').get('p1')).toMatchObject({ creditLimit: 50_000 });
		// Other customers are untouched by all this.
		await run('paymentMethod.create', {
			id: 'q1',
			customerId: 'c2',
			typeId: 'paymentMethodType-efectivo'
		});
		expect(table('paymentMethod').get('q1')?.isDefault).toBe(true);
		expect(table('paymentMethod').get('p1')?.isDefault).toBe(true);
	});

	it('refuses a mandate reference another customer already has, naming who', async () => {
		const { run } = await setup();
		await run('paymentMethod.create', { id: 'p1', customerId: 'c1', ...SEPA });
		const dup = run('paymentMethod.create', {
			id: 'q1',
			customerId: 'c2',
			...SEPA,
			mandateReference: ' ENL-0001 '
		});
		await expect(dup).rejects.toMatchObject({
			code: 'already-exists',
			field: 'mandateReference',
			message: expect.stringContaining('ya la tiene C00001 · Lucía')
		});
		// Re-saving its own reference is fine.
		await run('paymentMethod.update', { id: 'p1', patch: { accountHolder: 'Lucía F.' } });
	});

	it('requires the bank fields for a bank type, checks them in Spanish, and not for cash', async () => {
		const { run, table } = await setup();
		expect(
			await rejection(
				run('paymentMethod.create', { id: 'p1', customerId: 'c1', ...SEPA, iban: undefined })
			)
		).toEqual({ code: 'invalid-field', field: 'iban' });
		await expect(
			run('paymentMethod.create', {
				id: 'p1',
				customerId: 'c1',
				...SEPA,
				iban: 'ES9221000418450200051332'
			})
		).rejects.toMatchObject({
			code: 'invalid-iban',
			field: 'iban',
			message: 'Los dígitos de control del IBAN no son correctos'
		});
		expect(table('paymentMethod').size).toBe(0);
		await run('paymentMethod.create', {
			id: 'p2',
			customerId: 'c1',
			typeId: 'paymentMethodType-transferencia'
		});
		expect(
			await rejection(
				run('paymentMethod.create', { id: 'p3', customerId: 'c1', typeId: 'customerState-alta' })
			)
		).toEqual({ code: 'invalid-field', field: 'typeId' });
		expect(
			await rejection(
				run('paymentMethod.create', { id: 'p3', customerId: 'nobody', typeId: SEPA.typeId })
			)
		).toEqual({ code: 'not-found', field: 'customerId' });
	});

	it('has nowhere to put "Varios" before a method exists, and validates them', async () => {
		const { run } = await setup();
		expect(
			await rejection(
				run('paymentMethod.updateTerms', { customerId: 'c1', patch: { vatExempt: true } })
			)
		).toEqual({ code: 'not-found', field: undefined });
		await run('paymentMethod.create', { id: 'p1', customerId: 'c1', ...SEPA });
		expect(
			await rejection(
				run('paymentMethod.updateTerms', {
					customerId: 'c1',
					patch: { vatExempt: true, equivalenceSurcharge: true }
				})
			)
		).toEqual({ code: 'invalid-field', field: 'equivalenceSurcharge' });
	});

	it('is for the office: a technician is refused every payment-method mutation', async () => {
		const tech = memoryTx('technician');
		tech.table('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
		const attempts: [string, unknown][] = [
			['paymentMethod.create', { id: 'p1', customerId: 'c1', ...SEPA }],
			['paymentMethod.update', { id: 'p1', patch: { notes: 'x' } }],
			['paymentMethod.delete', { id: 'p1' }],
			['paymentMethod.updateTerms', { customerId: 'c1', patch: { vatExempt: true } }]
		];
		for (const [name, args] of attempts)
			expect(await rejection(tech.run(name, args))).toEqual({
				code: 'forbidden',
				field: undefined
			});
		expect(tech.table('paymentMethod').size).toBe(0);
	});
});
