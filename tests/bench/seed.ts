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

/**
 * What each customer comes with besides its address: a contact person (the sync bench), or a
 * Historial line, and for one customer in `routerEvery` a PPPoE account and Datos operadora
 * with an ONT serial (the app bench: the quick search's extra fields).
 */
export type SeedShape = { contacts: boolean; history: boolean; routerEvery: number };
const SYNC_SHAPE: SeedShape = { contacts: true, history: false, routerEvery: 0 };

/** The PPPoE user, static IP and ONT serial the seed gives customer `i` (when it gives them). */
export const seededRouterFields = (i: number) => ({
	username: `cli${String(i).padStart(6, '0')}.fibra`,
	staticIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
	ontSerial: `HWTC${(0x10000000 + i * 2654435761).toString(16).slice(-8).toUpperCase()}`
});

/** 50,000-row scale data written straight into the change log (as pushes would have). */
export async function seedCustomers(
	db: Db,
	count: number,
	shape: SeedShape = SYNC_SHAPE
): Promise<number> {
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
			if (shape.contacts)
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
			if (shape.history)
				writes.push({
					entity: 'history',
					id: `d${id.slice(1)}`,
					row: {
						id: `d${id.slice(1)}`,
						customerId: id,
						kind: 'auto',
						at: now,
						userId: 'seed',
						userName: 'Alta masiva',
						entity: 'customer',
						entityId: id,
						field: 'name',
						oldValue: null,
						newValue: name,
						mutation: 'customer.create'
					}
				});
			if (shape.routerEvery && i % shape.routerEvery === 0) {
				const f = seededRouterFields(i);
				writes.push({
					entity: 'pppoeAccount',
					id: `e${id.slice(1)}`,
					row: {
						id: `e${id.slice(1)}`,
						customerId: id,
						routerId: '00000000-0000-4000-8000-0000000000aa',
						username: f.username,
						password: 'clave-secreta',
						profile: 'default',
						staticIp: f.staticIp,
						offline: false
					}
				});
				writes.push({
					entity: 'operatorData',
					id,
					row: { id, customerId: id, ontSerial: f.ontSerial, lineId: `FTTH-${i}` }
				});
			}
		}
		await db.exclusive(() => db.client.batch(recordStatements(writes, null, now), 'write'));
		written += writes.length;
	}
	return written;
}
