import { z } from 'zod';
import { AppError } from '../protocol/errors';
import { Id, IsoDate } from '../schemas/common';
import type { HistoryEntry } from '../schemas/history';
import type { Role } from '../schemas/user';
import { applyPatch, patchSchema } from './patch';
import { ALL_ROLES, defineMutator, OFFICE_ROLES, type Mutator, type MutatorTx } from './types';
import { alreadyExists, customerOrThrow, forbidden, notFound } from './guards';

/** The fields of a manual movement a user types. */
export const ManualHistoryFields = z.object({
	date: IsoDate,
	actionTypeId: z.string().min(1, 'Elija el tipo de actuación').max(64),
	comment: z.string().trim().min(1, 'Escriba un comentario').max(5000, 'Máximo 5000 caracteres')
});

/**
 * A manual note is its author's word: only they, or the office (admin, office), edit or delete it.
 * The app asks the same before offering Editar and Eliminar.
 */
export const mayChangeManualEntry = (
	user: { userId: string; role: Role },
	row: Pick<HistoryEntry, 'kind'> & { userId?: string }
) => row.kind === 'manual' && (row.userId === user.userId || OFFICE_ROLES.includes(user.role));

/** A manual note the current user may change; the server records the change in Historial. */
async function manualEntry(tx: MutatorTx, id: string): Promise<HistoryEntry> {
	const row = await tx.get('history', id);
	if (!row) throw notFound('La anotación');
	if (row.kind !== 'manual') {
		throw new AppError(
			'forbidden',
			'Las anotaciones automáticas no se pueden modificar',
			undefined,
			403
		);
	}
	if (!mayChangeManualEntry(tx.ctx, row)) {
		throw forbidden('Solo quien escribió la anotación, o la oficina, puede cambiarla');
	}
	return row;
}

/** Manual Historial movements: create, edit, delete. Automatic rows are written by the server only. */
export function historyMutators(_schema: z.ZodType<HistoryEntry>): Mutator[] {
	const create = defineMutator({
		name: 'history.create',
		args: ManualHistoryFields.extend({ id: Id, customerId: Id }).strict(),
		roles: ALL_ROLES,
		async apply(tx, args) {
			await customerOrThrow(tx, args.customerId);
			const existing = await tx.get('history', args.id);
			if (existing) {
				// A replay is applied once; an id taken by another customer's line stays theirs.
				if (existing.customerId !== args.customerId) {
					throw alreadyExists('La anotación ya existe en otro cliente', 'id');
				}
				return;
			}
			await tx.put('history', {
				...args,
				kind: 'manual',
				at: tx.ctx.now,
				userId: tx.ctx.userId,
				userName: tx.ctx.userName
			});
		}
	});
	const update = defineMutator({
		name: 'history.update',
		args: z.object({ id: Id, patch: patchSchema(ManualHistoryFields) }).strict(),
		roles: ALL_ROLES,
		async apply(tx, { id, patch }) {
			const row = await manualEntry(tx, id);
			const next = applyPatch(row, patch);
			const checked = ManualHistoryFields.safeParse(next);
			if (!checked.success) throw new AppError('invalid-field', checked.error.issues[0].message);
			await tx.put('history', next);
		}
	});
	const remove = defineMutator({
		name: 'history.delete',
		args: z.object({ id: Id }).strict(),
		roles: ALL_ROLES,
		async apply(tx, { id }) {
			if (!(await tx.get('history', id))) return;
			await manualEntry(tx, id);
			await tx.del('history', id);
		}
	});
	return [create, update, remove] as Mutator[];
}
