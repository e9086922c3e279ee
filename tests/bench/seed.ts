import { makeNif } from '@enlace/shared';
import type { Db } from '../../sync-server/src/db/client';
import { recordStatements, type RecordWrite } from '../../sync-server/src/sync/store';

const FIRST = [
	'María',
	'José',
	'Antonio',
	'Carmen',
	'Juan',
	'Ana',
	'Manuel',
	'Laura',
	'Francisco',
	'Lucía',
	'David',
	'Marta',
	'Javier',
	'Elena',
	'Pablo',
	'Sara',
	'Álvaro',
	'Paula',
	'Sergio',
	'Irene'
];
const LAST = [
	'García',
	'Fernández',
	'González',
	'Rodríguez',
	'López',
	'Martínez',
	'Sánchez',
	'Pérez',
	'Gómez',
	'Martín',
	'Jiménez',
	'Ruiz',
	'Hernández',
	'Díaz',
	'Moreno',
	'Muñoz',
	'Álvarez',
	'Romero',
	'Alonso',
	'Gutiérrez'
];
const TOWNS = [
	['Ávila', '05001', 'Ávila'],
	['Arévalo', '05200', 'Ávila'],
	['Segovia', '40001', 'Segovia'],
	['Cuéllar', '40200', 'Segovia'],
	['Salamanca', '37001', 'Salamanca'],
	['Béjar', '37700', 'Salamanca'],
	['Zamora', '49001', 'Zamora'],
	['Toro', '49800', 'Zamora'],
	['Soria', '42001', 'Soria'],
	['Medinaceli', '42240', 'Soria']
];

const pick = <T>(list: T[], i: number) => list[i % list.length];

/** 50,000-row scale data written straight into the change log (as pushes would have). */
export async function seedCustomers(db: Db, count: number): Promise<number> {
	const now = new Date().toISOString();
	let written = 0;
	for (let start = 0; start < count; start += 2000) {
		const writes: RecordWrite[] = [];
		for (let i = start; i < Math.min(count, start + 2000); i++) {
			const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
			const n = 10_000_000 + i * 7;
			const name = `${pick(FIRST, i)} ${pick(LAST, i * 3 + 1)} ${pick(LAST, i * 7 + 5)}`;
			const [town, postalCode, province] = pick(TOWNS, i * 11);
			writes.push({
				entity: 'customer',
				id,
				row: {
					id,
					code: `C${String(i + 1).padStart(5, '0')}`,
					isCompany: false,
					name,
					taxIdType: 'nif',
					taxId: makeNif(n),
					phone: `6${String(10_000_000 + i).padStart(8, '0')}`,
					email: `cliente${i}@example.es`,
					stateId: 'customerState-alta',
					createdAt: now,
					updatedAt: now
				}
			});
			writes.push({
				entity: 'address',
				id: `a${id.slice(1)}`,
				row: {
					id: `a${id.slice(1)}`,
					customerId: id,
					label: 'servicio',
					street: `Calle Mayor ${i % 200}`,
					postalCode,
					town,
					province,
					country: 'ES'
				}
			});
			writes.push({
				entity: 'contactPerson',
				id: `b${id.slice(1)}`,
				row: {
					id: `b${id.slice(1)}`,
					customerId: id,
					name: `${pick(FIRST, i + 3)} ${pick(LAST, i + 9)}`,
					mobile: `7${String(i).padStart(8, '0')}`
				}
			});
		}
		await db.exclusive(() => db.client.batch(recordStatements(writes, null, now), 'write'));
		written += writes.length;
	}
	return written;
}

const DAY = 86_400_000;

/** What an ISP's Historial is made of: most lines edit the customer file, some are office-only. */
const LINE_KINDS = [
	{ entity: 'customer', field: 'phone', scopeOf: 'customer', old: '610000000', new: '620000000' },
	{
		entity: 'address',
		field: 'street',
		scopeOf: 'address',
		old: 'Calle Mayor 3',
		new: 'Calle Real 7'
	},
	{
		entity: 'customer',
		field: 'stateId',
		scopeOf: 'customer',
		old: 'customerState-alta',
		new: 'customerState-corte'
	},
	{
		entity: 'pppoeAccount',
		field: 'tariffId',
		scopeOf: 'pppoeAccount',
		old: 'tariff-50',
		new: 'tariff-300'
	},
	{
		entity: 'paymentMethod',
		field: 'iban',
		scopeOf: 'paymentMethod',
		old: 'ES91 **** 1332',
		new: 'ES79 **** 3572'
	},
	{
		entity: 'contactPerson',
		field: 'mobile',
		scopeOf: 'contactPerson',
		old: '700000001',
		new: '700000002'
	}
] as const;

/**
 * `lines` Historial lines spread evenly over the `years` before now, oldest first (the order the
 * server wrote them), over the customers seedCustomers made: automatic lines of every kind, one
 * in ten a manual note. Written straight into the change log, 5,000 rows a batch.
 */
export async function seedHistory(
	db: Db,
	customers: number,
	lines: number,
	years = 3,
	now = Date.now()
): Promise<number> {
	const span = years * 365 * DAY;
	const BATCH = 5000;
	for (let start = 0; start < lines; start += BATCH) {
		const writes: RecordWrite[] = [];
		for (let i = start; i < Math.min(lines, start + BATCH); i++) {
			const c = (i * 7919) % customers;
			const customerId = `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`;
			const id = `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
			const at = new Date(now - span + Math.floor((i / lines) * span)).toISOString();
			const user = { userId: `user-${i % 12}`, userName: pick(FIRST, i) };
			if (i % 10 === 9) {
				writes.push({
					entity: 'history',
					id,
					row: {
						id,
						customerId,
						kind: 'manual',
						at,
						...user,
						date: at.slice(0, 10),
						actionTypeId: 'historyAction-llamada',
						comment: `Llama el cliente: ${pick(['sin servicio', 'cambio de tarifa', 'factura', 'router'], i)}; se le atiende.`
					}
				});
				continue;
			}
			const k = LINE_KINDS[i % LINE_KINDS.length];
			writes.push({
				entity: 'history',
				id,
				scopeOf: k.scopeOf,
				row: {
					id,
					customerId,
					kind: 'auto',
					at,
					...user,
					entity: k.entity,
					entityId: customerId,
					field: k.field,
					oldValue: k.old,
					newValue: k.new,
					mutation: `${k.entity}.update`
				}
			});
		}
		await db.exclusive(() =>
			db.client.batch(recordStatements(writes, null, new Date(now).toISOString()), 'write')
		);
	}
	return lines;
}
