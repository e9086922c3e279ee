import { engine } from '$lib/app.svelte';
import { formErrors, patchOf, type FormErrors } from '$lib/forms';

/**
 * Add / edit / delete of global rows (IP pools, tariffs): one draft at a time, saved as
 * `<entity>.create` (the whole row) or a patch `<entity>.update`, errors per field. `toRow` turns
 * the inputs' text into the row's types (euros → cents…) or reports field errors.
 */
export class RowEditor<T extends { id: string }, D extends Record<string, unknown>> {
	editing = $state<string | null>(null);
	draft = $state<D>({} as D);
	errors = $state<FormErrors>({});
	busy = $state(false);
	/** Errors of a row's delete button, by row id. */
	rowErrors = $state<Record<string, string>>({});
	private original: Record<string, unknown> | undefined;

	constructor(
		private readonly entity: string,
		private readonly keys: readonly string[],
		private readonly toDraft: (row: T | undefined) => D,
		private readonly toRow: (draft: D) => { row: Record<string, unknown> } | { errors: FormErrors }
	) {}

	startNew(extra: Partial<D> = {}) {
		this.original = undefined;
		this.editing = 'new';
		this.draft = { ...this.toDraft(undefined), ...extra };
		this.errors = {};
	}

	startEdit(row: T) {
		const converted = this.toRow(this.toDraft(row));
		this.original = 'row' in converted ? converted.row : undefined;
		this.editing = row.id;
		this.draft = this.toDraft(row);
		this.errors = {};
	}

	cancel() {
		this.editing = null;
		this.errors = {};
	}

	/** Clear a field's error as soon as it is edited. */
	touched(name: string | undefined) {
		if (name && this.errors[name]) this.errors = { ...this.errors, [name]: '' };
	}

	async save(extra: Record<string, unknown> = {}): Promise<boolean> {
		this.errors = {};
		const converted = this.toRow($state.snapshot(this.draft) as D);
		if ('errors' in converted) {
			this.errors = converted.errors;
			return false;
		}
		this.busy = true;
		try {
			if (this.editing === 'new') {
				await engine.mutate(`${this.entity}.create`, {
					id: crypto.randomUUID(),
					...converted.row,
					...extra
				});
			} else if (this.editing) {
				const patch = patchOf(this.original, converted.row, this.keys);
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

	async remove(id: string, question: string): Promise<void> {
		if (!confirm(question)) return;
		this.rowErrors = { ...this.rowErrors, [id]: '' };
		try {
			await engine.mutate(`${this.entity}.delete`, { id });
			if (this.editing === id) this.cancel();
		} catch (e) {
			const errors = formErrors(e);
			this.rowErrors = { ...this.rowErrors, [id]: errors._ ?? Object.values(errors)[0] ?? '' };
		}
	}
}
