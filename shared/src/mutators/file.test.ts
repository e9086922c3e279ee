import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/user';
import { failure, memoryTx } from './memory-tx';

const C1 = '11111111-1111-4111-8111-111111111111';
const F1 = 'ffffffff-ffff-4fff-8fff-000000000001';
const SHA = 'a'.repeat(64);

function setup(role: Role = 'technician') {
	const m = memoryTx(role);
	m.table('customer').set(C1, { id: C1, code: 'C00001', name: 'Lucía' });
	const args = {
		id: F1,
		customerId: C1,
		name: 'Foto del router',
		tag: 'instalación',
		fileName: 'foto.jpg',
		mimeType: 'image/jpeg',
		size: 1234,
		sha256: SHA
	};
	return { ...m, args, file: () => m.table('file').get(F1) };
}

describe('file mutators', () => {
	it('records who uploaded it from the session; storedAt is never taken from a device', async () => {
		const { run, args, file } = setup();
		await run('file.create', { ...args, storedAt: '2026-11-27T10:00:00.000Z', uploadedBy: 'x' });
		expect(file()).toMatchObject({ uploadedBy: 'u1', uploadedByName: 'U', size: 1234 });
		expect(file()!.storedAt).toBeUndefined();
	});

	it('an update changes name and tag, never the bytes it describes', async () => {
		const { run, args, file, table } = setup();
		await run('file.create', args);
		table('file').set(F1, { ...file()!, storedAt: '2026-11-27T11:00:00.000Z' });
		await run('file.update', {
			id: F1,
			patch: { name: 'Router en el sótano', size: 1, sha256: 'b'.repeat(64), storedAt: undefined }
		});
		expect(file()).toMatchObject({
			name: 'Router en el sótano',
			size: 1234,
			sha256: SHA,
			storedAt: '2026-11-27T11:00:00.000Z'
		});
	});

	it('refuses a bad size or hash on the field', async () => {
		const { run, args } = setup();
		expect(await failure(run('file.create', { ...args, sha256: 'xyz' }))).toMatchObject({
			field: 'sha256'
		});
		expect(await failure(run('file.create', { ...args, size: -1 }))).toMatchObject({
			field: 'size'
		});
	});

	it('only the office marks a file Solo oficina', async () => {
		const tech = setup('technician');
		expect(
			await failure(tech.run('file.create', { ...tech.args, officeOnly: true }))
		).toMatchObject({
			code: 'forbidden'
		});
		const office = setup('office');
		await office.run('file.create', { ...office.args, officeOnly: true });
		expect(office.file()?.officeOnly).toBe(true);
	});

	it('deleting: the author or the office, not another technician', async () => {
		const { run, args, table, tx } = setup('technician');
		await run('file.create', args);
		table('file').set(F1, { ...table('file').get(F1)!, uploadedBy: 'someone-else' });
		expect(await failure(run('file.delete', { id: F1 }))).toMatchObject({ code: 'forbidden' });
		(tx.ctx as { role: Role }).role = 'office';
		await run('file.delete', { id: F1 });
		expect(table('file').has(F1)).toBe(false);
	});

	it('a photo of a device names an existing device of the same customer, for good', async () => {
		const C2 = '22222222-2222-4222-8222-222222222222';
		const E1 = 'eeeeeeee-eeee-4eee-8eee-000000000001';
		const E2 = 'eeeeeeee-eeee-4eee-8eee-000000000002';
		const { run, args, file, table } = setup();
		table('customer').set(C2, { id: C2, code: 'C00002', name: 'Otro' });
		table('equipment').set(E1, {
			id: E1,
			customerId: C1,
			productId: 'p',
			ownership: 'alquilado',
			state: 'instalado'
		});
		table('equipment').set(E2, {
			id: E2,
			customerId: C2,
			productId: 'p',
			ownership: 'alquilado',
			state: 'instalado'
		});
		// Another customer's device, or one that is gone: refused on the field.
		for (const equipmentId of [E2, 'eeeeeeee-eeee-4eee-8eee-00000000000f']) {
			expect(await failure(run('file.create', { ...args, equipmentId }))).toMatchObject({
				code: 'invalid-field',
				field: 'equipmentId'
			});
		}
		expect(file()).toBeUndefined();
		await run('file.create', { ...args, equipmentId: E1, tag: 'Equipo' });
		expect(file()).toMatchObject({ equipmentId: E1, tag: 'Equipo' });
		// An update cannot move the photo to another device, nor unlink it.
		table('equipment').set('eeeeeeee-eeee-4eee-8eee-000000000003', {
			id: 'eeeeeeee-eeee-4eee-8eee-000000000003',
			customerId: C1,
			productId: 'p',
			ownership: 'vendido',
			state: 'instalado'
		});
		await run('file.update', {
			id: F1,
			patch: { name: 'ONT', equipmentId: 'eeeeeeee-eeee-4eee-8eee-000000000003' }
		});
		expect(file()).toMatchObject({ name: 'ONT', equipmentId: E1 });
		await run('file.update', { id: F1, patch: { equipmentId: undefined } });
		expect(file()!.equipmentId).toBe(E1);
		// A file with no device is as before.
		expect(table('file').size).toBe(1);
	});
});
