import { AppError } from '@enlace/shared';

export type FormErrors = Record<string, string>;

/** Empty inputs mean "no value". */
export const blank = (v: unknown) => v === '' || v === undefined || v === null;

/** A row's form values: strings for inputs, the rest as they are. */
export function toDraft<T extends Record<string, unknown>>(
	row: T | undefined,
	keys: readonly string[]
) {
	const d: Record<string, unknown> = {};
	for (const k of keys) d[k] = row?.[k] ?? '';
	return d;
}

/** The fields the user changed: new value, or null to clear. What a `*.update` mutation takes. */
export function patchOf(
	original: Record<string, unknown> | undefined,
	draft: Record<string, unknown>,
	keys: readonly string[]
): Record<string, unknown> {
	const patch: Record<string, unknown> = {};
	for (const k of keys) {
		const before = original?.[k];
		const after = draft[k];
		if (blank(after) && blank(before)) continue;
		if (JSON.stringify(after) === JSON.stringify(before)) continue;
		patch[k] = blank(after) ? null : after;
	}
	return patch;
}

/** The values for a `*.create`: empty fields left out. */
export function valuesOf(draft: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(draft).filter(([, v]) => !blank(v)));
}

/** Turn a thrown error into field errors (or a form-level one under `_`). */
export function formErrors(e: unknown): FormErrors {
	if (e instanceof AppError) return e.field ? { [e.field]: e.message } : { _: e.message };
	return { _: e instanceof Error ? e.message : String(e) };
}

/** Move focus to the first invalid field so keyboard and screen-reader users land on it. */
export function focusFirstError(form: HTMLElement | undefined) {
	queueMicrotask(() =>
		form?.querySelector<HTMLElement>('.invalid input, .invalid select, .invalid textarea')?.focus()
	);
}

/**
 * Drafts survive a closed tab, a reload or a dead battery: what the user typed is kept in
 * localStorage until it is saved or explicitly discarded.
 */
export const drafts = {
	load<T>(key: string): T | undefined {
		const raw = localStorage.getItem(`enlace-draft:${key}`);
		return raw ? (JSON.parse(raw) as T) : undefined;
	},
	save(key: string, value: unknown) {
		localStorage.setItem(`enlace-draft:${key}`, JSON.stringify(value));
	},
	clear(key: string) {
		localStorage.removeItem(`enlace-draft:${key}`);
	}
};
