import { TariffAssignment, formatCentsInput, formatDecimalInput } from '@enlace/shared';
import { centsValue, checkWith, integerValue, percentValue } from '$lib/forms';
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
export function valuesOf(d: AssignmentDraft): Record<string, unknown> {
	const v: Record<string, unknown> = {
		contractId: d.contractId,
		tariffId: d.tariffId,
		startDate: d.startDate,
		priceOverrideCents: centsValue(d.price),
		discountPercent: percentValue(d.discount),
		quantity: integerValue(d.quantity)
	};
	for (const k of ['endDate', 'pppoeAccountId', 'notes'] as const) {
		if (d[k].trim()) v[k] = d[k].trim();
	}
	return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
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
