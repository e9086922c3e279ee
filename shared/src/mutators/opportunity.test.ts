import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../protocol/errors';
import type { EntityName, EntityRow } from '../schemas/entities';
import { DEFAULT_SETTINGS } from '../schemas/setting';
import type { Role } from '../schemas/user';
import { getMutator, parseOrThrow } from './index';
import type { MutatorContext, MutatorTx } from './types';

/** The storage contract in memory: enough to run mutators as the app and the server do. */
class MemoryTx implements MutatorTx {
	readonly rows = new Map<string, Record<string, unknown>>();
	ctx: MutatorContext = {
		userId: 'u-office',
		userName: 'Oficina',
		role: 'office',
		now: '2026-03-01T10:00:00.000Z',
		server: true
	};
	async get<E extends EntityName>(entity: E, id: string) {
		return this.rows.get(`${entity}:${id}`) as EntityRow<E> | undefined;
	}
	async put<E extends EntityName>(entity: E, row: EntityRow<E>) {
		this.rows.set(`${entity}:${(row as { id: string }).id}`, structuredClone(row));
	}
	async del(entity: EntityName, id: string) {
		this.rows.delete(`${entity}:${id}`);
	}
	async findBy<E extends EntityName>(entity: E, field: string, value: string) {
		return [...this.rows.entries()]
			.filter(([k, r]) => k.startsWith(`${entity}:`) && r[field] === value)
			.map(([, r]) => r) as EntityRow<E>[];
	}
	async nextNumber() {
		return 1;
	}
	of(entity: EntityName) {
		return [...this.rows.keys()].filter((k) => k.startsWith(`${entity}:`)).length;
	}
}

let tx: MemoryTx;

/** Run a mutation the way push does: role, args, apply. */
async function run(name: string, args: unknown, role: Role = 'office') {
	const m = getMutator(name);
	if (!m.roles.includes(role)) throw new AppError('forbidden', 'no');
	tx.ctx = { ...tx.ctx, role };
	await m.apply(tx, parseOrThrow(m.args, args));
}

async function rejects(p: Promise<unknown>) {
	try {
		await p;
	} catch (e) {
		if (e instanceof AppError) return e.toWire();
		throw e;
	}
	throw new Error('expected a rejection');
}

beforeEach(async () => {
	tx = new MemoryTx();
	for (const s of DEFAULT_SETTINGS) await tx.put('setting', s);
	await tx.put('user', {
		id: 'u-office',
		email: 'o@enlace.test',
		name: 'Oficina',
		role: 'office',
		active: true
	});
	for (const id of ['cu-1', 'cu-2']) {
		await tx.put('customer', {
			id,
			code: id,
			isCompany: true,
			name: id,
			taxIdType: 'cif',
			taxId: 'B12345674'
		});
	}
});

const opp = (over: Record<string, unknown> = {}) => ({
	id: 'op-1',
	customerId: 'cu-1',
	title: 'Enlace radio para la nave',
	stageId: 'opportunityStage-oferta',
	probability: 40,
	amountCents: 250_000,
	...over
});

