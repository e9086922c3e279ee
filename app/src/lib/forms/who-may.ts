import { MUTATORS, ROLE_LABELS, ROLES, type Role } from '@enlace/shared';

type Translate = (es: string, vars?: Record<string, string | number>) => string;

/** Spanish as it is, with `{name}` replaced: what `t` does when no translation is asked for. */
const spanish: Translate = (es, vars) =>
	Object.entries(vars ?? {}).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), es);

/** The profiles a mutation accepts, read from its own rule in shared (the server applies it too). */
export function rolesOf(mutation: string): readonly Role[] {
	return MUTATORS.get(mutation)?.roles ?? ['admin'];
}

/**
 * The notice for someone whose profile cannot change a page, naming who can from the mutation's
 * rule, so the screen never says "only an administrator" of what an office user may change too.
 * `what` is Spanish with its article ("las tarifas"); `t` translates (the app's `t`).
 */
export function whoMayChange(mutation: string, what: string, t: Translate = spanish): string {
	const roles = ROLES.filter((r) => rolesOf(mutation).includes(r));
	if (roles.length === 1 && roles[0] === 'admin')
		return t('Solo un administrador puede cambiar {what}.', { what: t(what) });
	const names = roles.map((r) => t(ROLE_LABELS[r]));
	return t('Solo los perfiles {roles} pueden cambiar {what}.', {
		roles:
			names.length > 1 ? `${names.slice(0, -1).join(', ')} ${t('y')} ${names.at(-1)}` : names[0],
		what: t(what)
	});
}
