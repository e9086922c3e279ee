import { AppError } from '../protocol/errors';
import type { MutatorTx } from './types';

/** The refusals every mutator family uses, worded once. */

export const notFound = (what: string, field?: string) =>
	new AppError(
		'not-found',
		`${what} no existe (puede que otra persona lo haya eliminado)`,
		field,
		404
	);

/** The customer a row or an action belongs to; refused on the `customerId` field when gone. */
export async function customerOrThrow(tx: MutatorTx, id: string) {
	const customer = await tx.get('customer', id);
	if (!customer) throw notFound('El cliente', 'customerId');
	return customer;
}

/** Refused because another row already holds the value (409, on `field`). */
export const alreadyExists = (message: string, field?: string) =>
	new AppError('already-exists', message, field, 409);

export const forbidden = (message = 'Su perfil no permite esta acción') =>
	new AppError('forbidden', message, undefined, 403);
