import { LibsqlError } from '@libsql/client';
import {
	forbidden,
	getMutator,
	isAppError,
	parseOrThrow,
	type MutationEnvelope,
	type MutationResult,
	type PushRequest,
	type PushResponse,
	type WireError
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { SessionUser } from '../auth/sessions';
import type { SeqNotifier } from './notifier';
import { ServerTx, currentSeq } from './store';

/** Rejections that mean "the request itself was bad" and make the push answer 400. */
export const isInputError = (e: WireError) =>
	e.code.startsWith('invalid-') || e.code === 'unknown-mutation';

async function storedResult(db: Db, id: string): Promise<MutationResult | undefined> {
	const r = await db.client.execute({
		sql: 'SELECT status, error FROM mutations WHERE id = ?',
		args: [id]
	});
	if (!r.rows.length) return undefined;
	const row = r.rows[0];
	return row.status === 'applied'
		? { id, status: 'applied' }
		: { id, status: 'rejected', error: JSON.parse(String(row.error)) as WireError };
}

/** Each conflict means another instance committed first; a busy customer file sees a few. */
const MAX_ATTEMPTS = 10;

const isConstraint = (e: unknown) => e instanceof LibsqlError && /CONSTRAINT/.test(e.code);

/**
 * Apply one mutation with authority: permissions, the shared mutator's rules, and one atomic
 * batch holding its rows, its Historial lines and its idempotency record. Runs under the
 * process's write lock, so what it read is still true when it commits.
 */
async function applyOne(
	db: Db,
	user: SessionUser,
	clientId: string,
	m: MutationEnvelope,
	attempt = 0
): Promise<MutationResult> {
	return db
		.exclusive(async () => {
			const seen = await storedResult(db, m.id);
			if (seen) return seen;
			const now = new Date().toISOString();
			let result: MutationResult;
			let stmts: Awaited<ReturnType<ServerTx['statements']>> = [];
			try {
				const mutator = getMutator(m.name);
				if (!mutator.roles.includes(user.role)) throw forbidden();
				const args = parseOrThrow(mutator.args, m.args);
				const tx = new ServerTx(db.client, {
					userId: user.id,
					userName: user.name,
					role: user.role,
					now,
					server: true
				});
				await mutator.apply(tx, args);
				stmts = await tx.statements(m.name);
				result = { id: m.id, status: 'applied' };
			} catch (e) {
				if (!isAppError(e)) throw e;
				result = { id: m.id, status: 'rejected', error: e.toWire() };
			}
			stmts.push({
				sql: 'INSERT INTO mutations (id, client_id, user_id, name, status, error, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
				args: [
					m.id,
					clientId,
					user.id,
					m.name.slice(0, 60),
					result.status,
					result.status === 'rejected' ? JSON.stringify(result.error) : null,
					now
				]
			});
			try {
				await db.client.batch(stmts, 'write');
			} catch (e) {
				// Another server instance may have applied the same mutation id, or taken the same
				// customer code, or changed a row we read (ServerTx's version guards), between our
				// read and our commit: re-read, or run the mutator again.
				if (!isConstraint(e) || attempt >= MAX_ATTEMPTS - 1) throw e;
				const again = await storedResult(db, m.id);
				if (again) return again;
				return RETRY;
			}
			return result;
		})
		.then((r) => (r === RETRY ? applyOne(db, user, clientId, m, attempt + 1) : r));
}

const RETRY = { id: '', status: 'applied' } as MutationResult;

export async function push(
	db: Db,
	notifier: SeqNotifier,
	user: SessionUser,
	req: PushRequest
): Promise<{ status: 200 | 400; body: PushResponse }> {
	const results: MutationResult[] = [];
	for (const m of req.mutations) results.push(await applyOne(db, user, req.clientId, m));
	const seq = await currentSeq(db.client);
	notifier.bump(seq);
	const firstBad = results.find(
		(r): r is Extract<MutationResult, { status: 'rejected' }> =>
			r.status === 'rejected' && isInputError(r.error)
	);
	return firstBad
		? { status: 400, body: { results, seq, error: firstBad.error } }
		: { status: 200, body: { results, seq } };
}
