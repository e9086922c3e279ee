import type { Setting, SettingList } from '@enlace/shared';
import { db, engine } from '$lib/app.svelte';
import { drafts, formErrors, patchOf, valuesOf, type FormErrors } from '$lib/forms';

export type SettingDraft = {
	name: string;
	color: string;
	active: boolean;
	usesBank: boolean;
	isWallet: boolean;
	closed: '' | 'won' | 'lost';
};

/** Lists whose values carry a colour (shown as a badge wherever the value is shown). */
export const COLORED_LISTS: readonly SettingList[] = ['customerState', 'opportunityStage'];

/** The fields of a value that a list uses, besides name and active. */
export function extraKeys(list: SettingList): (keyof SettingDraft)[] {
	const keys: (keyof SettingDraft)[] = [];
	if (COLORED_LISTS.includes(list)) keys.push('color');
	if (list === 'paymentMethodType') keys.push('usesBank', 'isWallet');
	if (list === 'opportunityStage') keys.push('closed');
	return keys;
}

const emptyDraft = (): SettingDraft => ({
	name: '',
	color: '',
	active: true,
	usesBank: false,
	isWallet: false,
	closed: ''
});

export const COLOR_LABELS: Record<string, string> = {
	green: 'Verde',
	red: 'Rojo',
	orange: 'Naranja',
	blue: 'Azul',
	grey: 'Gris'
};

/** Where each list's values are used, to warn before deleting one that is in use. */
const USAGE: Record<SettingList, (id: string) => Promise<number>> = {
	customerState: (id) => db.customer.where('stateId').equals(id).count(),
	customerType: (id) => db.customer.where('typeId').equals(id).count(),
	sector: (id) => db.customer.filter((c) => c.sectorId === id).count(),
	origin: (id) => db.customer.filter((c) => c.originId === id).count(),
	contactRole: (id) => db.contactPerson.filter((p) => p.roleId === id).count(),
	historyAction: (id) => db.history.filter((h) => h.actionTypeId === id).count(),
	// Rows of issue #4's tabs point at these lists by these fields.
	paymentMethodType: (id) =>
		db.paymentMethod.filter((p) => (p as { typeId?: string }).typeId === id).count(),
	opportunityType: (id) =>
		db.opportunity.filter((o) => (o as { typeId?: string }).typeId === id).count(),
	opportunityStage: (id) =>
		db.opportunity.filter((o) => (o as { stageId?: string }).stageId === id).count()
};

const DRAFT_KEY = 'setting';

/**
 * Configuración › Parámetros: one value of one list edited at a time (a new one or an existing
 * one), saved as `setting.create` or a patch `setting.update`. Everything is a sync mutation, so
 * it works offline. The draft survives a reload until saved or cancelled.
 */
export class SettingsEditor {
	list = $state<SettingList | null>(null);
	/** 'new' or the id of the value being edited. */
	editing = $state<string | null>(null);
	draft = $state<SettingDraft>(emptyDraft());
	errors = $state<FormErrors>({});
	/** Errors of the one-click actions (move, activate), per list. */
	listErrors = $state<Partial<Record<SettingList, string>>>({});
	busy = $state(false);

	constructor(
		private readonly lookup: (id: string) => Setting | undefined,
		private readonly rows: (list: SettingList) => Setting[]
	) {
		const saved = drafts.load<{ list: SettingList; editing: string; draft: SettingDraft }>(
			DRAFT_KEY
		);
		if (saved) {
			this.list = saved.list;
			this.editing = saved.editing;
			this.draft = { ...emptyDraft(), ...saved.draft };
		}
	}

	persist() {
		if (this.editing && this.list) {
			drafts.save(DRAFT_KEY, {
				list: this.list,
				editing: this.editing,
				draft: $state.snapshot(this.draft)
			});
		}
	}

	isEditing(list: SettingList, id: string) {
		return this.list === list && this.editing === id;
	}

	private keys(list: SettingList): string[] {
		return ['name', 'active', ...extraKeys(list)];
	}

	startNew(list: SettingList) {
		this.list = list;
		this.editing = 'new';
		this.draft = { ...emptyDraft(), color: COLORED_LISTS.includes(list) ? 'blue' : '' };
		this.errors = {};
	}

