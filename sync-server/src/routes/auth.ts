import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError, LoginRequest, parseOrThrow } from '@enlace/shared';
import type { Db } from '../db/client';
import type { AppEnv } from '../http';
import { jsonBody } from '../http';
import { requireUser, SESSION_COOKIE, tokenOf } from '../auth/middleware';
import { verifyPassword } from '../auth/password';
import { createSession, deleteSession, findUserByEmail } from '../auth/sessions';

export function authRoutes(db: Db, sessionDays: number) {
	return new Hono<AppEnv>()
		.post('/auth/login', async (c) => {
			const { email, password } = parseOrThrow(LoginRequest, await jsonBody(c));
			const row = await findUserByEmail(db, email);
			const ok =
				row &&
				Number(row.active) === 1 &&
				(await verifyPassword(password, String(row.password_hash)));
			if (!row || !ok) {
				throw new AppError(
					'invalid-credentials',
					'Correo o contraseña incorrectos',
					undefined,
					401
				);
			}
			const token = await createSession(db, String(row.id), sessionDays);
			setCookie(c, SESSION_COOKIE, token, {
				httpOnly: true,
				sameSite: 'Lax',
				path: '/',
				secure: new URL(c.req.url).protocol === 'https:',
				maxAge: sessionDays * 86400
			});
			const user = {
				id: String(row.id),
				email: String(row.email),
				name: String(row.name),
				role: String(row.role)
			};
			return c.json({ token, user });
		})
		.post('/auth/logout', async (c) => {
			const token = tokenOf(c.req.header('authorization'), getCookie(c, SESSION_COOKIE));
			if (token) await deleteSession(db, token);
			deleteCookie(c, SESSION_COOKIE, { path: '/' });
			return c.json({ ok: true });
		})
		.get('/me', requireUser(db), (c) => c.json({ user: c.get('user') }));
}
