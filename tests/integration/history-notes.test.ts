// Manual Historial notes (issue #8 › 9): only their author or the office change them, and every
// change of a note is itself a line in Historial, written by the server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '@enlace/shared';
import {
	api,
	customerArgs,
	pullAll,
	pushOne,
	startTestServer,
	type TestServer
} from '../support/server';

let s: TestServer;
let author: { id: string; token: string };
let otherTech: { id: string; token: string };
let office: { id: string; token: string };

beforeAll(async () => {
	s = await startTestServer();
	const make = async (role: string, name: string) => {
		const email = `${role}-${randomUUID().slice(0, 8)}@enlace.test`;
		const password = `${role}-password-1`;
		const r = await api(s.url, s.adminToken).post('/api/users', { email, name, role, password });
		expect(r.status).toBe(201);
		return { id: r.body.user.id as string, token: await s.login(email, password) };
	};
	author = await make('technician', 'Técnica Autora');
	otherTech = await make('technician', 'Otro Técnico');
	office = await make('office', 'Oficina');
});

afterAll(async () => {
	await s?.close();
});

async function historyOf(customerId: string) {
	const { changes } = await pullAll(s.url, s.adminToken);
	const rows = new Map<string, Change['data']>();
	for (const c of changes) {
		if (c.entity !== 'history') continue;
		if (c.op === 'delete') rows.delete(c.id);
		else rows.set(c.id, c.data);
	}
	return [...rows.values()].filter((h) => h?.customerId === customerId) as Record<
		string,
		unknown
	>[];
}

describe('manual Historial notes', () => {
	it("refuses another technician's edit and deletion; the author and the office may, and Historial says so", async () => {
		const customer = customerArgs();
		expect((await pushOne(s.url, s.adminToken, 'customer.create', customer)).status).toBe(200);
		const noteId = randomUUID();
		const created = await pushOne(s.url, author.token, 'history.create', {
			id: noteId,
			customerId: customer.id,
			date: '2026-11-20',
			actionTypeId: 'historyAction-visita',
			comment: 'Router cambiado'
		});
		expect(created.body.results[0]).toEqual({ id: created.id, status: 'applied' });

		for (const [name, args] of [
			['history.update', { id: noteId, patch: { comment: 'No pasó nada' } }],
			['history.delete', { id: noteId }]
		] as const) {
			const refused = await pushOne(s.url, otherTech.token, name, args);
			expect(refused.body.results[0]).toMatchObject({
				status: 'rejected',
				error: { code: 'forbidden' }
			});
		}
		const note = () => historyOf(customer.id).then((h) => h.find((x) => x.id === noteId));
		expect(await note()).toMatchObject({ comment: 'Router cambiado', userId: author.id });

		const own = await pushOne(s.url, author.token, 'history.update', {
			id: noteId,
			patch: { comment: 'Router y ONT cambiados' }
		});
		expect(own.body.results[0].status).toBe('applied');
		const byOffice = await pushOne(s.url, office.token, 'history.update', {
			id: noteId,
			patch: { comment: 'Revisado: ONT cambiada' }
		});
		expect(byOffice.body.results[0].status).toBe('applied');
		expect(await note()).toMatchObject({ comment: 'Revisado: ONT cambiada', userId: author.id });

		const deleted = await pushOne(s.url, office.token, 'history.delete', { id: noteId });
		expect(deleted.body.results[0].status).toBe('applied');
		expect(await note()).toBeUndefined();

		// In the order they were written (historyOf keeps the change log's order).
		const aboutNote = (await historyOf(customer.id))
			.filter((h) => h.kind === 'auto' && h.entity === 'history' && h.entityId === noteId)
			.map((h) => ({
				userName: h.userName,
				field: h.field,
				oldValue: h.oldValue,
				newValue: h.newValue,
				mutation: h.mutation
			}));
		expect(aboutNote).toEqual([
			{
				userName: 'Técnica Autora',
				field: 'comment',
				oldValue: 'Router cambiado',
				newValue: 'Router y ONT cambiados',
				mutation: 'history.update'
			},
			{
				userName: 'Oficina',
				field: 'comment',
				oldValue: 'Router y ONT cambiados',
				newValue: 'Revisado: ONT cambiada',
				mutation: 'history.update'
			},
			{
				userName: 'Oficina',
				field: undefined,
				oldValue: '2026-11-20 · Revisado: ONT cambiada',
				newValue: null,
				mutation: 'history.delete'
			}
		]);
	});
});
