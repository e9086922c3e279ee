import { TariffAssignment, formatCentsInput, formatDecimalInput } from '@enlace/shared';
import { centsValue, checkWith, integerValue, percentValue, trimmedValues } from '$lib/forms';
import { RowEditor } from '$lib/forms/row-editor.svelte';

/** The form's fields, as typed: the price in euros, the discount and quantity as text. */
export type AssignmentDraft = {
	contractId: string;
	tariffId: string;
	startDate: string;
	endDate: string;
	price: string;
	discount: string;
	quantity: string;
	pppoeAccountId: string;
	notes: string;
};

const KEYS = [
	'contractId',
	'tariffId',
	'startDate',
	'endDate',
	'priceOverrideCents',
	'discountPercent',
	'quantity',
	'pppoeAccountId',
	'notes'
] as const;

export function draftOf(row?: TariffAssignment): AssignmentDraft {
	return {
		contractId: row?.contractId ?? '',
		tariffId: row?.tariffId ?? '',
		startDate: row?.startDate ?? '',
		endDate: row?.endDate ?? '',
		price: formatCentsInput(row?.priceOverrideCents),
		discount: formatDecimalInput(row?.discountPercent, 2),
		quantity: String(row?.quantity ?? 1),
		pppoeAccountId: row?.pppoeAccountId ?? '',
		notes: row?.notes ?? ''
	};
}

/** The draft as row fields ('' → absent; numbers parsed, NaN when unreadable). */
export function valuesOf({ price, discount, quantity, ...rest }: AssignmentDraft) {
	return trimmedValues(
		{
			...rest,
			priceOverrideCents: centsValue(price),
			discountPercent: percentValue(discount),
			quantity: integerValue(quantity)
		},
		['contractId', 'tariffId', 'startDate']
	);
}

/**
 * One assignment created or edited at a time. `scope` tells lists apart (a contract's "Ver más",
 * the Asignación de tarifas tab), so each keeps its own draft.
 */
export const assignmentEditor = (customerId: string, scope: string) =>
	new RowEditor<TariffAssignment, AssignmentDraft>({
		entity: 'tariffAssignment',
		keys: KEYS,
		toDraft: draftOf,
		toRow: (d, id) => checkWith(TariffAssignment, { id, customerId, ...valuesOf(d) }),
		draftKey: `tariffAssignment:${customerId}:${scope}`
	});
