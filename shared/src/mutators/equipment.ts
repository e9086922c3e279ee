import { z } from 'zod';
import { AppError } from '../protocol/errors';
import { Id, IsoDate } from '../schemas/common';
import { customValueIssue, fieldTarget, type CustomValue } from '../schemas/custom-field';
import { Equipment, EquipmentObject, EquipmentProduct, checkEquipment } from '../schemas/equipment';
import { crudMutators } from './crud';
import { alreadyExists, notFound } from './guards';
import {
	ALL_ROLES,
	OFFICE_ROLES,
	defineMutator,
	parseOrThrow,
	type Mutator,
	type MutatorTx
} from './types';

/**
 * Equipamiento (docs/equipment.md): the device catalogue (office) and the devices installed at a
 * customer (everyone: technicians install them, offline too).
 */

/** A row without the keys a transform left undefined, so device and server store the same JSON. */
function compact<T extends object>(row: T): T {
	return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as T;
}

const CODE_FIELDS = ['code', 'barcode'] as const;
const CODE_NAMES = { code: 'el código', barcode: 'el código de barras' } as const;

/**
 * A scanned barcode must name one product: no value is the code or the barcode of two products.
 * The four reads are guarded `findBy`s, so two offices adding the same code through two server
 * instances at once cannot both succeed (tests/integration/races.test.ts).
 */
async function checkProduct(tx: MutatorTx, row: EquipmentProduct, existing?: EquipmentProduct) {
	for (const field of CODE_FIELDS) {
		const value = row[field];
		if (!value) continue;
		for (const other of CODE_FIELDS) {
			const taken = (await tx.findBy('equipmentProduct', other, value)).find(
				(p) => p.id !== row.id
			);
			if (taken) {
				throw alreadyExists(`${value} ya es ${CODE_NAMES[other]} de «${taken.name}»`, field);
			}
		}
	}
	if (row.familyId && row.familyId !== existing?.familyId) {
		const family = await tx.get('setting', row.familyId);
		if (!family || family.list !== 'equipmentFamily' || !family.active) {
			throw new AppError('invalid-field', 'Esa familia no existe', 'familyId');
		}
	}
}

const productMutators = crudMutators({
	entity: 'equipmentProduct',
	noun: 'El equipo del catálogo',
	object: EquipmentProduct,
	roles: OFFICE_ROLES,
	check: checkProduct,
	derive: async (_tx, row) => compact(row),
	async deletable(tx, product) {
		const used = await tx.findBy('equipment', 'productId', product.id);
		if (used.length) {
			throw new AppError(
				'in-use',
				`Hay ${used.length} equipo(s) de clientes de este modelo: márquelo como inactivo en lugar de eliminarlo`,
				undefined,
				409
			);
		}
	}
});

/**
 * The custom values of a device, checked against the fields for equipment: a value changed or
 * added must fit its field; one already stored passes as it is (its field may have changed type
 * since), and is dropped once its field is deleted; a required active field must have a value on
 * a new device, and cannot be emptied on one that has it.
 */
async function checkCustom(
	tx: MutatorTx,
	row: Equipment,
	existing?: Equipment
): Promise<Record<string, CustomValue> | undefined> {
	const before = existing?.custom ?? {};
	const out: Record<string, CustomValue> = {};
	for (const [id, raw] of Object.entries(row.custom ?? {})) {
		const value = typeof raw === 'string' ? raw.trim() : raw;
		if (value === '') continue;
		const field = await tx.get('customField', id);
		const kept = before[id] === value;
		if (!field || fieldTarget(field) !== 'equipment') {
			if (kept) continue;
			throw notFound('El campo personalizado', `custom.${id}`);
		}
		if (!kept) {
			const issue = customValueIssue(field, value, before[id]);
			if (issue) throw new AppError('invalid-field', issue, `custom.${id}`);
		}
		out[id] = value;
	}
	for (const field of await tx.findBy('customField', 'target', 'equipment')) {
		if (!field.active || !field.required || field.id in out) continue;
		if (!existing || field.id in before) {
			throw new AppError('invalid-field', `«${field.name}» es obligatorio`, `custom.${field.id}`);
		}
	}
	return Object.keys(out).length ? out : undefined;
}

async function checkEquipmentRow(tx: MutatorTx, row: Equipment, existing?: Equipment) {
	if (row.productId !== existing?.productId) {
		const product = await tx.get('equipmentProduct', row.productId);
		if (!product || !product.active) {
			throw new AppError('invalid-field', 'Ese equipo no está en el catálogo', 'productId');
		}
	}
	if (row.addressId && row.addressId !== existing?.addressId) {
		const address = await tx.get('address', row.addressId);
		if (!address || address.customerId !== row.customerId) {
			throw new AppError('invalid-field', 'Elija una dirección de este cliente', 'addressId');
		}
	}
	if (row.technicianId && row.technicianId !== existing?.technicianId) {
		if (!(await tx.get('user', row.technicianId))) {
			throw new AppError('invalid-field', 'Ese usuario no existe', 'technicianId');
		}
	}
	if (row.state === 'retirado' && !row.retiredOn) {
		throw new AppError('invalid-field', 'Indique la fecha de retirada', 'retiredOn');
	}
}

const deviceMutators = crudMutators({
	entity: 'equipment',
	noun: 'El equipo',
	object: EquipmentObject,
	refine: checkEquipment,
	roles: ALL_ROLES,
	parent: 'customer',
	check: checkEquipmentRow,
	async derive(tx, row, existing) {
		const custom = await checkCustom(tx, row, existing);
		// Back in place (reinstalled, or marked faulty where it is): no longer retired.
		const retiredOn = row.state === 'retirado' ? row.retiredOn : undefined;
		return compact({ ...row, custom, retiredOn });
	}
});

/**
 * "Retirar": the device was taken back on `date` (state retirado). Historial shows the state and
 * the date it changed. Retiring a retired device changes nothing.
 */
const retire = defineMutator({
	name: 'equipment.retire',
	args: z.object({ id: Id, date: IsoDate }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id, date }) {
		const row = await tx.get('equipment', id);
		if (!row) throw notFound('El equipo');
		if (row.state === 'retirado') return;
		if (row.installedOn && date < row.installedOn) {
			throw new AppError(
				'invalid-field',
				'La retirada no puede ser anterior a la instalación',
				'date'
			);
		}
		const next = { ...row, state: 'retirado' as const, retiredOn: date, updatedAt: tx.ctx.now };
		await tx.put('equipment', parseOrThrow(Equipment, next));
	}
});

export const equipmentMutators: Mutator[] = [
	...productMutators,
	...deviceMutators,
	retire
] as Mutator[];
