import { Contract } from '@enlace/shared';
import { checkWith, integerValue, trimmedValues } from '$lib/forms';
import { RowEditor } from '$lib/forms/row-editor.svelte';

/** The form's fields, as typed. */
export type ContractDraft = {
	name: string;
	fromDate: string;
	toDate: string;
	addressId: string;
	paymentMethodId: string;
	billingFrequency: string;
	billingMode: string;
	periodStartDay: string;
	notes: string;
};

/** Compared to build an update's patch; the payment type is derived by the mutator, never sent. */
const KEYS = [
	'name',
	'fromDate',
	'toDate',
	'addressId',
	'paymentMethodId',
	'billingFrequency',
	'billingMode',
	'periodStartDay',
	'notes'
] as const;

export function draftOf(row?: Contract): ContractDraft {
	return {
		name: row?.name ?? '',
		fromDate: row?.fromDate ?? '',
		toDate: row?.toDate ?? '',
		addressId: row?.addressId ?? '',
		paymentMethodId: row?.paymentMethodId ?? '',
		billingFrequency: row?.billingFrequency ?? 'monthly',
		billingMode: row?.billingMode ?? 'advance',
		periodStartDay: row?.periodStartDay === undefined ? '1' : String(row.periodStartDay),
		notes: row?.notes ?? ''
	};
}

/** The draft as row fields ('' → absent; the start day parsed, NaN when unreadable). */
export const valuesOf = (d: ContractDraft): Record<string, unknown> =>
	trimmedValues({ ...d, periodStartDay: integerValue(d.periodStartDay) }, ['name', 'fromDate']);

/** One contract created or edited at a time; the draft survives a reload until saved. */
export const contractEditor = (customerId: string) =>
	new RowEditor<Contract, ContractDraft>({
		entity: 'contract',
		keys: KEYS,
		toDraft: draftOf,
		toRow: (d, id) => checkWith(Contract, { id, customerId, ...valuesOf(d) }),
		draftKey: `contract:${customerId}`
	});
