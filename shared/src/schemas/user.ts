import { z } from 'zod';
import { Id } from './common';
import { ROLES } from './roles';

export { ROLES, ROLE_LABELS } from './roles';
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** The public face of a user: what every device may know (no password, no sessions). */
export const User = z.object({
	id: Id,
	email: z.string().email('El correo electrónico no es válido').max(254),
	name: z.string().trim().min(1, 'Indique el nombre').max(120),
	role: Role,
	active: z.boolean()
});
export type User = z.infer<typeof User>;

export const Password = z
	.string()
	.min(10, 'La contraseña debe tener al menos 10 caracteres')
	.max(200, 'Contraseña demasiado larga');

export const UserCreate = User.omit({ id: true, active: true }).extend({ password: Password });
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = z
	.object({
		name: User.shape.name,
		role: Role,
		active: z.boolean(),
		password: Password
	})
	.partial()
	.strict();
export type UserUpdate = z.infer<typeof UserUpdate>;

export const LoginRequest = z.object({
	email: z.string().trim().min(1, 'Indique el correo').max(254),
	password: z.string().min(1, 'Indique la contraseña').max(200)
});
export type LoginRequest = z.infer<typeof LoginRequest>;
