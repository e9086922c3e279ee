import { AppError } from '@enlace/shared';

/** Field errors by field name (a nested field by its path, `mercantil.socios`); `_` for the form. */
export type FormErrors = Record<string, string>;

/** Empty inputs mean "no value". */
export const blank = (v: unknown) => v === '' || v === undefined || v === null;

/** Two field values are the same when both are empty or their JSON is equal. */
export const sameValue = (a: unknown, b: unknown) =>
	(blank(a) && blank(b)) || JSON.stringify(a) === JSON.stringify(b);

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
		if (sameValue(draft[k], original?.[k])) continue;
		patch[k] = blank(draft[k]) ? null : draft[k];
	}
	return patch;
}

/** The values for a `*.create`: empty fields left out. */
export function valuesOf(draft: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(draft).filter(([, v]) => !blank(v)));
}

/**
 * A draft as a row's values: text trimmed, empty fields left out, except the `required` ones, kept
 * (as '') so the schema answers with the field's own message ("Indique el nombre…").
 */
export function trimmedValues(
	draft: Record<string, unknown>,
	required: readonly string[] = []
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(draft)) {
		const x = typeof v === 'string' ? v.trim() : v;
		if (!blank(x) || required.includes(k)) out[k] = x ?? '';
	}
	return out;
}

/** Whether a draft differs from the stored values in any of their fields. */
export function differs(draft: Record<string, unknown>, stored: Record<string, unknown>): boolean {
	return Object.keys(stored).some((k) => !sameValue(draft[k], stored[k]));
}

/**
 * A remote change (another device's edit, our own save landing) merged into a draft: every field
 * still equal to the version the draft started from (`base`) takes the new value; fields the user
 * has touched keep what they typed. Returns the merged draft; `next` becomes the new base.
 */
export function mergeUntouched<D extends Record<string, unknown>>(draft: D, base: D, next: D): D {
	const merged: Record<string, unknown> = { ...draft };
	for (const k of Object.keys(next)) {
		if (!(k in draft) || sameValue(draft[k], base[k])) merged[k] = next[k];
	}
	return merged as D;
}

/** Turn a thrown error into field errors (or a form-level one under `_`). */
export function formErrors(e: unknown): FormErrors {
	if (e instanceof AppError) return e.field ? { [e.field]: e.message } : { _: e.message };
	return { _: e instanceof Error ? e.message : String(e) };
}

/** The first message of a set of errors: for a place that shows one line (a row's delete). */
export const firstError = (errors: FormErrors) =>
	errors._ ?? Object.values(errors).find(Boolean) ?? '';

/** Move focus to the first invalid field so keyboard and screen-reader users land on it. */
export function focusFirstError(form: HTMLElement | undefined) {
	queueMicrotask(() =>
		form?.querySelector<HTMLElement>('.invalid input, .invalid select, .invalid textarea')?.focus()
	);
}

const isEmpty = (v: unknown) => v === '' || v === undefined || v === null;

/** The fields of a form that hold a value. */
export const filledKeys = (draft: Record<string, unknown>) =>
	new Set(Object.keys(draft).filter((k) => !isEmpty(draft[k])));

/**
 * Fill a new form's defaults that arrived late (RowEditor.propose): each field at most once,
 * only while empty; `settled` remembers the fields already decided and grows as they are.
 */
export function fillProposals(
	draft: Record<string, unknown>,
	settled: Set<string>,
	values: Record<string, unknown>
) {
	for (const [key, value] of Object.entries(values)) {
		if (settled.has(key) || isEmpty(value)) continue;
		settled.add(key);
		if (isEmpty(draft[key])) draft[key] = value;
	}
}
