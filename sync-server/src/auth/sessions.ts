import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError, type Role, type User, type UserCreate, type UserUpdate } from '@enlace/shared';
import type { Db } from '../db/client';
import { recordStatements } from '../sync/store';
import { hashPassword } from './password';

export type SessionUser = { id: string; email: string; name: string; role: Role };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createSession(db: Db, userId: string, days: number): Promise<string> {
	const token = randomBytes(32).toString('base64url');
	const now = new Date();
	const expires = new Date(now.getTime() + days * 86400_000);
	// Only the hash is stored: a copy of the database does not hand out live sessions.
	await db.exclusive(() =>
		db.client.execute({
			sql: 'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
			args: [sha256(token), userId, now.toISOString(), expires.toISOString()]
		})
	);
	return token;
}

export async function sessionUser(db: Db, token: string): Promise<SessionUser | undefined> {
	const r = await db.client.execute({
		sql: `SELECT u.id, u.email, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1`,
		args: [sha256(token), new Date().toISOString()]
	});
	if (!r.rows.length) return undefined;
	const u = r.rows[0];
	return { id: String(u.id), email: String(u.email), name: String(u.name), role: u.role as Role };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
	await db.exclusive(() =>
		db.client.execute({ sql: 'DELETE FROM sessions WHERE token_hash = ?', args: [sha256(token)] })
	);
}

const publicUser = (u: Record<string, unknown>): User => ({
	id: String(u.id),
	email: String(u.email),
	name: String(u.name),
	role: u.role as Role,
	active: Number(u.active) === 1
});

export async function listUsers(db: Db): Promise<User[]> {
	const r = await db.client.execute(
		'SELECT id, email, name, role, active FROM users ORDER BY name'
	);
	return r.rows.map((u) => publicUser(u as Record<string, unknown>));
}

export async function findUserByEmail(db: Db, email: string) {
	const r = await db.client.execute({
		sql: 'SELECT id, email, name, role, active, password_hash FROM users WHERE email = ?',
		args: [email.trim()]
	});
	return r.rows[0] as Record<string, unknown> | undefined;
}

/** Users sync to every device as public rows (names for Historial, salesperson lists). */
export async function createUser(db: Db, input: UserCreate): Promise<User> {
	const user: User = {
		id: randomUUID(),
		email: input.email.trim(),
		name: input.name,
		role: input.role,
		active: true
	};
	const hash = await hashPassword(input.password);
	const now = new Date().toISOString();
	await db.exclusive(async () => {
		if (await findUserByEmail(db, user.email)) {
			throw new AppError('already-exists', 'Ya existe un usuario con ese correo', 'email', 409);
		}
		await db.client.batch(
			[
				{
					sql: 'INSERT INTO users (id, email, name, role, active, password_hash, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
					args: [user.id, user.email, user.name, user.role, hash, now]
				},
				...recordStatements([{ entity: 'user', id: user.id, row: user }], null, now)
			],
			'write'
		);
	});
	return user;
}

export async function updateUser(
	db: Db,
	id: string,
	patch: UserUpdate,
	actorId: string
): Promise<User> {
	const hash = patch.password ? await hashPassword(patch.password) : undefined;
	return db.exclusive(async () => {
		const r = await db.client.execute({
			sql: 'SELECT id, email, name, role, active FROM users WHERE id = ?',
			args: [id]
		});
		if (!r.rows.length) throw new AppError('not-found', 'El usuario no existe', undefined, 404);
		const current = publicUser(r.rows[0] as Record<string, unknown>);
		if (id === actorId && (patch.active === false || (patch.role && patch.role !== 'admin'))) {
			throw new AppError(
				'forbidden',
				'No puede quitarse a sí mismo el acceso de administrador',
				'role',
				403
			);
		}
		const next: User = {
			...current,
			...(patch.name ? { name: patch.name } : {}),
			...(patch.role ? { role: patch.role } : {}),
			...(patch.active !== undefined ? { active: patch.active } : {})
		};
		const now = new Date().toISOString();
		await db.client.batch(
			[
				{
					sql: 'UPDATE users SET name = ?, role = ?, active = ?, password_hash = COALESCE(?, password_hash) WHERE id = ?',
					args: [next.name, next.role, next.active ? 1 : 0, hash ?? null, id]
				},
				// A deactivated user or a new password ends the user's sessions everywhere.
				...(patch.active === false || hash
					? [{ sql: 'DELETE FROM sessions WHERE user_id = ?', args: [id] }]
					: []),
				...recordStatements([{ entity: 'user', id, row: next }], actorId, now)
			],
			'write'
		);
		return next;
	});
}

/**
 * A new password set from the command line (a lost administrator password): ends every session of
 * that user. The public user row does not change, so nothing is synced. Undefined: no such user.
 */
export async function resetPassword(
	db: Db,
	email: string,
	password: string
): Promise<{ user: User; sessionsEnded: number } | undefined> {
	const hash = await hashPassword(password);
	return db.exclusive(async () => {
		const found = await findUserByEmail(db, email);
		if (!found) return undefined;
		const [, ended] = await db.client.batch(
			[
				{
					sql: 'UPDATE users SET password_hash = ? WHERE id = ?',
					args: [hash, found.id as string]
				},
				{ sql: 'DELETE FROM sessions WHERE user_id = ?', args: [found.id as string] }
			],
			'write'
		);
		return { user: publicUser(found), sessionsEnded: ended.rowsAffected };
	});
}

export async function countUsers(db: Db): Promise<number> {
	const r = await db.client.execute('SELECT COUNT(*) AS n FROM users');
	return Number(r.rows[0].n);
}
