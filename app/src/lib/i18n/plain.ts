/**
 * The app's `t()` and `msg()` without the language rune: Spanish, with `{name}` filled in. Unit
 * tests run under plain vitest, which cannot run `index.svelte.ts`, and mock it with this module:
 * `vi.mock('$lib/i18n/index.svelte', () => import('<relative path>/i18n/plain'))`.
 */
export const t = (es: string, vars?: Record<string, string | number>): string =>
	Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), es);

export const msg = (es: string): string => es;
