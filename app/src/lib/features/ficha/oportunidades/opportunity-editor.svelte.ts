import { Opportunity, formatCentsInput, type Setting } from '@enlace/shared';
import { checkWith } from '$lib/forms';
import { RowEditor } from '$lib/forms/row-editor.svelte';
import { centsValue, integerValue } from '$lib/forms/numbers';

/** The form's fields: the amount in euros and the probability as typed. */
export type OpportunityDraft = {
	title: string;
	typeId: string;
	stageId: string;
	amount: string;
	expectedCloseDate: string;
	probability: string;
	ownerId: string;
	notes: string;
};

const KEYS = [
	'title',
	'typeId',
	'stageId',
	'amountCents',
	'expectedCloseDate',
	'probability',
	'ownerId',
	'notes'
] as const;

export function draftOf(row?: Opportunity): OpportunityDraft {
	return {
		title: row?.title ?? '',
		typeId: row?.typeId ?? '',
		stageId: row?.stageId ?? '',
		amount: formatCentsInput(row?.amountCents),
		expectedCloseDate: row?.expectedCloseDate ?? '',
		probability: row?.probability === undefined ? '' : String(row.probability),
		ownerId: row?.ownerId ?? '',
		notes: row?.notes ?? ''
	};
}

/** The draft as row fields ('' → absent; numbers parsed, NaN when unreadable). */
export function valuesOf(d: OpportunityDraft): Record<string, unknown> {
	const v: Record<string, unknown> = {
		title: d.title,
		stageId: d.stageId,
		amountCents: centsValue(d.amount),
		probability: integerValue(d.probability)
	};
	for (const k of ['typeId', 'expectedCloseDate', 'ownerId', 'notes'] as const) {
		if (d[k].trim()) v[k] = d[k].trim();
	}
	return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
}

/** Picking a closed stage sets the probability the server will store anyway. */
export function probabilityFor(stage: Setting | undefined, current: string): string {
	if (stage?.closed === 'won') return '100';
	if (stage?.closed === 'lost') return '0';
	return current;
}

/** One opportunity created or edited at a time; the draft survives a reload until saved. */
export const opportunityEditor = (customerId: string) =>
	new RowEditor<Opportunity, OpportunityDraft>({
		entity: 'opportunity',
		keys: KEYS,
		toDraft: draftOf,
		toRow: (d, id) => checkWith(Opportunity, { id, customerId, ...valuesOf(d) }),
		draftKey: `opportunity:${customerId}`
	});
