import fs from 'node:fs';
import path from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from './http';

/** Paths of files, not of client routes (which never end in an extension like these). */
const FILE_PATH =
	/\.(?:m?js|css|map|json|webmanifest|html|ico|png|svg|jpe?g|gif|webp|avif|woff2?|ttf|txt|xml|wasm)$/i;

/** The text formats `scripts/compress-static.ts` may have written a `.br`/`.gz` beside. */
const COMPRESSIBLE_TYPE =
	/^(?:text\/|application\/(?:javascript|json|manifest\+json|xml|wasm)|image\/svg)/;

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Headers of a file found on disk (`file` is the one sent: `x.js.br` for `x.js` compressed).
 * Hashed files never change, so they are cached for a year; the shell and the service worker
 * are revalidated every time. A text file's answer depends on Accept-Encoding, so caches key on it.
 */
function fileHeaders(file: string, c: Context) {
	c.header('cache-control', file.includes('/_app/immutable/') ? IMMUTABLE : 'no-cache');
	const type = c.res.headers.get('content-type') ?? '';
	if (COMPRESSIBLE_TYPE.test(type) && !c.res.headers.get('vary'))
		c.header('vary', 'Accept-Encoding');
}

/**
 * The built PWA: files as they are on disk (or their precompressed copy, when the browser accepts
 * brotli or gzip), 404 for a missing file, and the app page for every other path (a client route).
 */
export function staticRoutes(staticDir: string): Hono<AppEnv> {
	const files: MiddlewareHandler = serveStatic({
		root: staticDir,
		precompressed: true,
		onFound: fileHeaders
	});
	const appPage: MiddlewareHandler = serveStatic({
		root: staticDir,
		path: 'index.html',
		precompressed: true,
		onFound: fileHeaders
	});
	return (
		new Hono<AppEnv>()
			.get('*', files)
			// A missing file is a 404, never the app page: a browser registering /clientes/sw.js must
			// fail, not be handed HTML it then rejects, and a stale chunk must not load as a page.
			.get('*', async (c, next) => {
				if (!FILE_PATH.test(c.req.path)) return next();
				c.header('cache-control', 'no-cache');
				return c.text('No encontrado', 404);
			})
			.get('*', appPage)
			.get('*', (c) => {
				if (fs.existsSync(path.join(staticDir, 'index.html'))) return c.notFound();
				return c.text('La aplicación no está construida: ejecute `npm run build`.', 503);
			})
	);
}
