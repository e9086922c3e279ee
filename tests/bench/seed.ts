import { ENTITIES, makeNif, type EntityName } from '@enlace/shared';
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

const DAY = 86_400_000;

/** What an ISP's Historial is made of: most lines edit the customer file, some are office-only. */
const LINE_KINDS: { entity: EntityName; field: string; old: string; new: string }[] = [
	{ entity: 'customer', field: 'phone', old: '610000000', new: '620000000' },
	{ entity: 'address', field: 'street', old: 'Calle Mayor 3', new: 'Calle Real 7' },
	{ entity: 'customer', field: 'stateId', old: 'customerState-alta', new: 'customerState-corte' },
	{ entity: 'pppoeAccount', field: 'tariffId', old: 'tariff-50', new: 'tariff-300' },
	{ entity: 'paymentMethod', field: 'iban', old: 'ES91 **** 1332', new: 'ES79 **** 3572' },
	{ entity: 'contactPerson', field: 'mobile', old: '700000001', new: '700000002' }
];

/**
 * Rows `:from` to `:to` of the seeded Historial, generated inside SQLite (building 3 million rows
 * as JSON in JavaScript and parsing them back takes ten times as long): the columns and the JSON
 * recordStatements would write for the same lines — scope from the entity each line describes,
 * `win_at` its time, the next seqs in order.
 */
const HISTORY_SQL = `WITH RECURSIVE n(i) AS (SELECT :from UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :to),
	kinds(k, entity, field, old, new, scope) AS (VALUES ${LINE_KINDS.map(
		(k, i) =>
			`(${i}, '${k.entity}', '${k.field}', '${k.old}', '${k.new}', '${ENTITIES[k.entity].scope}')`
	).join(', ')}),
	line AS (
		SELECT i, printf('e0000000-0000-4000-8000-%012d', i) AS id,
			printf('00000000-0000-4000-8000-%012d', (i * 7919) % :customers) AS customerId,
			strftime('%Y-%m-%dT%H:%M:%fZ', (:start + (i * :span) / :lines) / 1000.0, 'unixepoch') AS at,
			'user-' || (i % 12) AS userId, 'Usuario ' || (i % 12) AS userName
		FROM n)
	INSERT INTO records (entity, id, customer_id, scope, data, deleted, win_at, seq, updated_at, updated_by)
	SELECT 'history', line.id, customerId, CASE WHEN i % 10 = 9 THEN 'all' ELSE kinds.scope END,
		CASE WHEN i % 10 = 9 THEN json_object('id', line.id, 'customerId', customerId, 'kind', 'manual',
			'at', at, 'userId', userId, 'userName', userName, 'date', substr(at, 1, 10),
			'actionTypeId', 'historyAction-llamada', 'comment', 'Llama el cliente por una incidencia; se le atiende.')
		ELSE json_object('id', line.id, 'customerId', customerId, 'kind', 'auto', 'at', at,
			'userId', userId, 'userName', userName, 'entity', kinds.entity, 'entityId', customerId,
			'field', kinds.field, 'oldValue', kinds.old, 'newValue', kinds.new,
			'mutation', kinds.entity || '.update') END,
		0, at, (SELECT value FROM counters WHERE name = 'seq') + i - :from + 1, :now, NULL
	FROM line JOIN kinds ON kinds.k = i % ${LINE_KINDS.length} WHERE true`;

/**
 * `lines` Historial lines spread evenly over the `years` before now, oldest first (the order the
 * server wrote them), over the customers seedCustomers made: automatic lines of every kind (one
 * in six office-only), one in ten a manual note. Written straight into the change log through
 * the one writer, 100,000 rows a batch.
 */
export async function seedHistory(
	db: Db,
	customers: number,
	lines: number,
	years = 3,
	now = Date.now()
): Promise<number> {
	const span = years * 365 * DAY;
	const CHUNK = 100_000;
	// The secondary indexes of `records` are dropped for the load and built again from their own
	// definitions afterwards: one sort each instead of millions of scattered inserts.
	const indexes = (
		await db.client.execute(
			"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL"
		)
	).rows.map((r) => ({ name: String(r.name), sql: String(r.sql) }));
	await db.exclusive(() =>
		db.client.batch(
			indexes.map((i) => `DROP INDEX ${i.name}`),
			'write'
		)
	);
	for (let from = 0; from < lines; from += CHUNK) {
		const to = Math.min(lines, from + CHUNK);
		const args = {
			from,
			to,
			customers,
			start: now - span,
			span,
			lines,
			now: new Date(now).toISOString()
		};
		await db.exclusive(() =>
			db.client.batch(
				[
					{ sql: HISTORY_SQL, args },
					{ sql: "UPDATE counters SET value = value + ? WHERE name = 'seq'", args: [to - from] }
				],
				'write'
			)
		);
	}
	await db.exclusive(() =>
		db.client.batch(
			indexes.map((i) => i.sql),
			'write'
		)
	);
	return lines;
}
