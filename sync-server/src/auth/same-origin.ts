import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '@enlace/shared';
import type { AppEnv } from '../http';
import { publicHost } from '../http';

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
 * Whether a browser says this request comes from another site. `Sec-Fetch-Site` (set by the browser
 * itself) decides when present; else `Origin` must be this server's host; a request with neither
 * comes from no browser (scripts, Playwright's request context) and is not a cross-site form.
 */
function crossSite(c: Context<AppEnv>, trustProxy: boolean): boolean {
	const site = c.req.header('sec-fetch-site');
	if (site !== undefined) return site !== 'same-origin' && site !== 'none';
	const origin = c.req.header('origin');
	if (origin === undefined) return false;
	const host = publicHost(c, trustProxy);
	return !host || originHost(origin) !== host;
}

/**
 * A browser sends the session cookie with a form posted from any site (another port of the same
 * host included), and a `text/plain` form needs no preflight. So a request that changes something
 * without a bearer token must not come from another site, and must be JSON, which a form cannot
 * send. Bearer tokens (agent, scripts, tests) are never added by a browser on its own and are
 * left alone.
 */
export const sameOriginForCookies = (trustProxy: boolean) =>
	createMiddleware<AppEnv>(async (c, next) => {
		if (SAFE_METHODS.has(c.req.method) || /^Bearer\s/i.test(c.req.header('authorization') ?? '')) {
			return next();
		}
		if (crossSite(c, trustProxy)) {
			throw new AppError(
				'cross-origin',
				'Petición rechazada: no viene de la propia aplicación',
				undefined,
				403
			);
		}
		// A tus request carries `Tus-Resumable`, a header no form can send and no other site may
		// add without a CORS preflight this server never grants: like JSON, not a forged form.
		const tus = c.req.header('tus-resumable') !== undefined;
		if (!tus && !isJson(c.req.header('content-type'))) {
			throw new AppError(
				'unsupported-media-type',
				'El cuerpo de la petición debe ser JSON (application/json)',
				undefined,
				415
			);
		}
		await next();
	});
