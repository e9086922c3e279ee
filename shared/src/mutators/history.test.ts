import { describe, expect, it } from 'vitest';
import type { Role } from '../schemas/user';
import { mayChangeManualEntry } from './history';
import { failure, memoryTx } from './memory-tx';

/** A customer with a manual note written by `author` (the memory tx runs as user `u1`). */
function withNote(role: Role, author: string) {
	const m = memoryTx(role);
	m.table('customer').set('c1', { id: 'c1', code: 'C00001', name: 'Lucía' });
	m.table('history').set('h1', {
		id: 'h1',
		customerId: 'c1',
		kind: 'manual',
		at: '2026-11-20T09:00:00.000Z',
		userId: author,
		userName: 'Autor',
		date: '2026-11-20',
		actionTypeId: 'historyAction-visita',
		comment: 'Visita: router cambiado'
	});
	return m;
}

describe('manual Historial notes: only their author or the office change them', () => {
	it("refuses a technician's edit or deletion of someone else's note, and leaves it as it was", async () => {
		const { run, table } = withNote('technician', 'u2');
		const before = structuredClone(table('history').get('h1'));
		const refusal = {
			code: 'forbidden',
			message: 'Solo quien escribió la anotación, o la oficina, puede cambiarla'
		};
		expect(
			await failure(run('history.update', { id: 'h1', patch: { comment: 'Nada' } }))
		).toMatchObject(refusal);
		expect(await failure(run('history.delete', { id: 'h1' }))).toMatchObject(refusal);
		expect(table('history').get('h1')).toEqual(before);
	});

	it('lets the author edit and delete their own note', async () => {
		const { run, table } = withNote('technician', 'u1');
		await run('history.update', { id: 'h1', patch: { comment: 'Visita: ONT cambiada' } });
		expect(table('history').get('h1')).toMatchObject({
			comment: 'Visita: ONT cambiada',
			userId: 'u1'
		});
		await run('history.delete', { id: 'h1' });
		expect(table('history').has('h1')).toBe(false);
	});

	it.each(['office', 'admin'] as const)("lets %s change anyone's note", async (role) => {
		const { run, table } = withNote(role, 'u2');
		await run('history.update', { id: 'h1', patch: { comment: 'Revisado en oficina' } });
		// The note stays its author's: the edit itself is recorded in Historial by the server.
		expect(table('history').get('h1')).toMatchObject({
			comment: 'Revisado en oficina',
			userId: 'u2'
		});
		await run('history.delete', { id: 'h1' });
		expect(table('history').has('h1')).toBe(false);
	});

	it('is the rule the app asks before showing Editar and Eliminar', () => {
		const note = { kind: 'manual', userId: 'u2' } as const;
		expect(mayChangeManualEntry({ userId: 'u1', role: 'technician' }, note)).toBe(false);
		expect(mayChangeManualEntry({ userId: 'u2', role: 'technician' }, note)).toBe(true);
		expect(mayChangeManualEntry({ userId: 'u1', role: 'office' }, note)).toBe(true);
		expect(mayChangeManualEntry({ userId: 'u1', role: 'admin' }, { kind: 'auto' })).toBe(false);
	});
});

describe('a manual note replayed with its id', () => {
	it("is applied once, and never under another customer's id", async () => {
		const { run, table } = withNote('office', 'u1');
		table('customer').set('c2', { id: 'c2', code: 'C00002', name: 'Otro' });
		const before = structuredClone(table('history').get('h1'));
		const note = {
			id: 'h1',
			date: '2026-11-21',
			actionTypeId: 'historyAction-visita',
			comment: 'Otra'
		};
		expect(await failure(run('history.create', { ...note, customerId: 'c2' }))).toMatchObject({
			code: 'already-exists',
			field: 'id'
		});
		await run('history.create', { ...note, customerId: 'c1' });
		expect(table('history').get('h1')).toEqual(before);
	});
});
