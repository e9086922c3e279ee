/**
 * The roles and their names, without zod: the app's header shows the signed-in role on its first
 * screen, which loads no schema (user.ts re-exports these beside the `Role` schema).
 */
export const ROLES = ['admin', 'office', 'technician'] as const;

export const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
	admin: 'Administrador',
	office: 'Oficina',
	technician: 'Técnico'
};