describe('opportunity mutators', () => {
	it('fixes the probability of closed stages: won 100, lost 0', async () => {
		await run('opportunity.create', opp(), 'technician');
		expect((await tx.get('opportunity', 'op-1'))?.probability).toBe(40);
		await run('opportunity.update', { id: 'op-1', patch: { stageId: 'opportunityStage-ganada' } });
		expect((await tx.get('opportunity', 'op-1'))?.probability).toBe(100);
		// A closed stage keeps it fixed, whatever a later patch says.
		await run('opportunity.update', { id: 'op-1', patch: { probability: 20 } });
		expect((await tx.get('opportunity', 'op-1'))?.probability).toBe(100);
		await run('opportunity.update', { id: 'op-1', patch: { stageId: 'opportunityStage-perdida' } });
		expect((await tx.get('opportunity', 'op-1'))?.probability).toBe(0);
		await run('opportunity.update', {
			id: 'op-1',
			patch: { stageId: 'opportunityStage-negociacion', probability: 60 }
		});
		expect(await tx.get('opportunity', 'op-1')).toMatchObject({
			probability: 60,
			updatedAt: tx.ctx.now,
			createdAt: tx.ctx.now
		});
	});

	it('refuses stages, types and owners that are not what they claim', async () => {
		expect(
			await rejects(run('opportunity.create', opp({ stageId: 'customerState-alta' })))
		).toEqual({
			code: 'invalid-field',
			field: 'stageId',
			message: 'Esa fase no existe en Configuración'
		});
		expect(
			await rejects(run('opportunity.create', opp({ typeId: 'opportunityStage-oferta' })))
		).toMatchObject({ code: 'invalid-field', field: 'typeId' });
		expect(await rejects(run('opportunity.create', opp({ ownerId: 'u-nobody' })))).toMatchObject({
			code: 'invalid-field',
			field: 'ownerId'
		});
		expect(await rejects(run('opportunity.create', opp({ customerId: 'cu-x' })))).toMatchObject({
			code: 'not-found',
			field: 'customerId'
		});
		expect(
			await rejects(run('opportunity.update', { id: 'op-1', patch: { customerId: 'cu-2' } }))
		).toMatchObject({ code: 'invalid-args' });
		expect(tx.of('opportunity')).toBe(0);
	});

	it('logs actuaciones only on an opportunity of the same customer, and deletes them with it', async () => {
		await run('opportunity.create', opp());
		await run('opportunity.create', opp({ id: 'op-2', customerId: 'cu-2' }));
		const action = {
			id: 'a-1',
			customerId: 'cu-1',
			opportunityId: 'op-1',
			date: '2026-03-02',
			actionTypeId: 'historyAction-visita',
			userId: 'u-office',
			comment: 'Visita a la nave',
			nextStepDate: '2026-03-09'
		};
		await run('opportunityAction.create', action, 'technician');
		expect(
			await rejects(
				run('opportunityAction.create', { ...action, id: 'a-2', opportunityId: 'op-2' })
			)
		).toMatchObject({ code: 'invalid-field', field: 'opportunityId' });
		expect(
			await rejects(
				run('opportunityAction.create', {
					...action,
					id: 'a-3',
					actionTypeId: 'opportunityType-alta'
				})
			)
		).toMatchObject({ code: 'invalid-field', field: 'actionTypeId' });
		expect(
			await rejects(
				run('opportunityAction.update', { id: 'a-1', patch: { opportunityId: 'op-2' } })
			)
		).toMatchObject({ code: 'invalid-field', field: 'opportunityId' });
		expect(tx.of('opportunityAction')).toBe(1);

		await run('opportunity.delete', { id: 'op-1' });
		expect(tx.of('opportunityAction')).toBe(0);
		expect(await tx.get('opportunity', 'op-2')).toBeDefined();
	});
});

describe('company mutators', () => {
	const company = {
		id: 'co-1',
		customerId: 'cu-1',
		name: 'Redes del Ebro SL',
		cif: 'B12345674',
		mercantil: { registry: 'Zaragoza', socios: [{ name: 'Ana', sharePercent: 60 }] }
	};

	it('is for office and admin only', async () => {
		expect(await rejects(run('company.create', company, 'technician'))).toMatchObject({
			code: 'forbidden'
		});
		await run('company.create', company, 'admin');
		expect(tx.of('company')).toBe(1);
	});

	it('replaces a whole section on update, keeps the others, enforces the share rule', async () => {
		const mercantil = (luisPercent: number) => ({
			socios: [
				{ name: 'Ana', sharePercent: 60 },
				{ name: 'Luis', sharePercent: luisPercent }
			]
		});
		await run('company.create', { ...company, fiscal: { vatRegime: 'general' } });
		await run('company.update', { id: 'co-1', patch: { mercantil: mercantil(40) } });
		const row = await tx.get('company', 'co-1');
		expect(row?.mercantil).toEqual(mercantil(40));
		expect(row?.fiscal).toEqual({ vatRegime: 'general' });
		expect(
			await rejects(run('company.update', { id: 'co-1', patch: { mercantil: mercantil(60) } }))
		).toMatchObject({ code: 'invalid-shares-total', field: 'mercantil.socios' });
		expect((await tx.get('company', 'co-1'))?.mercantil?.socios?.[1].sharePercent).toBe(40);
	});

	it('refuses a second company with the same CIF on one customer', async () => {
		await run('company.create', company);
		expect(await rejects(run('company.create', { ...company, id: 'co-2' }))).toMatchObject({
			code: 'already-exists',
			field: 'cif'
		});
		await run('company.create', { ...company, id: 'co-3', customerId: 'cu-2' });
		expect(tx.of('company')).toBe(2);
	});
});
