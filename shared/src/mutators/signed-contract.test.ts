import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/user';
import { failure, memoryTx } from './memory-tx';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const K1 = 'cccccccc-cccc-4ccc-8ccc-000000000001';
const OP1 = 'dddddddd-dddd-4ddd-8ddd-000000000001';
const OP2 = 'dddddddd-dddd-4ddd-8ddd-000000000002';
const F1 = 'ffffffff-ffff-4fff-8fff-000000000001';
const F2 = 'ffffffff-ffff-4fff-8fff-000000000002';
const SHA = 'a'.repeat(64);

function setup(role: Role = 'technician') {
	const m = memoryTx(role);
	m.table('customer').set(C1, { id: C1, code: 'C00001', name: 'Lucía' });
	m.table('customer').set(C2, { id: C2, code: 'C00002', name: 'Pedro' });
	m.table('contract').set(OP1, { id: OP1, customerId: C1, name: 'Fibra' });
	m.table('contract').set(OP2, { id: OP2, customerId: C2, name: 'Otra' });
	m.table('file').set(F1, { id: F1, customerId: C1, sha256: SHA });
	m.table('file').set(F2, { id: F2, customerId: C2, sha256: SHA });
	const args = {
		id: K1,
		customerId: C1,
		name: 'Contrato de alta',
		date: '2026-12-03',
		state: 'pendiente',
		contractId: OP1,
		body: 'Entre Enlace y Lucía.'
	};
	const signed = {
		state: 'firmado',
		fileId: F1,
		sha256: SHA,
		signedHow: 'pantalla',
		signerName: 'Lucía Pérez',
		signerTaxId: '12345678Z',
		signedAt: '2026-12-03T10:00:00.000Z'
	};
	return { ...m, args, signed, row: () => m.table('signedContract').get(K1) };
}

describe('contract templates', () => {
	it('the office saves one; an unknown placeholder is refused on the body', async () => {
		const { run, table } = setup('office');
		await run('contractTemplate.create', {
			id: 't1',
			name: 'Alta',
			body: 'Yo, {{cliente.nombre}}'
		});
		expect(table('contractTemplate').get('t1')).toMatchObject({ name: 'Alta' });
		expect(
			await failure(run('contractTemplate.update', { id: 't1', patch: { body: '{{cliente}}' } }))
		).toMatchObject({ field: 'body', message: 'Marcador desconocido: {{cliente}}' });
	});

	it('a technician may not write templates', async () => {
		const { run } = setup('technician');
		expect(
			await failure(run('contractTemplate.create', { id: 't1', name: 'Alta', body: 'x' }))
		).toMatchObject({ code: 'forbidden' });
	});
});

describe('signedContract mutators', () => {
	it('a technician makes one pending, then signs it with its PDF', async () => {
		const { run, args, signed, row } = setup();
		await run('signedContract.create', args);
		expect(row()).toMatchObject({ state: 'pendiente', contractId: OP1 });
		await run('signedContract.update', { id: K1, patch: signed });
		expect(row()).toMatchObject({ state: 'firmado', fileId: F1, sha256: SHA });
	});

	it('firmado needs the PDF and its hash; the hash must be the file row’s', async () => {
		const { run, args } = setup();
		expect(
			await failure(run('signedContract.create', { ...args, state: 'firmado' }))
		).toMatchObject({ field: 'state' });
		expect(
			await failure(
				run('signedContract.create', {
					...args,
					state: 'firmado',
					fileId: F1,
					sha256: 'b'.repeat(64)
				})
			)
		).toMatchObject({ field: 'sha256' });
	});

	it('refuses another customer’s operator contract or file', async () => {
		const { run, args, signed } = setup();
		expect(await failure(run('signedContract.create', { ...args, contractId: OP2 }))).toMatchObject(
			{
				field: 'contractId'
			}
		);
		expect(
			await failure(run('signedContract.create', { ...args, ...signed, fileId: F2 }))
		).toMatchObject({ field: 'fileId' });
	});

	it('a signed contract is fixed: no new PDF, no back to pendiente, no delete; it can be anulado', async () => {
		const { run, args, signed, row } = setup();
		await run('signedContract.create', { ...args, ...signed });
		expect(
			await failure(run('signedContract.update', { id: K1, patch: { signerName: 'Otro' } }))
		).toMatchObject({ field: 'signerName' });
		expect(
			await failure(run('signedContract.update', { id: K1, patch: { state: 'pendiente' } }))
		).toMatchObject({ field: 'state' });
		expect(await failure(run('signedContract.delete', { id: K1 }))).toMatchObject({
			code: 'in-use'
		});
		await run('signedContract.update', { id: K1, patch: { state: 'anulado' } });
		expect(row()).toMatchObject({ state: 'anulado', fileId: F1 });
		expect(
			await failure(run('signedContract.update', { id: K1, patch: { state: 'firmado' } }))
		).toMatchObject({ field: 'state' });
	});

	it('a pending one can be deleted', async () => {
		const { run, args, row } = setup();
		await run('signedContract.create', args);
		await run('signedContract.delete', { id: K1 });
		expect(row()).toBeUndefined();
	});
});

describe('Historial labels', () => {
	it('the signed PDF’s hash reads as such, and a file’s hash keeps its own label', async () => {
		const { fieldLabel } = await import('../schemas/entities');
		expect(fieldLabel('signedContract', 'sha256')).toBe('SHA-256 del PDF firmado');
		expect(fieldLabel('signedContract', 'state')).toBe('Estado');
		expect(fieldLabel('file', 'sha256')).not.toBe('SHA-256 del PDF firmado');
	});
});
