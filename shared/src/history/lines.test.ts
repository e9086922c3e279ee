import { describe, expect, it } from 'vitest';
import type { RouterJob } from '../schemas/router';
import { jobResultLines, rowChangeLines, type LineAuthor } from './lines';

const by: LineAuthor = {
	at: '2026-11-27T10:00:00.000Z',
	userId: 'u1',
	userName: 'Ana',
	mutation: 'address.update'
};
const C = '11111111-1111-4111-8111-111111111111';
const address = { id: 'a1', customerId: C, street: 'C/ Mayor 1', town: 'Ávila' };

const meta = {
	customerId: C,
	kind: 'auto',
	at: by.at,
	userId: 'u1',
	userName: 'Ana',
	mutation: 'address.update'
};

describe('rowChangeLines', () => {
	it('a new row: one line with its summary', () => {
		const lines = rowChangeLines(
			{ entity: 'address', id: 'a1', before: undefined, after: address },
			by
		);
		expect(lines).toEqual([
			{ ...meta, entity: 'address', entityId: 'a1', oldValue: null, newValue: 'C/ Mayor 1' }
		]);
	});

	it('a deleted row: one line with what it was', () => {
		const lines = rowChangeLines({ entity: 'address', id: 'a1', before: address, after: null }, by);
		expect(lines).toEqual([
			{ ...meta, entity: 'address', entityId: 'a1', oldValue: 'C/ Mayor 1', newValue: null }
		]);
	});

	it('a changed row: one line per changed field, bookkeeping left out', () => {
		const lines = rowChangeLines(
			{
				entity: 'address',
				id: 'a1',
				before: { ...address, updatedAt: 'x' },
				after: { ...address, town: 'Arévalo', postalCode: '05200', updatedAt: 'y' }
			},
			by
		);
		expect(lines.map((l) => [l.field, l.oldValue, l.newValue])).toEqual([
			['town', 'Ávila', 'Arévalo'],
			['postalCode', null, '05200']
		]);
	});

	it('a tariff assignment (no name) reads as its dates and figures, its references left to the app', () => {
		const row = {
			id: 't1',
			customerId: C,
			contractId: 'k1',
			tariffId: 'tar1',
			startDate: '2026-01-01',
			endDate: '2026-06-30',
			quantity: 2,
			discountPercent: 10
		};
		const [line] = rowChangeLines(
			{ entity: 'tariffAssignment', id: 't1', before: undefined, after: row },
			by
		);
		expect(line.newValue).toBe(
			'Fecha de inicio: 2026-01-01 · Fecha de baja: 2026-06-30 · Cantidad: 2 · Descuento (%): 10'
		);
		const [changed] = rowChangeLines(
			{ entity: 'tariffAssignment', id: 't1', before: row, after: { ...row, tariffId: 'tar2' } },
			by
		);
		expect([changed.field, changed.oldValue, changed.newValue]).toEqual([
			'tariffId',
			'tar1',
			'tar2'
		]);
	});

	it('a password says it changed, never what to', () => {
		const before = { id: 'p1', customerId: C, username: 'cli-1', password: 'vieja-clave' };
		const after = { ...before, password: 'nueva-clave' };
		const [line] = rowChangeLines({ entity: 'pppoeAccount', id: 'p1', before, after }, by);
		expect(line).toMatchObject({ field: 'password', oldValue: '••••', newValue: '••••' });
		const created = rowChangeLines(
			{ entity: 'pppoeAccount', id: 'p1', before: undefined, after: before },
			by
		);
		expect(JSON.stringify(created)).not.toContain('vieja-clave');
	});

	it("a state change carries the mutation's reason, other fields do not", () => {
		const before = { id: C, name: 'Ana', stateId: 'alta' };
		const after = { id: C, name: 'Ana María', stateId: 'baja' };
		const lines = rowChangeLines(
			{ entity: 'customer', id: C, before, after, reason: 'Impago' },
			by
		);
		expect(lines.find((l) => l.field === 'stateId')?.reason).toBe('Impago');
		expect(lines.find((l) => l.field === 'name')).not.toHaveProperty('reason');
	});

	it('a row without a name is summarised by its labelled fields, ids left out', () => {
		const [line] = rowChangeLines(
			{
				entity: 'address',
				id: 'a2',
				before: undefined,
				after: { id: 'a2', customerId: C, town: 'Ávila', labelId: 'x' }
			},
			by
		);
		expect(line.newValue).toMatch(/Ávila/);
		expect(line.newValue).not.toContain('labelId');
	});

	it("no lines for Historial's own rows, rows outside a customer file or without one", () => {
		const history = { id: 'h1', customerId: C, kind: 'manual' };
		expect(
			rowChangeLines({ entity: 'history', id: 'h1', before: undefined, after: history }, by)
		).toEqual([]);
		expect(
			rowChangeLines(
				{ entity: 'setting', id: 's1', before: undefined, after: { id: 's1', name: 'x' } },
				by
			)
		).toEqual([]);
		expect(
			rowChangeLines(
				{ entity: 'address', id: 'a3', before: undefined, after: { id: 'a3', street: 'x' } },
				by
			)
		).toEqual([]);
		expect(
			rowChangeLines({ entity: 'address', id: 'a3', before: undefined, after: null }, by)
		).toEqual([]);
		const auto = { id: 'h2', customerId: C, kind: 'auto', field: 'phone' };
		expect(rowChangeLines({ entity: 'history', id: 'h2', before: auto, after: null }, by)).toEqual(
			[]
		);
	});

	it('a manual note edited or deleted is on record: who changed whose words', () => {
		const note = {
			id: 'h1',
			customerId: C,
			kind: 'manual',
			userId: 'author',
			date: '2026-11-20',
			comment: 'Router cambiado'
		};
		const edited = rowChangeLines(
			{ entity: 'history', id: 'h1', before: note, after: { ...note, comment: 'ONT cambiada' } },
			by
		);
		expect(edited).toEqual([
			expect.objectContaining({
				entity: 'history',
				entityId: 'h1',
				field: 'comment',
				oldValue: 'Router cambiado',
				newValue: 'ONT cambiada',
				userName: by.userName
			})
		]);
		const [deleted] = rowChangeLines(
			{ entity: 'history', id: 'h1', before: note, after: null },
			by
		);
		expect(deleted).toMatchObject({ oldValue: '2026-11-20 · Router cambiado', newValue: null });
	});
});

