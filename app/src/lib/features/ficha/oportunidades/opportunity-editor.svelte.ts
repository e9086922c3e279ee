import { Opportunity, formatCentsInput, type Setting } from '@enlace/shared';
import { engine } from '$lib/app.svelte';
import { drafts, formErrors, patchOf, type FormErrors } from '$lib/forms';
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

export function validateOpportunity(
	value: Record<string, unknown>
): { ok: true; row: Opportunity } | { ok: false; errors: FormErrors } {
	const r = Opportunity.safeParse(value);
	if (r.success) return { ok: true, row: r.data };
	const errors: FormErrors = {};
	for (const issue of r.error.issues)
		errors[issue.path.map(String).join('.') || '_'] ??= issue.message;
	return { ok: false, errors };
}

/** Picking a closed stage sets the probability the server will store anyway. */
export function probabilityFor(stage: Setting | undefined, current: string): string {
	if (stage?.closed === 'won') return '100';
	if (stage?.closed === 'lost') return '0';
	return current;
}

/** One opportunity created or edited at a time; the draft survives a reload until saved. */
export class OpportunityEditor {
	editing = $state<string | null>(null);
	draft = $state<OpportunityDraft>(draftOf());
	errors = $state<FormErrors>({});
	busy = $state(false);
	private original: Opportunity | undefined;

	constructor(private readonly customerId: string) {
		const saved = drafts.load<{ editing: string; draft: OpportunityDraft }>(this.key);
		if (saved) {
			this.editing = saved.editing;
			this.draft = saved.draft;
		}
	}

	private get key() {
		return `opportunity:${this.customerId}`;
	}

	persist() {
		if (this.editing)
			drafts.save(this.key, { editing: this.editing, draft: $state.snapshot(this.draft) });
	}

	bind(list: Opportunity[] | undefined) {
		if (this.editing && this.editing !== 'new' && !this.original) {
			this.original = list?.find((o) => o.id === this.editing);
		}
	}

	startNew(defaults: Partial<OpportunityDraft>) {
		this.original = undefined;
		this.editing = 'new';
		this.draft = { ...draftOf(), ...defaults };
		this.errors = {};
	}

	startEdit(row: Opportunity) {
		this.original = row;
		this.editing = row.id;
		this.draft = draftOf(row);
		this.errors = {};
	}

	cancel() {
		this.editing = null;
		this.errors = {};
		drafts.clear(this.key);
	}

	/** Returns the saved opportunity's id, or undefined when something is wrong. */
	async save(): Promise<string | undefined> {
		const id = this.editing === 'new' ? crypto.randomUUID() : this.editing;
		if (!id) return undefined;
		const checked = validateOpportunity({
			id,
			customerId: this.customerId,
			...valuesOf($state.snapshot(this.draft) as OpportunityDraft)
		});
		if (!checked.ok) {
			this.errors = checked.errors;
			return undefined;
		}
		this.busy = true;
		this.errors = {};
		try {
			if (this.editing === 'new') await engine.mutate('opportunity.create', checked.row);
			else {
				const patch = patchOf(this.original, checked.row, KEYS);
				if (Object.keys(patch).length) await engine.mutate('opportunity.update', { id, patch });
			}
			this.cancel();
			return id;
		} catch (e) {
			this.errors = formErrors(e);
			return undefined;
		} finally {
			this.busy = false;
		}
	}

	async remove(row: Opportunity) {
		if (!confirm(`¿Eliminar la oportunidad «${row.title}» y sus actuaciones?`)) return;
		try {
			await engine.mutate('opportunity.delete', { id: row.id });
			if (this.editing === row.id) this.cancel();
		} catch (e) {
			this.errors = formErrors(e);
		}
	}
}
