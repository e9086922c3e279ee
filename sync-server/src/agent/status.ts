import {
	AppError,
	type AgentStatus,
	type CmiStatus,
	type PppoeAccount,
	type Router
} from '@enlace/shared';
import type { Db } from '../db/client';
import type { SeqNotifier } from '../sync/notifier';
import { currentSeq } from '../sync/store';
import { cmiStatusId } from './ids';
import { guardedStatements, writeGuarded, type GuardedWrite } from '../sync/writer';
import { sameRow, selectStored, type Stored } from './records';
import type { AgentIdentity } from './tokens';

/**
 * `POST /api/agent/status`, every few seconds per agent: the routers' state and their
 * `/ppp/active` lists become router and cmiStatus rows. Only what changed is written — every
 * write is a synced change that pokes every app — and the things that move all the time (a
 * session's uptime, the router's last contact) are refreshed at most once a minute.
 */

export const REFRESH_MS = 60_000;

type RouterStatus = AgentStatus['routers'][number];
type Session = NonNullable<RouterStatus['sessions']>[number];

/** RouterOS uptimes: "1w2d03:04:05", "3h4m5s", "00:01:02"; undefined when it is none of these. */
export function uptimeSeconds(uptime: string | undefined): number | undefined {
	if (!uptime) return undefined;
	const m = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(uptime);
	if (m && uptime !== '') {
		const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
		return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
	}
	const c = /^(?:(\d+)w)?(?:(\d+)d)?(\d+):(\d{2}):(\d{2})$/.exec(uptime);
	if (c) {
		const [w, d, h, min, s] = c.slice(1).map((x) => Number(x ?? 0));
		return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
	}
	return undefined;
}

const CMI_SIGNIFICANT = ['online', 'address', 'callerId', 'customerId', 'accountId', 'since'];

function sessionRow(
	routerId: string,
	s: Session,
	account: PppoeAccount | undefined,
	seen: Stored<CmiStatus> | undefined,
	now: number
): CmiStatus | null {
	const at = new Date(now).toISOString();
	const prev = seen && !seen.deleted ? seen.row : undefined;
	const secs = uptimeSeconds(s.uptime);
	const prevSecs = uptimeSeconds(prev?.uptime);
	// A shorter uptime than stored means the client reconnected in between.
	const sameSession =
		prev?.online && !(secs !== undefined && prevSecs !== undefined && secs < prevSecs);
	const since =
		sameSession && prev?.since
			? prev.since
			: secs !== undefined
				? new Date(now - secs * 1000).toISOString()
				: at;
	const next: CmiStatus = {
		id: cmiStatusId(routerId, s.name),
		routerId,
		username: s.name,
		online: true,
		since,
		lastSeenAt: at
	};
	if (account) {
		next.customerId = account.customerId;
		next.accountId = account.id;
	}
	if (s.address) next.address = s.address;
	if (s.uptime) next.uptime = s.uptime;
	if (s.callerId) next.callerId = s.callerId;
	if (!prev) return next;
	const pick = (r: CmiStatus) =>
		Object.fromEntries(CMI_SIGNIFICANT.map((k) => [k, r[k as keyof CmiStatus]]));
	if (!sameRow(pick(prev), pick(next))) return next;
	const stale = now - Date.parse(seen?.updatedAt ?? '') >= REFRESH_MS;
	return prev.uptime !== next.uptime && stale ? next : null;
}

function goneRow(prev: CmiStatus, account: PppoeAccount | undefined, now: number): CmiStatus {
	const next: CmiStatus = { ...prev, online: false, lastSeenAt: new Date(now).toISOString() };
	delete next.uptime;
	delete next.since;
	if (account) {
		next.customerId = account.customerId;
		next.accountId = account.id;
	}
	return next;
}

function routerRow(
	seen: Stored<Router>,
	r: RouterStatus,
	sessionsOnline: number | undefined,
	now: number
): Router | null {
	const prev = seen.row;
	const next: Router = { ...prev };
	if (r.reachable) {
		next.state = 'up';
		delete next.lastError;
		if (r.version !== undefined) next.version = r.version;
		if (r.identity !== undefined) next.identity = r.identity;
		if (sessionsOnline !== undefined) next.sessionsOnline = sessionsOnline;
		next.lastContactAt = new Date(now).toISOString();
	} else {
		next.state = 'down';
		next.lastError = (r.error || 'El router no responde').slice(0, 500);
	}
	if (!sameRow(prev, next, ['lastContactAt'])) return next;
	const contact = prev.lastContactAt ? Date.parse(prev.lastContactAt) : 0;
	return r.reachable && now - contact >= REFRESH_MS ? next : null;
}

