import { engine } from '$lib/app.svelte';
import { drafts, formErrors, patchOf, toDraft, valuesOf, type FormErrors } from '$lib/forms';

/**
 * Add / edit / delete of a customer's child rows (addresses, contact people…): one draft at a
 * time, saved as `<entity>.create` or a patch `<entity>.update`, errors kept per field.
 * The draft survives a reload (localStorage) until saved or cancelled.
 */
export class ChildEditor<T extends { id: string }> {
	editing = $state<string | null>(null);
	draft = $state<Record<string, unknown>>({});
	errors = $state<FormErrors>({});
	busy = $state(false);
	private original: T | undefined;

	constructor(
		private readonly entity: string,
		private readonly customerId: string,
		private readonly keys: readonly string[],
		private readonly defaults: () => Record<string, unknown> = () => ({})
	) {
		const saved = drafts.load<{ editing: string; draft: Record<string, unknown> }>(this.draftKey);
		if (saved) {
			this.editing = saved.editing;
			this.draft = saved.draft;
		}
	}

	private get draftKey() {
		return `${this.entity}:${this.customerId}`;
	}

	persist() {
		if (this.editing)
			drafts.save(this.draftKey, { editing: this.editing, draft: $state.snapshot(this.draft) });
	}

	startNew() {
		this.original = undefined;
		this.editing = 'new';
		this.draft = { ...toDraft(undefined, this.keys), ...this.defaults() };
		this.errors = {};
	}

	startEdit(row: T) {
		this.original = row;
		this.editing = row.id;
		this.draft = toDraft(row, this.keys);
		this.errors = {};
	}

	cancel() {
		this.editing = null;
		this.errors = {};
		drafts.clear(this.draftKey);
	}

	/** For a draft restored after reload, the row it edits. */
	bind(rows: T[] | undefined) {
		if (this.editing && this.editing !== 'new' && !this.original) {
			this.original = rows?.find((r) => r.id === this.editing);
		}
	}

	async save(): Promise<boolean> {
		this.busy = true;
		this.errors = {};
		try {
			if (this.editing === 'new') {
				await engine.mutate(`${this.entity}.create`, {
					id: crypto.randomUUID(),
					customerId: this.customerId,
					...valuesOf(this.draft)
				});
			} else if (this.editing) {
				const patch = patchOf(
					this.original as Record<string, unknown> | undefined,
					this.draft,
					this.keys
				);
				if (Object.keys(patch).length)
					await engine.mutate(`${this.entity}.update`, { id: this.editing, patch });
			}
			this.cancel();
			return true;
		} catch (e) {
			this.errors = formErrors(e);
			return false;
		} finally {
			this.busy = false;
		}
	}

	async remove(id: string, question: string) {
		if (!confirm(question)) return;
		try {
			await engine.mutate(`${this.entity}.delete`, { id });
			if (this.editing === id) this.cancel();
		} catch (e) {
			this.errors = formErrors(e);
		}
	}
}
