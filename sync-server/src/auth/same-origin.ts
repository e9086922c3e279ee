import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { AppError } from '@enlace/shared';
import type { AppEnv } from '../http';
import { publicHost } from '../http';
import { SESSION_COOKIE } from './middleware';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const isJson = (contentType: string | undefined) =>
	contentType?.split(';')[0].trim().toLowerCase() === 'application/json';

function originHost(origin: string): string | undefined {
	try {
		return new URL(origin).host.toLowerCase();
	} catch {
		return undefined; // `null` (sandboxed frames, some redirects) or garbage
	}
}

/**
 * A browser sends the session cookie with a form posted from any site, and a `text/plain` form
 * needs no preflight. So a request that changes something without a bearer token must come from
 * this server's own origin (the browser's `Origin`, required when the cookie is sent) and be JSON,
 * which a cross-site form cannot send. Bearer tokens (agent, scripts, tests) are not sent by
 * browsers on their own and are left alone.
 */
export const sameOriginForCookies = (trustProxy: boolean) =>
	createMiddleware<AppEnv>(async (c, next) => {
		if (SAFE_METHODS.has(c.req.method) || /^Bearer\s/i.test(c.req.header('authorization') ?? '')) {
			return next();
		}
		const origin = c.req.header('origin');
		const withCookie = getCookie(c, SESSION_COOKIE) !== undefined;
		if (origin !== undefined || withCookie) {
			const host = publicHost(c, trustProxy);
			if (!origin || !host || originHost(origin) !== host) {
				throw new AppError(
					'cross-origin',
					'Petición rechazada: no viene de la propia aplicación',
					undefined,
					403
				);
			}
		}
		if (!isJson(c.req.header('content-type'))) {
			throw new AppError(
				'unsupported-media-type',
				'El cuerpo de la petición debe ser JSON (application/json)',
				undefined,
				415
			);
		}
		await next();
	});
