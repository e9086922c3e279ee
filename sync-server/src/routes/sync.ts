import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import {
	AppError,
	DEFAULT_PULL_LIMIT,
	MAX_PULL_LIMIT,
	DEFAULT_OLDER_LIMIT,
	MAX_OLDER_LIMIT,
	MAX_PINNED_CUSTOMERS,
	MAX_PULL_PAGE_BYTES,
	MIN_CLIENT_PROTOCOL,
	isEntityName,
	isWindowed,
	type WindowDays,
	PROTOCOL_HEADER,
	PushRequest,
	parseOrThrow
} from '@enlace/shared';
import type { Db } from '../db/client';
import { jsonBody, type AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import type { SeqNotifier } from '../sync/notifier';
import { olderPage, pullBody } from '../sync/pull';
import { push } from '../sync/push';

export const MAX_PUSH_BYTES = 4 * 1024 * 1024;

function intParam(raw: string | undefined, name: string, fallback: number, max: number): number {
	if (raw === undefined || raw === '') return fallback;
	if (!/^\d{1,15}$/.test(raw))
		throw new AppError('bad-request', `Parámetro ${name} no válido`, name);
	return Math.min(Number(raw), max);
}

const ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

/** `?pinned=a,b,…`: the customers the device opened lately, at most MAX_PINNED_CUSTOMERS. */
function pinnedParam(raw: string | undefined): string[] {
	if (!raw) return [];
	const ids = raw.split(',');
	if (ids.length > MAX_PINNED_CUSTOMERS || !ids.every((id) => ID_RE.test(id)))
		throw new AppError('bad-request', 'Parámetro pinned no válido', 'pinned');
	return [...new Set(ids)];
}

export function syncRoutes(
	db: Db,
	notifier: SeqNotifier,
	serverId: string,
	pullPageBytes = MAX_PULL_PAGE_BYTES,
	windowDays?: WindowDays
) {
	return new Hono<AppEnv>()
		.use('/sync/*', requireUser(db))
		.use('/sync/*', async (c, next) => {
			const v = c.req.header(PROTOCOL_HEADER);
			if (v && Number(v) < MIN_CLIENT_PROTOCOL) {
				throw new AppError(
					'client-too-old',
					'Hay una versión nueva de la aplicación: recargue',
					undefined,
					409
				);
			}
			await next();
		})
		.post(
			'/sync/push',
			bodyLimit({
				maxSize: MAX_PUSH_BYTES,
				onError: (c) => {
					// The rest of the body is not read: close the connection rather than leave the
					// client to reuse a socket the server drops a moment later (mid next request).
					c.header('connection', 'close');
					throw new AppError(
						'payload-too-large',
						'Demasiados datos en un solo envío',
						undefined,
						413
					);
				}
			}),
			async (c) => {
				const req = parseOrThrow(PushRequest, await jsonBody(c));
				const { status, body } = await push(db, notifier, c.get('user'), req);
				return c.json(body, status);
			}
		)
		.get('/sync/pull', async (c) => {
			const since = intParam(c.req.query('since'), 'since', 0, Number.MAX_SAFE_INTEGER);
			const limit = Math.max(
				1,
				intParam(c.req.query('limit'), 'limit', DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT)
			);
			const body = await pullBody(db, {
				role: c.get('user').role,
				since,
				limit,
				serverId,
				maxBytes: pullPageBytes,
				deviceAccess: c.req.query('access'),
				windowDays,
				pinned: pinnedParam(c.req.query('pinned'))
			});
			return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' });
		})
		.get('/sync/older', async (c) => {
			const entity = c.req.query('entity') ?? '';
			if (!isEntityName(entity) || !isWindowed(entity))
				throw new AppError('bad-request', 'Parámetro entity no válido', 'entity');
			const customerId = c.req.query('customerId') ?? '';
			if (!ID_RE.test(customerId))
				throw new AppError('bad-request', 'Parámetro customerId no válido', 'customerId');
			const limit = Math.max(
				1,
				intParam(c.req.query('limit'), 'limit', DEFAULT_OLDER_LIMIT, MAX_OLDER_LIMIT)
			);
			const before = c.req.query('before') || undefined;
			return c.json(
				await olderPage(db, { role: c.get('user').role, entity, customerId, before, limit })
			);
		})
		.get('/sync/events', (c) =>
			streamSSE(c, async (stream) => {
				let wake: () => void = () => undefined;
				const unsubscribe = notifier.subscribe(() => wake());
				stream.onAbort(() => {
					unsubscribe();
					wake();
				});
				let sent = notifier.seq;
				await stream.writeSSE({ event: 'seq', data: JSON.stringify({ seq: sent }) });
				// One message per wake-up carries the latest seq; a burst of writes folds into one poke.
				// A bump that lands while a write is pending finds no waiter, so only sleep when the
				// client already has the latest seq (else it would wait for the 20 s keep-alive).
				while (!stream.aborted) {
					if (notifier.seq === sent) {
						await new Promise<void>((resolve) => {
							wake = resolve;
							setTimeout(resolve, 20_000).unref();
						});
					}
					if (stream.aborted) break;
					sent = notifier.seq;
					await stream.writeSSE({ event: 'seq', data: JSON.stringify({ seq: sent }) });
				}
				unsubscribe();
			})
		);
}
