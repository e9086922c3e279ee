import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, requiredText, type Router } from '@enlace/shared';
import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';
import { sha256 } from './ids';
import { guardedStatements, writeGuarded, type GuardedWrite } from '../sync/writer';
import { selectStored } from './records';

/** An agent as the admin screen shows it; the token itself is never stored or shown again. */
export type AgentInfo = {
	id: string;
	name: string;
	createdAt: string;
	lastSeenAt: string | null;
	revoked: boolean;
};

/** The agent behind a request. */
export type AgentIdentity = { id: string; name: string; lastSeenAt: string | null };

export const AgentCreate = z
	.object({ name: requiredText(80, 'Indique el nombre del agente') })
	.strict();

const info = (r: Record<string, unknown>): AgentInfo => ({
	id: String(r.id),
	name: String(r.name),
	createdAt: String(r.created_at),
	lastSeenAt: r.last_seen_at === null ? null : String(r.last_seen_at),
	revoked: r.revoked_at !== null
});

export async function listAgents(db: Db): Promise<AgentInfo[]> {
	const r = await db.client.execute(
		'SELECT id, name, created_at, last_seen_at, revoked_at FROM agents ORDER BY created_at, id'
	);
	return r.rows.map((row) => info(row as Record<string, unknown>));
}

/** A new agent and its token: returned here once; only its SHA-256 is kept. */
export async function createAgent(
	db: Db,
	name: string
): Promise<{ agent: AgentInfo; token: string }> {
	const token = randomBytes(32).toString('base64url');
	const agent: AgentInfo = {
		id: randomUUID(),
		name,
		createdAt: new Date().toISOString(),
		lastSeenAt: null,
		revoked: false
	};
	await db.exclusive(() =>
		db.client.execute({
			sql: 'INSERT INTO agents (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)',
			args: [agent.id, agent.name, sha256(token), agent.createdAt]
		})
	);
	return { agent, token };
}

/**
 * A new token for an existing agent (a leaked one, a rebuilt box): the old token stops working
 * at once, and the agent keeps its id, so its routers, their accounts and their jobs stay as
 * they are. Returned here once; only its SHA-256 is kept. A revoked agent gets no new token.
 */
export async function rotateAgentToken(
	db: Db,
	id: string
): Promise<{ agent: AgentInfo; token: string }> {
	const token = randomBytes(32).toString('base64url');
	const row = await db.exclusive(async () => {
		const r = await db.client.execute({
			sql: 'SELECT id, name, created_at, last_seen_at, revoked_at FROM agents WHERE id = ?',
			args: [id]
		});
		if (!r.rows.length) throw new AppError('not-found', 'El agente no existe', undefined, 404);
		if (r.rows[0].revoked_at !== null) {
			throw new AppError(
				'agent-revoked',
				'El agente está revocado: cree uno nuevo',
				undefined,
				409
			);
		}
		await db.client.execute({
			sql: 'UPDATE agents SET token_hash = ? WHERE id = ? AND revoked_at IS NULL',
			args: [sha256(token), id]
		});
		return r.rows[0] as Record<string, unknown>;
	});
	return { agent: info(row), token };
}

export const REVOKED_MESSAGE = 'El agente de este router ha sido revocado';

/**
 * Revoke an agent: its token stops working at once, it claims nothing more, and its routers
 * show as unknown (nobody reports on them now). Revoking twice answers the same.
 */
export async function revokeAgent(db: Db, notifier: SeqNotifier, id: string): Promise<AgentInfo> {
	const wrote = await writeGuarded(db, async () => {
		const r = await db.client.execute({
			sql: 'SELECT id, revoked_at FROM agents WHERE id = ?',
			args: [id]
		});
		if (!r.rows.length) throw new AppError('not-found', 'El agente no existe', undefined, 404);
		if (r.rows[0].revoked_at !== null) return { stmts: [], value: false };
		const now = new Date().toISOString();
		const routers = await selectStored<Router>(
			db.client,
			`SELECT data, seq, updated_at, deleted FROM records
				WHERE entity = 'router' AND deleted = 0 AND json_extract(data, '$.agentId') = ?`,
			[id]
		);
		const writes: GuardedWrite[] = routers.map((s) => ({
			entity: 'router',
			id: s.row.id,
			row: { ...s.row, state: 'unknown', lastError: REVOKED_MESSAGE },
			seenSeq: s.seq
		}));
		return {
			stmts: [
				{ sql: 'UPDATE agents SET revoked_at = ? WHERE id = ?', args: [now, id] },
				{ sql: 'DELETE FROM agent_routers WHERE agent_id = ?', args: [id] },
				...guardedStatements(writes, null, now)
			],
			value: writes.length > 0
		};
	});
	if (wrote) notifier.bump(await currentSeq(db.client));
	const r = await db.client.execute({
		sql: 'SELECT id, name, created_at, last_seen_at, revoked_at FROM agents WHERE id = ?',
		args: [id]
	});
	return info(r.rows[0] as Record<string, unknown>);
}

export async function agentByToken(db: Db, token: string): Promise<AgentIdentity | undefined> {
	const r = await db.client.execute({
		sql: 'SELECT id, name, last_seen_at FROM agents WHERE token_hash = ? AND revoked_at IS NULL',
		args: [sha256(token)]
	});
	if (!r.rows.length) return undefined;
	const row = r.rows[0];
	return {
		id: String(row.id),
		name: String(row.name),
		lastSeenAt: row.last_seen_at === null ? null : String(row.last_seen_at)
	};
}

/** "Last seen" is for people: a write every 30 s is plenty, not one per 5-second status post. */
const SEEN_EVERY_MS = 30_000;

export async function touchAgent(db: Db, agent: AgentIdentity): Promise<void> {
	const now = Date.now();
	if (agent.lastSeenAt && now - Date.parse(agent.lastSeenAt) < SEEN_EVERY_MS) return;
	await db.exclusive(() =>
		db.client.execute({
			sql: 'UPDATE agents SET last_seen_at = ? WHERE id = ?',
			args: [new Date(now).toISOString(), agent.id]
		})
	);
}
