import { UserCreate, UserUpdate, type Role, type User } from '@enlace/shared';
import { checkWith, type RowCheck } from '../../../forms/validate';
import { t } from '$lib/i18n/index.svelte';

/** What the user form edits: a new user, a user's name and profile, or a user's password. */
export type UserFormKind = 'new' | 'edit' | 'password';

export type UserDraft = { name: string; email: string; role: Role; password: string };

export const userDraft = (u?: User): UserDraft => ({
	name: u?.name ?? '',
	email: u?.email ?? '',
	role: u?.role ?? 'technician',
	password: ''
});

/**
 * The request the form sends, or every invalid field at once (the server stops at the first),
 * with the shared schemas' Spanish messages: a whole `UserCreate`, or a `UserUpdate` of what
 * changed (the new password alone when changing it).
 */
export function userRequest(kind: UserFormKind, d: UserDraft, user?: User): RowCheck {
	if (kind === 'new') {
		const checked = checkWith(UserCreate, { ...d, email: d.email.trim() });
		// An empty email reads as "not valid" in the schema; say what is missing instead.
		if ('errors' in checked && !d.email.trim())
			checked.errors.email = t('Indique el correo electrónico');
		return checked;
	}
	const patch: Record<string, unknown> = {};
	if (kind === 'password') patch.password = d.password;
	else {
		if (d.name.trim() !== user?.name) patch.name = d.name;
		if (d.role !== user?.role) patch.role = d.role;
	}
	return checkWith(UserUpdate, patch);
}
