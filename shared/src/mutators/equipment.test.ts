import { describe, expect, it } from 'vitest';
import { normalizeMac } from '../schemas/equipment';
import { statePlan } from './customer-state';
import { MUTATORS } from './index';
import { failure, memoryTx } from './memory-tx';

const product = (over: Record<string, unknown> = {}) => ({
	id: 'p-ont',
	code: 'ONT-HG8245',
	barcode: '8412345678905',
	name: 'ONT Huawei HG8245',
	reference: 'HG8245Q2',
	vatRate: 21,
	priceCents: 4500,
	active: true,
	...over
});

const device = (over: Record<string, unknown> = {}) => ({
	id: 'e1',
	customerId: 'c1',
	productId: 'p-ont',
	serial: ' 48575443ABCD1234 ',
	mac: 'aa-bb-cc-dd-ee-0f',
	ownership: 'alquilado',
	state: 'instalado',
	installedOn: '2026-11-20',
	...over
});

async function setup() {
	const m = memoryTx('admin');
	m.table('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
	m.table('customer').set('c2', { id: 'c2', code: 'C00002', name: 'Pedro' });
	m.table('address').set('a1', {
		id: 'a1',
		customerId: 'c1',
		label: 'servicio',
		street: 'Mayor 1'
	});
	m.table('address').set('a2', { id: 'a2', customerId: 'c2', label: 'servicio', street: 'Real 2' });
	m.table('user').set('u-tec', {
		id: 'u-tec',
		email: 't@x.es',
		name: 'Técnico',
		role: 'technician'
	});
	m.table('setting').set('equipmentFamily-ont', {
		id: 'equipmentFamily-ont',
		list: 'equipmentFamily',
		name: 'ONT',
		order: 0,
		active: true
	});
	await m.run('equipmentProduct.create', product({ familyId: 'equipmentFamily-ont' }));
	return m;
}

describe('MAC addresses', () => {
	it('are stored as six upper-case pairs whatever way they were written', () => {
		for (const typed of [
			'aa:bb:cc:dd:ee:0f',
			'AA-BB-CC-DD-EE-0F',
			'aabb.ccdd.ee0f',
			' AABBCCDDEE0F '
		])
			expect(normalizeMac(typed)).toBe('AA:BB:CC:DD:EE:0F');
		for (const bad of ['AA:BB:CC:DD:EE', 'GG:BB:CC:DD:EE:FF', 'AABBCCDDEE0F1', ''])
			expect(normalizeMac(bad)).toBeUndefined();
	});
});

describe('the device catalogue', () => {
	it('is kept by the office, not by technicians', () => {
		expect(MUTATORS.get('equipmentProduct.create')!.roles).toEqual(['admin', 'office']);
		expect(MUTATORS.get('equipment.create')!.roles).toContain('technician');
		expect(MUTATORS.get('equipment.retire')!.roles).toContain('technician');
	});

	it('refuses a code or barcode another product has, as either of them', async () => {
		const { run, table } = await setup();
		expect(table('equipmentProduct').get('p-ont')).toMatchObject({ code: 'ONT-HG8245' });
		const other = (over: Record<string, unknown>) =>
			failure(run('equipmentProduct.create', product({ id: 'p2', name: 'Otro', ...over })));
		expect(await other({ barcode: undefined })).toMatchObject({
			code: 'already-exists',
			field: 'code',
			message: 'ONT-HG8245 ya es el código de «ONT Huawei HG8245»'
		});
		expect(await other({ code: 'X1' })).toMatchObject({ code: 'already-exists', field: 'barcode' });
		// A code equal to another product's barcode would make a scan ambiguous.
		expect(await other({ code: '8412345678905', barcode: undefined })).toMatchObject({
			field: 'code',
			message: '8412345678905 ya es el código de barras de «ONT Huawei HG8245»'
		});
		expect(await other({ code: 'X1', barcode: 'ONT-HG8245' })).toMatchObject({ field: 'barcode' });
		await run('equipmentProduct.create', product({ id: 'p2', code: 'X1', barcode: '', name: 'B' }));
		expect(table('equipmentProduct').get('p2')).not.toHaveProperty('barcode');
		// Saving a product again with its own codes is fine.
		await run('equipmentProduct.update', { id: 'p-ont', patch: { priceCents: 5000 } });
	});

	it('checks the code, the family and refuses deleting a model in use', async () => {
		const { run } = await setup();
		expect(
			await failure(run('equipmentProduct.create', product({ id: 'p3', code: 'CON ESPACIO' })))
		).toMatchObject({ field: 'code' });
		expect(
			await failure(
				run(
					'equipmentProduct.create',
					product({ id: 'p3', code: 'P3', barcode: 'B3', familyId: 'x' })
				)
			)
		).toMatchObject({ field: 'familyId', message: 'Esa familia no existe' });
		await run('equipment.create', device());
		expect(await failure(run('equipmentProduct.delete', { id: 'p-ont' }))).toMatchObject({
			code: 'in-use'
		});
	});
});

describe('a customer’s equipment', () => {
	it('is stored with a normalised MAC and a trimmed serial', async () => {
		const { run, table } = await setup();
		await run(
			'equipment.create',
			device({ addressId: 'a1', technicianId: 'u-tec', lat: 40.4, lng: -3.7 })
		);
		expect(table('equipment').get('e1')).toMatchObject({
			serial: '48575443ABCD1234',
			mac: 'AA:BB:CC:DD:EE:0F',
			addressId: 'a1',
			createdAt: expect.any(String)
		});
	});

	it('refuses a bad MAC, another customer’s address, an unknown product or user, half a GPS point', async () => {
		const { run } = await setup();
		const refused = (over: Record<string, unknown>) =>
			failure(run('equipment.create', device(over)));
		expect(await refused({ mac: 'AA:BB:CC' })).toMatchObject({ code: 'invalid-mac', field: 'mac' });
		expect(await refused({ addressId: 'a2' })).toMatchObject({ field: 'addressId' });
		expect(await refused({ productId: 'nada' })).toMatchObject({ field: 'productId' });
		expect(await refused({ technicianId: 'nadie' })).toMatchObject({ field: 'technicianId' });
		expect(await refused({ lat: 40 })).toMatchObject({ field: 'lat' });
		expect(await refused({ customerId: 'c9' })).toMatchObject({ field: 'customerId' });
		expect(await refused({ state: 'retirado' })).toMatchObject({ field: 'retiredOn' });
	});

	it('keeps custom values for equipment typed by their fields', async () => {
		const { run, table } = await setup();
		const field = (id: string, over: Record<string, unknown>) =>
			run('customField.create', {
				id,
				name: id,
				type: 'text',
				required: false,
				active: true,
				order: 0,
				target: 'equipment',
				...over
			});
		await field('ssid', { required: true });
		await field('potencia', { type: 'number' });
		await run('customField.create', {
			id: 'cliente',
			name: 'De cliente',
			type: 'text',
			required: false,
			active: true,
			order: 1
		});
		expect(await failure(run('equipment.create', device()))).toMatchObject({
			field: 'custom.ssid',
			message: '«ssid» es obligatorio'
		});
		expect(
			await failure(run('equipment.create', device({ custom: { ssid: 'X', potencia: 'mucha' } })))
		).toMatchObject({ field: 'custom.potencia', message: 'Escriba un número' });
		expect(
			await failure(run('equipment.create', device({ custom: { ssid: 'X', cliente: 'v' } })))
		).toMatchObject({ code: 'not-found', field: 'custom.cliente' });
		await run('equipment.create', device({ custom: { ssid: ' WIFI-LUCIA ', potencia: -21.5 } }));
		expect(table('equipment').get('e1')!.custom).toEqual({ ssid: 'WIFI-LUCIA', potencia: -21.5 });
		// A customer's Otros tab does not take an equipment field, nor does a field change target.
		expect(
			await failure(run('customFieldValue.save', { customerId: 'c1', values: { ssid: 'x' } }))
		).toMatchObject({ field: 'ssid' });
		expect(
			await failure(run('customField.update', { id: 'ssid', patch: { target: null } }))
		).toMatchObject({ field: 'target' });
		expect(
			await failure(run('customField.update', { id: 'ssid', patch: { officeOnly: true } }))
		).toMatchObject({ field: 'officeOnly' });
		// A deleted field's stored value goes with the next save; a kept value is not re-checked.
		await run('customField.delete', { id: 'potencia' });
		await run('customField.update', { id: 'ssid', patch: { required: false } });
		await run('equipment.update', { id: 'e1', patch: { locationNotes: 'Salón' } });
		expect(table('equipment').get('e1')!.custom).toEqual({ ssid: 'WIFI-LUCIA' });
	});

	it('is retired with a date, once, and back in place clears it', async () => {
		const { run, table } = await setup();
		await run('equipment.create', device());
		expect(await failure(run('equipment.retire', { id: 'e1', date: '2026-11-01' }))).toMatchObject({
			field: 'date'
		});
		await run('equipment.retire', { id: 'e1', date: '2026-11-27' });
		expect(table('equipment').get('e1')).toMatchObject({
			state: 'retirado',
			retiredOn: '2026-11-27'
		});
		await run('equipment.retire', { id: 'e1', date: '2026-11-28' });
		expect(table('equipment').get('e1')!.retiredOn).toBe('2026-11-27');
		await run('equipment.update', { id: 'e1', patch: { state: 'instalado' } });
		expect(table('equipment').get('e1')).not.toHaveProperty('retiredOn');
	});
});

describe('a baja lists the equipment to recover', () => {
	const input = {
		customer: { stateId: 'alta' },
		target: { id: 'baja', service: 'baja' as const, removeSecretAfterDays: 0 },
		current: { id: 'alta', service: 'activo' as const },
		accounts: [],
		routersWithOfflinePool: new Set<string>(),
		date: '2026-11-27',
		equipment: [
			{ id: 'e1', name: 'ONT · SN1', ownership: 'alquilado', state: 'instalado' },
			{ id: 'e2', name: 'Router · SN2', ownership: 'cedido', state: 'instalado' },
			{ id: 'e3', name: 'Vendido', ownership: 'vendido', state: 'instalado' },
			{ id: 'e4', name: 'Ya retirado', ownership: 'alquilado', state: 'retirado' },
			{ id: 'e5', name: 'Averiado', ownership: 'alquilado', state: 'averiado' }
		] as const
	};

	it('rented and lent devices still installed, and nothing on other states', () => {
		const steps = statePlan(input);
		expect(steps.filter((s) => s.kind === 'recoverEquipment')).toEqual([
			{ kind: 'recoverEquipment', equipmentId: 'e1', name: 'ONT · SN1' },
			{ kind: 'recoverEquipment', equipmentId: 'e2', name: 'Router · SN2' }
		]);
		const cut = statePlan({ ...input, target: { id: 'cortado', service: 'cortado' } });
		expect(cut.some((s) => s.kind === 'recoverEquipment')).toBe(false);
	});
});
