import type { ZodType } from 'zod';
import type { FormErrors } from './values';

/** A checked row, or every invalid field at once. */
export type RowCheck<R = Record<string, unknown>> = { row: R } | { errors: FormErrors };

/**
 * Every invalid field of `value` against a shared zod schema at once (not the first), keyed by
 * its path (`cif`, `mercantil.socios`); the first message per field wins.
 */
export function checkWith<R>(schema: ZodType<R>, value: unknown): RowCheck<R> {
	const r = schema.safeParse(value);
	if (r.success) return { row: r.data };
	const errors: FormErrors = {};
	for (const issue of r.error.issues)
		errors[issue.path.map(String).join('.') || '_'] ??= issue.message;
	return { errors };
}

/**
 * Each field's own rule (a zod object's shape), for flat forms: an empty optional field is simply
 * absent, an empty required one gets its own message. `keys` defaults to the whole shape.
 */
export function fieldErrors(
	shape: Record<string, ZodType>,
	draft: Record<string, unknown>,
	keys: readonly string[] = Object.keys(shape)
): FormErrors {
	const found: FormErrors = {};
	for (const k of keys) {
		const rule = shape[k];
		if (!rule) continue;
		if (draft[k] === '' && rule.safeParse(undefined).success) continue;
		const r = rule.safeParse(draft[k]);
		if (!r.success) found[k] = r.error.issues[0].message;
	}
	return found;
}

/** Errors with a message (an edited field's cleared error is ''). */
export const hasErrors = (errors: FormErrors) => Object.values(errors).some(Boolean);
