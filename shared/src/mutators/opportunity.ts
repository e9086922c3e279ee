import { z } from 'zod';
import { AppError } from '../protocol/errors';
import { Id } from '../schemas/common';
import {
	Opportunity,
	OpportunityActionObject,
	OpportunityFields,
	checkOpportunityAction
} from '../schemas/opportunity';
import type { SettingList } from '../schemas/setting';
import { crudMutators, deleteWithChildren } from './crud';
import { applyPatch, patchSchema } from './patch';
import { ALL_ROLES, defineMutator, parseOrThrow, type Mutator, type MutatorTx } from './types';
import { alreadyExists, customerOrThrow, notFound } from './guards';

const ValidOpportunity = Opportunity.strict();

/** A settings id must name an entry of the expected list (not a customer state, not nothing). */
async function checkSetting(
	tx: MutatorTx,
	id: string,
	list: SettingList,
	field: string,
	message: string
) {
	const s = await tx.get('setting', id);
	if (!s || s.list !== list) throw new AppError('invalid-field', message, field);
	return s;
}

async function checkUser(tx: MutatorTx, id: string, field: string) {
	if (!(await tx.get('user', id)))
		throw new AppError('invalid-field', 'Ese usuario no existe', field);
}

/**
 * References are checked when they are set or changed, so a row whose stage or owner was later
 * retired can still be edited in its other fields. A closed stage fixes the probability: a won
 * opportunity is 100 %, a lost one 0 %, whatever the form sent.
 */
async function writeOpportunity(tx: MutatorTx, merged: Opportunity, existing?: Opportunity) {
	// Shape first: a patch may have cleared a required field, and lookups need real ids.
	const row = parseOrThrow(ValidOpportunity, merged);
	await customerOrThrow(tx, row.customerId);
	let closed: 'won' | 'lost' | undefined;
	if (row.stageId !== existing?.stageId) {
		const stage = await checkSetting(
			tx,
			row.stageId,
			'opportunityStage',
			'stageId',
			'Esa fase no existe en Configuración'
		);
		closed = stage.closed;
	} else {
		const stage = await tx.get('setting', row.stageId);
		closed = stage?.list === 'opportunityStage' ? stage.closed : undefined;
	}
	if (row.typeId && row.typeId !== existing?.typeId) {
		await checkSetting(
			tx,
			row.typeId,
			'opportunityType',
			'typeId',
			'Ese tipo de oportunidad no existe en Configuración'
		);
	}
	if (row.ownerId && row.ownerId !== existing?.ownerId) await checkUser(tx, row.ownerId, 'ownerId');
	await tx.put('opportunity', closed ? { ...row, probability: closed === 'won' ? 100 : 0 } : row);
}

const opportunityCreate = defineMutator({
	name: 'opportunity.create',
	args: ValidOpportunity,
	roles: ALL_ROLES,
	async apply(tx, args) {
		const existing = await tx.get('opportunity', args.id);
		if (existing) {
			// A create replayed after its row already arrived: the fields win, the ids stay.
			if (existing.customerId !== args.customerId) {
				throw alreadyExists('Esa oportunidad ya existe', 'id');
			}
			await writeOpportunity(tx, { ...existing, ...args, updatedAt: tx.ctx.now }, existing);
			return;
		}
		await writeOpportunity(tx, { ...args, createdAt: tx.ctx.now, updatedAt: tx.ctx.now });
	}
});

const opportunityUpdate = defineMutator({
	name: 'opportunity.update',
	args: z.object({ id: Id, patch: patchSchema(OpportunityFields) }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id, patch }) {
		const existing = await tx.get('opportunity', id);
		if (!existing) throw notFound('La oportunidad');
		const next = applyPatch(existing, patch);
		await writeOpportunity(tx, { ...next, updatedAt: tx.ctx.now }, existing);
	}
});

const opportunityDelete = defineMutator({
	name: 'opportunity.delete',
	args: z.object({ id: Id }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { id }) {
		if (!(await tx.get('opportunity', id))) return;
		// Its actuaciones go with it: they mean nothing without the opportunity.
		await deleteWithChildren(tx, 'opportunity', id, [
			{ entity: 'opportunityAction', field: 'opportunityId' }
		]);
	}
});

const actionMutators = crudMutators({
	entity: 'opportunityAction',
	noun: 'La actuación',
	object: OpportunityActionObject,
	refine: checkOpportunityAction,
	roles: ALL_ROLES,
	parent: 'customer',
	async check(tx, row, existing) {
		if (existing && existing.opportunityId !== row.opportunityId) {
			throw new AppError(
				'invalid-field',
				'Una actuación no se puede pasar a otra oportunidad',
				'opportunityId'
			);
		}
		const opportunity = await tx.get('opportunity', row.opportunityId);
		if (!opportunity) throw notFound('La oportunidad', 'opportunityId');
		if (opportunity.customerId !== row.customerId) {
			throw new AppError('invalid-field', 'La oportunidad es de otro cliente', 'opportunityId');
		}
		if (row.actionTypeId !== existing?.actionTypeId) {
			await checkSetting(
				tx,
				row.actionTypeId,
				'historyAction',
				'actionTypeId',
				'Ese tipo de actuación no existe en Configuración'
			);
		}
		if (row.userId !== existing?.userId) await checkUser(tx, row.userId, 'userId');
	}
});

/** Opportunities and their actuaciones: every role (technicians log actions on site). */
export const opportunityMutators: Mutator[] = [
	opportunityCreate as Mutator,
	opportunityUpdate as Mutator,
	opportunityDelete as Mutator,
	...actionMutators
];
