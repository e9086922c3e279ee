import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AppError } from '@enlace/shared';
import type { SessionUser } from './auth/sessions';

export type AppEnv = { Variables: { user: SessionUser; requestId: string } };

/** Read a JSON body; anything that is not JSON is a 400 `invalid-json`, never a 500. */
export async function jsonBody(c: Context): Promise<unknown> {
	const text = await c.req.text();
	try {
		return JSON.parse(text);
	} catch {
		throw new AppError('invalid-json', 'El cuerpo de la petición no es JSON válido');
	}
}

/**
 * A 413 as soon as the body passes `maxSize`: a declared length is refused before reading, and a
 * chunked body is cut off while it is read.
 */
export const limitBody = (maxSize: number) =>
	bodyLimit({
		maxSize,
		onError: (c) => {
			// The rest of the body is not read: close the connection rather than leave the client to
			// reuse a socket the server drops a moment later (mid next request).
			c.header('connection', 'close');
			throw new AppError('payload-too-large', 'Demasiados datos en un solo envío', undefined, 413);
		}
	});

/** The first value of a header a proxy may have written as a list. */
const firstOf = (value: string | undefined) => value?.split(',')[0].trim() || undefined;

/**
 * The client's address: the connection's, or behind a trusted proxy the last X-Forwarded-For entry
 * (the one that proxy added; entries before it are whatever the client sent).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
	const forwarded = trustProxy ? c.req.header('x-forwarded-for') : undefined;
	const last = forwarded?.split(',').at(-1)?.trim();
	if (last) return last;
	try {
		return getConnInfo(c).remote.address ?? 'unknown';
	} catch {
		// Not served by @hono/node-server (app.request in unit tests): one bucket for all.
		return 'unknown';
	}
}

/** `https` or `http` as the browser sees it: behind a trusted proxy, its X-Forwarded-Proto. */
export function publicScheme(c: Context, trustProxy: boolean): string {
	const forwarded = trustProxy ? firstOf(c.req.header('x-forwarded-proto')) : undefined;
	return (forwarded ?? new URL(c.req.url).protocol.replace(':', '')).toLowerCase();
}

/** `host[:port]` as the browser sees it: behind a trusted proxy, its X-Forwarded-Host if sent. */
export function publicHost(c: Context, trustProxy: boolean): string | undefined {
	const forwarded = trustProxy ? firstOf(c.req.header('x-forwarded-host')) : undefined;
	return (forwarded ?? c.req.header('host'))?.toLowerCase();
}