describe('jobResultLines', () => {
	const job = {
		id: 'j1',
		customerId: C,
		routerId: 'r1',
		kind: 'ping',
		state: 'done'
	} as unknown as RouterJob;
	const agent: LineAuthor = { at: by.at, userName: 'Agente nodo', mutation: 'agent.result' };

	it('one line: what was asked and how it went, by the agent', () => {
		expect(jobResultLines(job, 'Ping', 'hecho: 4/4 respuestas', agent)).toEqual([
			{
				customerId: C,
				kind: 'auto',
				at: by.at,
				userName: 'Agente nodo',
				entity: 'routerJob',
				entityId: 'j1',
				field: 'Ping',
				oldValue: null,
				newValue: 'hecho: 4/4 respuestas',
				mutation: 'agent.result'
			}
		]);
	});

	it('kept within the Historial row limits, and none outside a customer file', () => {
		const [line] = jobResultLines(job, 'x'.repeat(100), `fallo: ${'y'.repeat(3000)}`, {
			...agent,
			userName: 'A'.repeat(200)
		});
		expect([line.field?.length, line.newValue?.length, line.userName?.length]).toEqual([
			60, 2000, 120
		]);
		expect(jobResultLines({ ...job, customerId: undefined }, 'Ping', 'hecho', agent)).toEqual([]);
	});
});
