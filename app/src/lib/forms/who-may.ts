import { MUTATORS, ROLE_LABELS, ROLES, type Role } from '@enlace/shared';
import { t } from '$lib/i18n/index.svelte';

/** The profiles a mutation accepts, read from its own rule in shared (the server applies it too). */
export function rolesOf(mutation: string): readonly Role[] {
	return MUTATORS.get(mutation)?.roles ?? ['admin'];
}

/**
 * Each settings page's notice, by the mutation that guards it, as whole sentences: a phrase set
 * into a shared sentence ("cambiar {what}") reads badly once translated.
 */
const ADMIN_ONLY = {
	'tariff.create': 'Solo un administrador puede cambiar las tarifas.',
	'ipPool.create': 'Solo un administrador puede cambiar los pools de IP.',
	'setting.create': 'Solo un administrador puede cambiar los parámetros.',
	'customField.create': 'Solo un administrador puede cambiar los campos personalizados.',
	'companyProfile.save': 'Solo un administrador puede cambiar los datos de la empresa.',
	'renewalPackage.create': 'Solo un administrador puede cambiar los paquetes de renovación.',
	'equipmentProduct.create': 'Solo un administrador puede cambiar el catálogo de equipos.'
} as const;
const SOME_PROFILES: Record<keyof typeof ADMIN_ONLY, string> = {
	'tariff.create': 'Solo los perfiles {roles} pueden cambiar las tarifas.',
	'ipPool.create': 'Solo los perfiles {roles} pueden cambiar los pools de IP.',
	'setting.create': 'Solo los perfiles {roles} pueden cambiar los parámetros.',
	'customField.create': 'Solo los perfiles {roles} pueden cambiar los campos personalizados.',
	'companyProfile.save': 'Solo los perfiles {roles} pueden cambiar los datos de la empresa.',
	'renewalPackage.create': 'Solo los perfiles {roles} pueden cambiar los paquetes de renovación.',
	'equipmentProduct.create': 'Solo los perfiles {roles} pueden cambiar el catálogo de equipos.'
};

export type GuardedPage = keyof typeof ADMIN_ONLY;

/**
 * The notice for someone whose profile cannot change a page, naming who can from the mutation's
 * rule, so the screen never says "only an administrator" of what an office user may change too.
 */
export function whoMayChange(mutation: GuardedPage): string {
	const roles = ROLES.filter((r) => rolesOf(mutation).includes(r));
	if (roles.length === 1 && roles[0] === 'admin') return t(ADMIN_ONLY[mutation]);
	const names = roles.map((r) => t(ROLE_LABELS[r]));
	return t(SOME_PROFILES[mutation], {
		roles:
			names.length > 1 ? `${names.slice(0, -1).join(', ')} ${t('y')} ${names.at(-1)}` : names[0]
	});
}
