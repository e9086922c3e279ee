import { describe, expect, it } from 'vitest';
import { failure, memoryTx } from './memory-tx';

const base = { isCompany: false, name: 'Lucía Pérez', taxIdType: 'nif', taxId: '12345678Z' };

describe('customer dates', () => {
	it('refuses a fecha de baja before the fecha de alta, on create and on update, on the field', async () => {
		const { run, table } = memoryTx('office');
		expect(
			await failure(
				run('customer.create', {
					...base,
					id: 'c1',
					altaDate: '2026-05-10',
					bajaDate: '2026-05-09'
				})
			)
		).toMatchObject({
			field: 'bajaDate',
			message: 'La fecha de baja no puede ser anterior a la fecha de alta'
		});
		expect(table('customer').has('c1')).toBe(false);

		await run('customer.create', { ...base, id: 'c1', altaDate: '2026-05-10' });
		await run('customer.update', { id: 'c1', patch: { bajaDate: '2026-05-10' } });
		expect(table('customer').get('c1')).toMatchObject({ bajaDate: '2026-05-10' });
		expect(
			await failure(run('customer.update', { id: 'c1', patch: { altaDate: '2026-06-01' } }))
		).toMatchObject({ field: 'bajaDate' });
		expect(table('customer').get('c1')).toMatchObject({ altaDate: '2026-05-10' });
	});

	it('defaults the fecha de alta to the day in Spain, not in UTC (just after midnight it is another day)', async () => {
		// 00:30 on 1 July in Madrid (summer time, UTC+2), still 30 June in UTC.
		const summer = memoryTx('office', '2026-06-30T22:30:00.000Z');
		await summer.run('customer.create', { ...base, id: 'c1' });
		expect(summer.table('customer').get('c1')).toMatchObject({ altaDate: '2026-07-01' });
		// 00:30 on 1 January (winter, UTC+1).
		const winter = memoryTx('office', '2026-12-31T23:30:00.000Z');
		await winter.run('customer.create', { ...base, id: 'c2' });
		expect(winter.table('customer').get('c2')).toMatchObject({ altaDate: '2027-01-01' });
	});
});
