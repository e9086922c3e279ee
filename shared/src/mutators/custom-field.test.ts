import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/user';
import { failure, memoryTx as baseMemoryTx } from './memory-tx';

function memoryTx(role: Role) {
	const m = baseMemoryTx(role);
	m.table('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
	return m;
}

const FIELDS = [
	{ id: 'cf-texto', name: 'Ubicación antena', type: 'text' },
	{ id: 'cf-num', name: 'Altura (m)', type: 'number' },
	{ id: 'cf-fecha', name: 'Revisión', type: 'date' },
	{ id: 'cf-sino', name: 'Tiene SAI', type: 'boolean' },
	{ id: 'cf-lista', name: 'Soporte', type: 'list', options: ['Tejado', 'Fachada'] },
	{ id: 'cf-oblig', name: 'Nº de contrato', type: 'text', required: true }
].map((f, order) => ({ required: false, active: true, order, ...f }));

async function withFields() {
	const admin = memoryTx('admin');
	for (const f of FIELDS) await admin.run('customField.create', f);
	return admin;
}

describe('custom fields', () => {
	it('lets only an admin define fields, with unique names', async () => {
		const tech = memoryTx('technician');
		expect(await failure(tech.run('customField.create', FIELDS[0]))).toMatchObject({
			code: 'forbidden'
		});
		const admin = await withFields();
		expect(admin.table('customField').size).toBe(FIELDS.length);
		expect(
			await failure(admin.run('customField.create', { ...FIELDS[0], id: 'cf-otro' }))
		).toMatchObject({ code: 'already-exists', field: 'name' });
	});

	it('saves each value with the JSON type of its field and refuses what does not fit', async () => {
		const { run, table } = await withFields();
		await run('customFieldValue.save', {
			customerId: 'c1',
			values: {
				'cf-texto': '  Tejado norte ',
				'cf-num': 7.5,
				'cf-fecha': '2026-03-01',
				'cf-sino': false,
				'cf-lista': 'Fachada',
				'cf-oblig': 'CT-1'
			}
		});
		const value = (f: string) => table('customFieldValue').get(`c1:${f}`)?.value;
		expect(['cf-texto', 'cf-num', 'cf-fecha', 'cf-sino', 'cf-lista'].map((f) => value(f))).toEqual([
			'Tejado norte',
			7.5,
			'2026-03-01',
			false,
			'Fachada'
		]);

		const cases: [string, unknown, string][] = [
			['cf-num', '7,5', 'Escriba un número'],
			['cf-fecha', '2026-02-30', 'Fecha no válida (AAAA-MM-DD)'],
			['cf-sino', 'no', 'Elija sí o no'],
			['cf-lista', 'Mástil', 'Elija una de las opciones de la lista'],
			['cf-texto', 3, 'Escriba un texto']
		];
		for (const [field, bad, message] of cases) {
			expect(
				await failure(run('customFieldValue.save', { customerId: 'c1', values: { [field]: bad } }))
			).toEqual({ code: 'invalid-field', field, message });
		}
		// All or nothing: one bad value and the good one beside it is not written either.
		await failure(
			run('customFieldValue.save', {
				customerId: 'c1',
				values: { 'cf-texto': 'Otro', 'cf-num': 'x' }
			})
		);
		expect(value('cf-num')).toBe(7.5);
	});

	it('clears a value with null, but never a required one; unknown fields are not found', async () => {
		const { run, table } = await withFields();
		await run('customFieldValue.save', {
			customerId: 'c1',
			values: { 'cf-num': 3, 'cf-oblig': 'CT-9' }
		});
		await run('customFieldValue.save', { customerId: 'c1', values: { 'cf-num': null } });
		expect(table('customFieldValue').has('c1:cf-num')).toBe(false);
		expect(
			await failure(run('customFieldValue.save', { customerId: 'c1', values: { 'cf-oblig': '' } }))
		).toMatchObject({ code: 'invalid-field', field: 'cf-oblig' });
		expect(
			await failure(run('customFieldValue.save', { customerId: 'c1', values: { 'cf-nada': 1 } }))
		).toMatchObject({ code: 'not-found', field: 'cf-nada' });
		expect(
			await failure(run('customFieldValue.save', { customerId: 'c9', values: { 'cf-num': 1 } }))
		).toMatchObject({ code: 'not-found', field: 'customerId' });
	});

	it('keeps the type while values exist, and deleting a field deletes its values', async () => {
		const { run, table } = await withFields();
		await run('customFieldValue.save', { customerId: 'c1', values: { 'cf-num': 3 } });
		expect(
			await failure(run('customField.update', { id: 'cf-num', patch: { type: 'text' } }))
		).toMatchObject({ code: 'invalid-field', field: 'type' });
		await run('customField.update', { id: 'cf-fecha', patch: { type: 'text' } });
		await run('customField.delete', { id: 'cf-num' });
		expect(table('customField').has('cf-num')).toBe(false);
		expect(table('customFieldValue').has('c1:cf-num')).toBe(false);
	});
});
