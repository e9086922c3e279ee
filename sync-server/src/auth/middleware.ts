import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError, type Role } from '@enlace/shared';
import type { Db } from '../db/client';
import type { AppEnv } from '../http';
import { sessionUser } from './sessions';

export const SESSION_COOKIE = 'enlace_session';

export function tokenOf(
	authorization: string | undefined,
	cookie: string | undefined
): string | undefined {
	const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
	return bearer ?? cookie;
}

/** A session by `Authorization: Bearer` or the httpOnly cookie; roles narrow it further. */
export const requireUser = (db: Db, roles?: readonly Role[]) =>
	createMiddleware<AppEnv>(async (c, next) => {
		const token = tokenOf(c.req.header('authorization'), getCookie(c, SESSION_COOKIE));
		const user = token ? await sessionUser(db, token) : undefined;
		if (!user) throw new AppError('unauthorized', 'Inicie sesión para continuar', undefined, 401);
		if (roles && !roles.includes(user.role)) {
			throw new AppError('forbidden', 'Su perfil no permite esta acción', undefined, 403);
		}
		c.set('user', user);
		await next();
	});
