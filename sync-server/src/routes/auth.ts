import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError, LoginRequest, parseOrThrow } from '@enlace/shared';
import type { Db } from '../db/client';
import type { AppEnv } from '../http';
import { clientAddress, jsonBody, publicScheme } from '../http';
import { requireUser, SESSION_COOKIE, tokenOf } from '../auth/middleware';
import { hashPassword, verifyPassword } from '../auth/password';
import { createSession, deleteSession, findUserByEmail } from '../auth/sessions';
import { LoginThrottle } from '../auth/throttle';

/** How sign-in guards itself; the defaults are config.ts's. */
export type LoginSettings = {
	sessionDays: number;
	loginFailuresPerAccount: number;
	loginFailuresPerIp: number;
	loginWindowMinutes: number;
	trustProxy: boolean;
	cookieSecure: boolean;
};

// An unknown or inactive email is checked against this hash, so the answer takes the same scrypt
// work and time as a wrong password and does not tell which emails exist.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(18).toString('base64url')));

export function authRoutes(db: Db, settings: LoginSettings) {
	const { sessionDays, trustProxy } = settings;
	const throttle = new LoginThrottle({
		perAccount: settings.loginFailuresPerAccount,
		perIp: settings.loginFailuresPerIp,
		windowMs: settings.loginWindowMinutes * 60_000
	});
	void dummy();
	return new Hono<AppEnv>()
		.post('/auth/login', async (c) => {
			const { email, password } = parseOrThrow(LoginRequest, await jsonBody(c));
			const ip = clientAddress(c, trustProxy);
			const wait = throttle.retryAfter(ip, email);
			if (wait > 0) {
				c.header('retry-after', String(wait));
				throw new AppError(
					'too-many-attempts',
					`Demasiados intentos fallidos: vuelva a probar dentro de ${Math.ceil(wait / 60)} min`,
					undefined,
					429
				);
			}
			const row = await findUserByEmail(db, email);
			const matches = await verifyPassword(
				password,
				row ? String(row.password_hash) : await dummy()
			);
			if (!row || Number(row.active) !== 1 || !matches) {
				throttle.failed(ip, email);
				throw new AppError(
					'invalid-credentials',
					'Correo o contraseña incorrectos',
					undefined,
					401
				);
			}
			throttle.succeeded(email);
			const token = await createSession(db, String(row.id), sessionDays);
			setCookie(c, SESSION_COOKIE, token, {
				httpOnly: true,
				sameSite: 'Lax',
				path: '/',
				secure: settings.cookieSecure || publicScheme(c, trustProxy) === 'https',
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
