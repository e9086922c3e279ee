import { untrack } from 'svelte';
import { afterNavigate, beforeNavigate, goto } from '$app/navigation';
import { t } from '$lib/i18n/index.svelte';
import { appAsk } from './ask.svelte';
import { drafts } from './drafts';
import { hasErrors } from './validate';
import { differs, focusFirstError, formErrors, mergeUntouched, type FormErrors } from './values';

export type FormDraftOptions<D extends Record<string, unknown>> = {
	/** Where unsaved edits are kept on the device: `customer:<id>`, `operatorData:<id>`. */
	key: string;
	/** The stored values as the form's values, read reactively (a live query's row). */
	stored: () => D;
	/** False while the stored row is still loading: nothing is kept or merged until it is. */
	ready?: () => boolean;
};

/**
 * The draft lifecycle of a form over one stored record (Información general, Datos operadora,
 * Otros, Varios): load the stored values, keep unsaved edits on the device, merge remote changes
 * into the fields the user has not touched, confirm on leaving with changes, save, discard.
 * Construct it during a component's initialisation (it installs its effects and the
 * navigation guard there).
 */
export class FormDraft<D extends Record<string, unknown>> {
	draft = $state<D>({} as D);
	errors = $state<FormErrors>({});
	busy = $state(false);
	/** The confirmation of the last save ("Cambios guardados"), until the next edit. */
	done = $state('');
	/** The draft was found on the device (typed before a reload, a closed tab…). */
	restored = $state(false);
	/** The stored values the draft started from: a field still equal to them is untouched. */
	private base: D;

	constructor(private readonly o: FormDraftOptions<D>) {
		const stored = untrack(o.stored);
		const saved = drafts.load<D>(o.key);
		this.base = stored;
		this.draft = saved ? { ...stored, ...saved } : stored;
		this.restored = !!saved;

		$effect(() => {
			if (o.ready && !o.ready()) return;
			if (this.dirty) drafts.save(o.key, $state.snapshot(this.draft));
			else drafts.clear(o.key);
		});
		$effect(() => {
			const next = o.stored();
			untrack(() => {
				this.draft = mergeUntouched(this.draft, this.base, next);
				this.base = next;
			});
		});
		// Leaving with changes asks first, in the app's dialog: the navigation waits (cancelled,
		// then made again once the user says yes).
		let leaving = false;
		beforeNavigate((nav) => {
			// A page load (closing the tab, another site) asks nothing: the draft stays on the device.
			if (leaving || !this.dirty || this.busy || nav.willUnload) return;
			const to = nav.to?.url;
			const back = nav.type === 'popstate' ? nav.delta : undefined;
			nav.cancel();
			void appAsk
				.ask({
					title: t('¿Salir sin guardar?'),
					message: t('Los cambios se conservarán como borrador en este dispositivo.'),
					confirmLabel: t('Salir'),
					testid: 'confirm-leave'
				})
				.then((yes) => {
					if (!yes) return;
					leaving = true;
					if (back) history.go(back);
					else if (to) void goto(to);
				});
		});
		afterNavigate(() => (leaving = false));
	}

	/** The draft differs from the stored values. */
	get dirty(): boolean {
		return differs(this.draft, this.o.stored());
	}

	/** Back to the stored values, forgetting the draft kept on the device. */
	discard() {
		this.draft = untrack(this.o.stored);
		this.base = this.draft;
		this.errors = {};
		this.restored = false;
		drafts.clear(this.o.key);
	}

	/**
	 * Check, then save: `check` returns every invalid field at once; `save` sends the mutation and
	 * may return the confirmation to show. Errors land on their fields and focus goes to the first.
	 */
	async submit(o: {
		form?: HTMLElement;
		check?: () => FormErrors;
		save: () => Promise<string | void>;
		errorsOf?: (e: unknown) => FormErrors;
	}): Promise<boolean> {
		this.done = '';
		this.errors = o.check?.() ?? {};
		if (hasErrors(this.errors)) {
			focusFirstError(o.form);
			return false;
		}
		this.busy = true;
		try {
			this.done = (await o.save()) ?? '';
			drafts.clear(this.o.key);
			this.restored = false;
			return true;
		} catch (e) {
			this.errors = (o.errorsOf ?? formErrors)(e);
			focusFirstError(o.form);
			return false;
		} finally {
			this.busy = false;
		}
	}
}
