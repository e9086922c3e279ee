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
