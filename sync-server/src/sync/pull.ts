import { MAX_PULL_PAGE_BYTES, SCOPES_BY_ROLE, type Role } from '@enlace/shared';
import type { Db } from '../db/client';
import { currentSeq } from './store';

/** Rows read by a page's first query; later reads are sized by what the bytes left would hold. */
const FIRST_READ = 200;

/**
 * The changes after `since`, in seq order, filtered to what the role may hold: at most `limit`
 * rows and, past the first row, at most `maxBytes` of changes (a few hundred large rows must not
 * build a page too big to send). The body is assembled from the stored JSON text without parsing
 * it: the first sync of a large ISP moves hundreds of thousands of rows and this is its hot path.
 * Rows are read in slices so that a page of large rows never holds `limit` of them in memory.
 */
export async function pullBody(
	db: Db,
	role: Role,
	since: number,
	limit: number,
	serverId: string,
	maxBytes = MAX_PULL_PAGE_BYTES
): Promise<string> {
	const head = await currentSeq(db.client);
	if (since > head) {
		return JSON.stringify({ changes: [], seq: head, more: false, serverId, reset: true });
	}
	const scopes = SCOPES_BY_ROLE[role];
	const parts: string[] = [];
	let bytes = 0;
	let after = since;
	let more = false;
	let read = Math.min(limit, FIRST_READ);
	for (;;) {
		const r = await db.client.execute({
			sql: `SELECT seq, entity, id, deleted, data FROM records
				WHERE seq > ? AND seq <= ? AND scope IN (${scopes.map(() => '?').join(', ')})
				ORDER BY seq LIMIT ?`,
			args: [after, head, ...scopes, read]
		});
		for (const row of r.rows) {
			const entity = JSON.stringify(row.entity);
			const id = JSON.stringify(row.id);
			const part = Number(row.deleted)
				? `{"seq":${row.seq},"entity":${entity},"id":${id},"op":"delete"}`
				: `{"seq":${row.seq},"entity":${entity},"id":${id},"op":"put","data":${row.data}}`;
			const size = Buffer.byteLength(part) + 1;
			if (parts.length && bytes + size > maxBytes) {
				more = true;
				break;
			}
			parts.push(part);
			bytes += size;
			after = Number(row.seq);
		}
		if (more) break;
		if (parts.length === limit) {
			more = true;
			break;
		}
		if (r.rows.length < read) break;
		// As many rows as the bytes left would hold at the average size so far, and one more to
		// find where the page ends.
		const fit = Math.ceil((maxBytes - bytes) / (bytes / parts.length)) + 1;
		read = Math.max(1, Math.min(limit - parts.length, fit));
	}
	const seq = more ? after : head;
	return `{"changes":[${parts.join(',')}],"seq":${seq},"more":${more},"serverId":${JSON.stringify(serverId)}}`;
}