/** What one status post changes, read from the database as it is now. */
async function changes(db: Db, body: AgentStatus, now: number): Promise<GuardedWrite[]> {
	const writes: GuardedWrite[] = [];
	for (const r of body.routers) {
		const [router] = await selectStored<Router>(
			db.client,
			`SELECT data, seq, updated_at, deleted FROM records
				WHERE entity = 'router' AND id = ? AND deleted = 0`,
			[r.routerId]
		);
		if (!router) continue;
		// RouterOS may list one name twice (no "only-one" on the profile): one row per name.
		const sessions = new Map<string, Session>();
		for (const s of (r.reachable && r.sessions) || []) {
			if (s.name && !sessions.has(s.name)) sessions.set(s.name, s);
		}
		const next = routerRow(router, r, r.reachable && r.sessions ? sessions.size : undefined, now);
		if (next) writes.push({ entity: 'router', id: next.id, row: next, seenSeq: router.seq });
		// Unreachable, or no list: nothing is known about the sessions, so the rows stay as they are.
		if (!r.reachable || !r.sessions) continue;

		const [rows, accounts] = await Promise.all([
			selectStored<CmiStatus>(
				db.client,
				`SELECT data, seq, updated_at, deleted FROM records
					WHERE entity = 'cmiStatus' AND json_extract(data, '$.routerId') = ?`,
				[r.routerId]
			),
			selectStored<PppoeAccount>(
				db.client,
				`SELECT data, seq, updated_at, deleted FROM records
					WHERE entity = 'pppoeAccount' AND deleted = 0 AND json_extract(data, '$.routerId') = ?`,
				[r.routerId]
			)
		]);
		const byName = new Map(accounts.map((a) => [a.row.username, a.row]));
		const byId = new Map(rows.map((s) => [s.row.id, s]));
		for (const s of sessions.values()) {
			const id = cmiStatusId(r.routerId, s.name);
			const seen = byId.get(id);
			const row = sessionRow(r.routerId, s, byName.get(s.name), seen, now);
			if (row) writes.push({ entity: 'cmiStatus', id, row, seenSeq: seen?.seq ?? null });
		}
		for (const seen of rows) {
			if (seen.deleted || !seen.row.online || sessions.has(seen.row.username)) continue;
			const row = goneRow(seen.row, byName.get(seen.row.username), now);
			writes.push({ entity: 'cmiStatus', id: row.id, row, seenSeq: seen.seq });
		}
	}
	return writes;
}

export async function applyStatus(
	db: Db,
	notifier: SeqNotifier,
	agent: AgentIdentity,
	body: AgentStatus
): Promise<number> {
	// Every router must be one this agent declared: nothing is written otherwise.
	const mine = await db.client.execute({
		sql: 'SELECT router_id FROM agent_routers WHERE agent_id = ?',
		args: [agent.id]
	});
	const declared = new Set(mine.rows.map((r) => String(r.router_id)));
	const listed = new Set<string>();
	body.routers.forEach((r, i) => {
		if (!declared.has(r.routerId)) {
			throw new AppError(
				'not-found',
				'Ese router no es de este agente (¿falta el hello?)',
				`routers.${i}.routerId`,
				404
			);
		}
		if (listed.has(r.routerId)) {
			throw new AppError('invalid-field', 'Router repetido', `routers.${i}.routerId`);
		}
		listed.add(r.routerId);
	});
	// The usual post changes nothing: find that out without taking the write lock.
	if (!(await changes(db, body, Date.now())).length) return 0;
	const written = await writeGuarded(db, async () => {
		const now = Date.now();
		const writes = await changes(db, body, now);
		return {
			stmts: guardedStatements(writes, `agent:${agent.id}`, new Date(now).toISOString()),
			value: writes.length
		};
	});
	if (written) notifier.bump(await currentSeq(db.client));
	return written;
}
