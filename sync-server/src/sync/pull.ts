import { SCOPES_BY_ROLE, type Role } from '@enlace/shared';
import type { Db } from '../db/client';
import { currentSeq } from './store';

/**
 * The changes after `since`, in seq order, filtered to what the role may hold. The body is
 * assembled from the stored JSON text without parsing it: the first sync of a large ISP moves
 * hundreds of thousands of rows and this is its hot path.
 */
export async function pullBody(
	db: Db,
	role: Role,
	since: number,
	limit: number,
	serverId: string
): Promise<string> {
	const head = await currentSeq(db.client);
	if (since > head) {
		return JSON.stringify({ changes: [], seq: head, more: false, serverId, reset: true });
	}
	const scopes = SCOPES_BY_ROLE[role];
	const r = await db.client.execute({
		sql: `SELECT seq, entity, id, deleted, data FROM records
			WHERE seq > ? AND seq <= ? AND scope IN (${scopes.map(() => '?').join(', ')})
			ORDER BY seq LIMIT ?`,
		args: [since, head, ...scopes, limit]
	});
	const parts: string[] = [];
	let last = head;
	for (const row of r.rows) {
		const entity = JSON.stringify(row.entity);
		const id = JSON.stringify(row.id);
		parts.push(
			Number(row.deleted)
				? `{"seq":${row.seq},"entity":${entity},"id":${id},"op":"delete"}`
				: `{"seq":${row.seq},"entity":${entity},"id":${id},"op":"put","data":${row.data}}`
		);
	}
	const more = r.rows.length === limit;
	if (more) last = Number(r.rows[r.rows.length - 1].seq);
	return `{"changes":[${parts.join(',')}],"seq":${last},"more":${more},"serverId":${JSON.stringify(serverId)}}`;
}
