import { Hono } from 'hono';
import { parseOrThrow, UserCreate, UserUpdate } from '@enlace/shared';
import type { Db } from '../db/client';
import { jsonBody, type AppEnv } from '../http';
import { requireUser } from '../auth/middleware';
import { createUser, listUsers, updateUser } from '../auth/sessions';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';

/** Users are managed by admins over plain HTTP: passwords never travel through sync. */
export function userRoutes(db: Db, notifier: SeqNotifier) {
	const bump = async () => notifier.bump(await currentSeq(db.client));
	return new Hono<AppEnv>()
		.use('/users/*', requireUser(db, ['admin']))
		.use('/users', requireUser(db, ['admin']))
		.get('/users', async (c) => c.json({ users: await listUsers(db) }))
		.post('/users', async (c) => {
			const user = await createUser(db, parseOrThrow(UserCreate, await jsonBody(c)));
			await bump();
			return c.json({ user }, 201);
		})
		.patch('/users/:id', async (c) => {
			const patch = parseOrThrow(UserUpdate, await jsonBody(c));
			const user = await updateUser(db, c.req.param('id'), patch, c.get('user').id);
			await bump();
			return c.json({ user });
		});
}
