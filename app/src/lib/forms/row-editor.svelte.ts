import { engine } from '$lib/app.svelte';
import { t } from '$lib/i18n/index.svelte';
import { appAsk } from './ask.svelte';
import { drafts } from './drafts';
import { rowChange } from './rows';
import type { RowCheck } from './validate';
import { filledKeys, fillProposals, firstError, formErrors, type FormErrors } from './values';

export type RowEditorOptions<T extends { id: string }, D extends Record<string, unknown>> = {
	/** The mutations' prefix: `address` → `address.create`, `.update`, `.delete`. */
	entity: string;
	/** The row's fields compared to build an update's patch. */
	keys: readonly string[];
	/** The stored row as the form's values (text for inputs); no row: an empty form. */
	toDraft: (row: T | undefined) => D;
	/**
	 * The form's values as the row's fields, or every invalid field at once (`checkWith` with a
	 * shared zod schema). Default: the values as they are, the mutation checks them.
	 */
	toRow?: (draft: D, id: string) => RowCheck;
	/** The id of a new row; default a UUID (custom fields need shorter ones). */
	newId?: () => string;
	/** Fields added to every create: `{ customerId }`. */
	extra?: () => Record<string, unknown>;
	/** When set, the draft is kept on the device under this key until saved or cancelled. */
	draftKey?: string;
	/**
	 * Where the mutations go; default the sync engine. A form that creates its parent in the same
	 * save (a new customer's addresses) queues them instead.
	 */
	send?: (name: string, args: unknown) => Promise<unknown>;
	/** How an update's patch is built; default: the changed `keys`, '' → null. */
	patch?: (
		original: Record<string, unknown> | undefined,
		row: Record<string, unknown>
	) => Record<string, unknown>;
};

/**
 * One row of a list created or edited at a time (addresses, contact people, payment methods,
 * opportunities, companies, tariffs, IP pools…): a draft, its errors per field, `save()` as
 * `<entity>.create` or an `<entity>.update` of what changed, `remove()` after a confirmation with
 * its error kept per row.
 *
 * In a component: `$effect(() => ed.bind(rows.current))` (a draft restored after a reload finds
 * the row it edits) and `$effect(() => ed.persist())` when `draftKey` is set.
 */
export class RowEditor<
	T extends { id: string },
	D extends Record<string, unknown> = Record<string, unknown>
> {
	/** 'new', the id of the row being edited, or null. */
	editing = $state<string | null>(null);
	draft = $state<D>({} as D);
	errors = $state<FormErrors>({});
	busy = $state(false);
	/** Errors of a row's own buttons (delete, make default…), by row id. */
	rowErrors = $state<Record<string, string>>({});
	private original: Record<string, unknown> | undefined;
	private restoredId: string | null = null;
	/** Fields of a new row `propose` no longer fills: they had a value or were proposed once. */
	private settled = new Set<string>();

	constructor(private readonly o: RowEditorOptions<T, D>) {
		const saved = o.draftKey ? drafts.load<{ editing: string; draft: D }>(o.draftKey) : undefined;
		if (saved?.editing) {
			this.editing = saved.editing;
			this.draft = { ...o.toDraft(undefined), ...saved.draft };
			// What the user left in a restored draft, empty or not, is theirs.
			this.settled = new Set(Object.keys(this.draft));
			if (saved.editing !== 'new') this.restoredId = saved.editing;
		}
	}

	private send(name: string, args: unknown) {
		return this.o.send ? this.o.send(name, args) : engine.mutate(name, args);
	}

	/** The row as its own draft would check: unchanged fields then compare equal. */
	private comparable(row: T): Record<string, unknown> {
		const checked = this.toRow(this.o.toDraft(row), row.id);
		return 'row' in checked ? checked.row : (row as Record<string, unknown>);
	}

	private toRow(draft: D, id: string): RowCheck {
		return this.o.toRow ? this.o.toRow(draft, id) : { row: { ...draft } };
	}

	/** For a draft restored after a reload, the row it edits. */
	bind(rows: readonly T[] | undefined) {
		if (!this.restoredId || !rows) return;
		const row = rows.find((r) => r.id === this.restoredId);
		if (row) this.original = this.comparable(row);
		this.restoredId = null;
	}

	persist() {
		if (!this.o.draftKey) return;
		if (this.editing)
			drafts.save(this.o.draftKey, { editing: this.editing, draft: $state.snapshot(this.draft) });
	}

	isEditing(id: string) {
		return this.editing === id;
	}

	startNew(values: Partial<D> = {}) {
		this.original = undefined;
		this.editing = 'new';
		this.draft = { ...this.o.toDraft(undefined), ...values };
		this.settled = filledKeys(this.draft);
		this.errors = {};
	}

	/**
	 * Defaults of a new row that can arrive after its form opened: on a device's first sync the
	 * settings (a payment type, an opportunity's first stage) may reach it after the user pressed
	 * "Nuevo". Each field is filled once, only while still empty, never over the user's choice.
	 * In a component: `$effect(() => ed.propose({ stageId: firstStage() }))`.
	 */
	propose(values: Partial<D>) {
		if (this.editing === 'new') fillProposals(this.draft, this.settled, values);
	}

	startEdit(row: T) {
		this.original = this.comparable(row);
		this.editing = row.id;
		this.draft = this.o.toDraft(row);
		this.errors = {};
	}

	cancel() {
		this.editing = null;
		this.errors = {};
		if (this.o.draftKey) drafts.clear(this.o.draftKey);
	}

	/** Clear a field's error as soon as it is edited. */
	touched(name: string | undefined) {
		if (name && this.errors[name]) this.errors = { ...this.errors, [name]: '' };
	}

	/** Check everything, then send. The saved row's id, or undefined when something is wrong. */
	async save(extra: Record<string, unknown> = {}): Promise<string | undefined> {
		const editing = this.editing;
		if (!editing) return undefined;
		const id = editing === 'new' ? (this.o.newId?.() ?? crypto.randomUUID()) : editing;
		this.errors = {};
		const checked = this.toRow($state.snapshot(this.draft) as D, id);
		if ('errors' in checked) {
			this.errors = checked.errors;
			return undefined;
		}
		const change = rowChange({
			editing,
			id,
			row: checked.row,
			original: this.original,
			keys: this.o.keys,
			extra: { ...this.o.extra?.(), ...extra },
			patch: this.o.patch
		});
		this.busy = true;
		try {
			if (change.kind !== 'none') await this.send(`${this.o.entity}.${change.kind}`, change.args);
			this.cancel();
			return id;
		} catch (e) {
			this.errors = formErrors(e);
			return undefined;
		} finally {
			this.busy = false;
		}
	}

	/** A one-click change of a row (make default, activate…), its error kept on that row. */
	async run(id: string, action: () => Promise<unknown>): Promise<boolean> {
		this.rowErrors = { ...this.rowErrors, [id]: '' };
		try {
			await action();
			return true;
		} catch (e) {
			this.rowErrors = { ...this.rowErrors, [id]: firstError(formErrors(e)) };
			return false;
		}
	}

	/** Delete after the user confirms `question`; a refusal shows on that row. */
	async remove(id: string, question: string): Promise<boolean> {
		const yes = await appAsk.ask({
			title: question,
			confirmLabel: t('Eliminar'),
			danger: true,
			testid: 'confirm-remove'
		});
		if (!yes) return false;
		const done = await this.run(id, () => this.send(`${this.o.entity}.delete`, { id }));
		if (done && this.editing === id) this.cancel();
		return done;
	}
}
