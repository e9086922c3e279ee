import { z } from 'zod';
import { AppError } from '../protocol/errors';
import { Id } from '../schemas/common';
import {
	CustomFieldId,
	CustomFieldObject,
	CustomFieldValue,
	CustomValue,
	checkCustomField,
	customValueId,
	customValueIssue,
	fieldTarget,
	type CustomField
} from '../schemas/custom-field';
import { crudMutators } from './crud';
import { ADMIN_ONLY, ALL_ROLES, OFFICE_ROLES, defineMutator, parseOrThrow } from './types';
import { alreadyExists, customerOrThrow, forbidden, notFound } from './guards';
import type { Mutator, MutatorTx } from './types';

/** A customer's values are saved together; a bound keeps a hostile push small. */
const MAX_VALUES_PER_SAVE = 200;

async function checkDefinition(tx: MutatorTx, row: CustomField, existing?: CustomField) {
	const sameName = await tx.findBy('customField', 'name', row.name);
	if (sameName.some((f) => f.id !== row.id)) {
		throw alreadyExists(`Ya hay un campo llamado «${row.name}»`, 'name');
	}
	if (existing && fieldTarget(existing) !== fieldTarget(row)) {
		throw new AppError(
			'invalid-field',
			'No se puede cambiar a qué se aplica un campo ya creado: cree otro',
			'target'
		);
	}
	if (existing && existing.type !== row.type && fieldTarget(row) === 'customer') {
		// Stored values are typed by the field: a new type would make them all invalid.
		const values = await tx.findBy('customFieldValue', 'fieldId', row.id);
		if (values.length) {
			throw new AppError(
				'invalid-field',
				`No se puede cambiar el tipo: ${values.length} ${values.length === 1 ? 'cliente tiene' : 'clientes tienen'} un valor en este campo`,
				'type'
			);
		}
	}
}

/** Deleting a definition deletes its values too: a value without its field means nothing. */
const definitions = crudMutators({
	entity: 'customField',
	noun: 'El campo personalizado',
	object: CustomFieldObject,
	refine: checkCustomField,
	roles: ADMIN_ONLY,
	check: checkDefinition,
	children: [{ entity: 'customFieldValue', field: 'fieldId' }]
});

/**
 * The Otros tab of one customer: the values that changed, by field id (`null` clears one). Each
 * is typed and checked by its field's definition; all of them are written or none.
 */
const saveValues = defineMutator({
	name: 'customFieldValue.save',
	args: z
		.object({
			customerId: Id,
			values: z
				.record(CustomFieldId, CustomValue.nullable())
				.refine(
					(v) => Object.keys(v).length <= MAX_VALUES_PER_SAVE,
					`Como máximo ${MAX_VALUES_PER_SAVE} campos a la vez`
				)
		})
		.strict(),
	roles: ALL_ROLES,
	async apply(tx, { customerId, values }) {
		await customerOrThrow(tx, customerId);
		for (const [fieldId, raw] of Object.entries(values)) {
			const field = await tx.get('customField', fieldId);
			if (!field) throw notFound('El campo personalizado', fieldId);
			if (fieldTarget(field) !== 'customer') {
				throw new AppError('invalid-field', `«${field.name}» es un campo de equipos`, fieldId);
			}
			// Its values never reach a technician's device: a technician may not write one either.
			if (field.officeOnly && !OFFICE_ROLES.includes(tx.ctx.role)) throw forbidden();
			const id = customValueId(customerId, fieldId);
			if (id.length > 64) {
				throw new AppError(
					'invalid-args',
					'Identificador de cliente demasiado largo',
					'customerId'
				);
			}
			const existing = await tx.get('customFieldValue', id);
			const value = typeof raw === 'string' ? raw.trim() : raw;
			if (value === null || value === '') {
				if (field.required) {
					throw new AppError('invalid-field', `«${field.name}» es obligatorio`, fieldId);
				}
				if (existing) await tx.del('customFieldValue', id);
				continue;
			}
			const issue = customValueIssue(field, value, existing?.value);
			if (issue) throw new AppError('invalid-field', issue, fieldId);
			if (existing?.value === value) continue;
			const now = tx.ctx.now;
			await tx.put(
				'customFieldValue',
				parseOrThrow(CustomFieldValue, {
					id,
					customerId,
					fieldId,
					value,
					createdAt: existing?.createdAt ?? now,
					updatedAt: now
				})
			);
		}
	}
});

export const customFieldMutators: Mutator[] = [...definitions, saveValues] as Mutator[];
