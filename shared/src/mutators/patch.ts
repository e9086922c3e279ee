import { z } from 'zod';

/**
 * A patch of an object's editable fields: each optional, `null` clears it. Updates travel as the
 * fields that changed, so two people editing different fields of one row both win.
 */
export function patchSchema<S extends z.ZodRawShape>(object: z.ZodObject<S>) {
	const shape: Record<string, z.ZodType> = {};
	for (const [key, field] of Object.entries(object.shape)) {
		shape[key] = (field as z.ZodType).nullable().optional();
	}
	return z.object(shape).strict() as unknown as z.ZodObject<{
		[K in keyof S]: z.ZodOptional<z.ZodNullable<S[K]>>;
	}>;
}

/** Apply a patch: `null` deletes the key, `undefined` leaves it. */
export function applyPatch<T extends Record<string, unknown>>(
	row: T,
	patch: Record<string, unknown>
): T {
	const next: Record<string, unknown> = { ...row };
	for (const [key, value] of Object.entries(patch)) {
		if (value === null) delete next[key];
		else if (value !== undefined) next[key] = value;
	}
	return next as T;
}