	startEdit(row: Setting) {
		this.list = row.list;
		this.editing = row.id;
		this.draft = {
			name: row.name,
			color: row.color ?? '',
			active: row.active,
			usesBank: row.usesBank ?? false,
			isWallet: row.isWallet ?? false,
			closed: row.closed ?? ''
		};
		this.errors = {};
	}

	cancel() {
		this.list = null;
		this.editing = null;
		this.errors = {};
		drafts.clear(DRAFT_KEY);
	}

	async save(): Promise<boolean> {
		const list = this.list;
		if (!list || !this.editing) return false;
		this.busy = true;
		this.errors = {};
		try {
			const name = this.draft.name.trim();
			const twin = this.rows(list).find(
				(s) => s.id !== this.editing && s.name.trim().toLowerCase() === name.toLowerCase()
			);
			if (name && twin) {
				this.errors = { name: `Ya existe «${twin.name}» en esta lista` };
				return false;
			}
			const draft: Record<string, unknown> = { ...$state.snapshot(this.draft), name };
			if (this.editing === 'new') {
				const orders = this.rows(list).map((s) => s.order);
				const values = valuesOf(Object.fromEntries(this.keys(list).map((k) => [k, draft[k]])));
				await engine.mutate('setting.create', {
					id: crypto.randomUUID(),
					list,
					...values,
					name,
					order: orders.length ? Math.max(...orders) + 1 : 0
				});
			} else {
				const original = this.lookup(this.editing);
				if (!original) {
					this.errors = { _: 'Este valor ya no existe (puede que otra persona lo haya eliminado)' };
					return false;
				}
				const patch = patchOf(original, draft, this.keys(list));
				if (Object.keys(patch).length) {
					await engine.mutate('setting.update', { id: this.editing, patch });
				}
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

	private async run(list: SettingList, fn: () => Promise<unknown>) {
		this.listErrors = { ...this.listErrors, [list]: undefined };
		try {
			await fn();
		} catch (e) {
			const errs = formErrors(e);
			this.listErrors = { ...this.listErrors, [list]: Object.values(errs)[0] };
		}
	}

	setActive(row: Setting, active: boolean) {
		return this.run(row.list, () =>
			engine.mutate('setting.update', { id: row.id, patch: { active } })
		);
	}

	/** Swap a value with its neighbour: two `setting.update`s of `order`. */
	move(row: Setting, delta: -1 | 1) {
		return this.run(row.list, async () => {
			const rows = this.rows(row.list);
			const i = rows.findIndex((s) => s.id === row.id);
			const other = rows[i + delta];
			if (i < 0 || !other) return;
			if (other.order !== row.order) {
				await engine.mutate('setting.update', { id: row.id, patch: { order: other.order } });
				await engine.mutate('setting.update', { id: other.id, patch: { order: row.order } });
				return;
			}
			// Two values with the same order cannot be swapped: number the whole list again.
			const next = [...rows];
			[next[i], next[i + delta]] = [next[i + delta], next[i]];
			const base = Math.min(...rows.map((s) => s.order));
			for (const [k, s] of next.entries()) {
				if (s.order !== base + k) {
					await engine.mutate('setting.update', { id: s.id, patch: { order: base + k } });
				}
			}
		});
	}

	/** Delete after a confirmation that says how many records use it and suggests deactivating. */
	async remove(row: Setting): Promise<boolean> {
		const used = await USAGE[row.list](row.id).catch(() => 0);
		const question = used
			? `«${row.name}» está en uso en ${used.toLocaleString('es-ES')} ${used === 1 ? 'registro' : 'registros'}. ` +
				'Si lo elimina, esos registros se quedarán sin este valor.\n\n' +
				'Es mejor desactivarlo: deja de ofrecerse en los formularios y los clientes que ya lo tienen lo conservan.\n\n' +
				'¿Eliminarlo de todas formas?'
			: `¿Eliminar «${row.name}»?\n\n` +
				'Si alguna vez se ha usado, es mejor desactivarlo: deja de ofrecerse en los formularios y los clientes que ya lo tienen lo conservan.';
		if (!confirm(question)) return false;
		try {
			await engine.mutate('setting.delete', { id: row.id });
			if (this.editing === row.id) this.cancel();
			return true;
		} catch (e) {
			this.errors = formErrors(e);
			return false;
		}
	}
}
