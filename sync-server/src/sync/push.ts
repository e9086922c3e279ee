import { LibsqlError, type InStatement } from '@libsql/client';
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
import { writeGuarded } from './writer';

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

/**
 * What a mutation that threw is answered with. A rule it broke (AppError) says so; anything else
 * is a bug in one mutator or one row, so that one mutation is refused with `internal-error` (and
 * logged with its id) rather than failing the whole push with a 500 the device would send again
 * for ever. A database failure is not the mutation's fault: it fails the push, to be tried again.
 */
function refusal(e: unknown, m: MutationEnvelope): WireError {
	if (isAppError(e)) return e.toWire();
	if (e instanceof LibsqlError) throw e;
	console.error(`push: ${m.name} ${m.id} failed unexpectedly`, e);
	return {
		code: 'internal-error',
		message: `Error interno del servidor al aplicar este cambio (ref. ${m.id.slice(0, 8)})`
	};
}

/**
 * Apply one mutation with authority: permissions, the shared mutator's rules, and one atomic
 * batch holding its rows, its Historial lines and its idempotency record. Through the one guarded
 * writer: what it read is still true when it commits, and when another server instance applied
 * the same mutation id, took the same customer code or changed a row it read in between, it runs
 * again (and then finds that instance's answer, or runs the mutator on the new rows).
 */
export function applyOne(
	db: Db,
	user: SessionUser,
	clientId: string,
	m: MutationEnvelope
): Promise<MutationResult> {
	return writeGuarded(db, async () => {
		const seen = await storedResult(db, m.id);
		if (seen) return { stmts: [], value: seen };
		const now = new Date().toISOString();
		let result: MutationResult;
		let stmts: InStatement[] = [];
		let tx: ServerTx | undefined;
		try {
			const mutator = getMutator(m.name);
			if (!mutator.roles.includes(user.role)) throw forbidden();
			const args = parseOrThrow(mutator.args, m.args);
			tx = new ServerTx(db.client, {
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
			result = { id: m.id, status: 'rejected', error: refusal(e, m) };
			// A refusal stands on what was read, like a write: if that changed meanwhile, run again.
			stmts = tx?.guards() ?? [];
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
		return { stmts, value: result };
	});
}

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
