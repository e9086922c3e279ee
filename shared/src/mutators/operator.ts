import { z } from 'zod';
import { Id } from '../schemas/common';
import { OPERATOR_KEYS, OperatorData, OperatorFields } from '../schemas/operator';
import { applyPatch, patchSchema } from './patch';
import { ALL_ROLES, defineMutator, parseOrThrow, type Mutator } from './types';
import { customerOrThrow } from './guards';

export const OperatorPatch = patchSchema(OperatorFields);

/**
 * Datos operadora of a customer, saved as a patch of the fields that changed (the row is made on
 * the first save): a technician on site and the office can fill different fields at once.
 */
const save = defineMutator({
	name: 'operatorData.save',
	args: z.object({ customerId: Id, patch: OperatorPatch }).strict(),
	roles: ALL_ROLES,
	async apply(tx, { customerId, patch }) {
		await customerOrThrow(tx, customerId);
		const existing = await tx.get('operatorData', customerId);
		const next: Record<string, unknown> = applyPatch(
			existing ?? { id: customerId, customerId, createdAt: tx.ctx.now },
			patch
		);
		// Blank is "no value": trimmed away, so Historial never shows "" → " ".
		for (const k of OPERATOR_KEYS) {
			const v = typeof next[k] === 'string' ? (next[k] as string).trim() : undefined;
			if (v) next[k] = v;
			else delete next[k];
		}
		if (!existing && !OPERATOR_KEYS.some((k) => next[k] !== undefined)) return;
		const row = parseOrThrow(OperatorData, { ...next, updatedAt: tx.ctx.now });
		if (existing && OPERATOR_KEYS.every((k) => existing[k] === row[k])) return;
		await tx.put('operatorData', row);
	}
});

export const operatorMutators: Mutator[] = [save] as Mutator[];
